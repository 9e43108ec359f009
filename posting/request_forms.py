from django import forms

from accounts.forms import EmployeeField
from accounts.models import Authorization, User

from .models import Category, PostingRequest


class PostingRequestForm(forms.ModelForm):
    class Meta:
        model = PostingRequest
        fields = ["what", "why", "audience", "category", "urgency", "attachment"]
        labels = {
            "what": "What should the public be told?",
            "why": "Why it matters",
            "audience": "Who needs to hear it",
            "category": "Kind of content (702.4), if you know",
            "attachment": "Attachment (optional)",
        }
        widgets = {
            "what": forms.Textarea({"class": "usa-textarea", "rows": 5}),
            "why": forms.Textarea({"class": "usa-textarea", "rows": 3}),
            "audience": forms.TextInput({"class": "usa-input"}),
            "category": forms.Select({"class": "usa-select"}),
            "urgency": forms.Select({"class": "usa-select"}),
            "attachment": forms.ClearableFileInput({"class": "usa-file-input"}),
        }
        help_texts = {"attachment": "A picture, PDF, Word or text file, 10 MB at most."}


class ForwardForm(forms.Form):
    to = EmployeeField(
        queryset=User.objects.none(),
        label="Authorized poster",
        widget=forms.Select({"class": "usa-select"}),
        empty_label="- Choose a poster -",
    )
    title = forms.CharField(
        max_length=140, label="Headline", widget=forms.TextInput({"class": "usa-input"})
    )
    category = forms.ChoiceField(
        choices=[("", "- Choose a category -"), *Category.choices],
        label="Content category (702.4)",
        widget=forms.Select({"class": "usa-select"}),
    )
    note = forms.CharField(
        required=False,
        label="Note to the poster and the requester",
        widget=forms.Textarea({"class": "usa-textarea", "rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        posters = Authorization.objects.current().values("user")
        self.fields["to"].queryset = User.objects.filter(pk__in=posters, is_active=True).order_by(
            "last_name", "first_name"
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why it is declined", widget=forms.Textarea({"class": "usa-textarea", "rows": 2})
    )
