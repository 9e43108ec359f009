from django import forms

from accounts.models import User
from accounts.roles import Role

from .annual_models import FINDING_FIELDS, HEADINGS, AnnualReview

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"})
TEXTAREA = {"class": "usa-textarea", "rows": 6}


class ReviewerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username}, {obj.job_title or 'Supervisor'}"


class AppointmentForm(forms.Form):
    """702.6: the Mayor's office appoints a supervisor to review a period."""

    reviewer = ReviewerField(
        queryset=User.objects.none(),
        label="Reviewing supervisor",
        widget=forms.Select({"class": "usa-select"}),
        empty_label="Choose a supervisor",
    )
    period_start = forms.DateField(label="Period starts", widget=DATE_INPUT)
    period_end = forms.DateField(
        label="Period ends",
        widget=DATE_INPUT,
        help_text="At least annually (702.6): a period is at most a year long.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            is_active=True, groups__name=Role.SUPERVISOR.value
        ).order_by("last_name", "first_name", "username")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The period must end after it begins.")
        return cleaned


class FindingsForm(forms.ModelForm):
    """The reviewer's report: findings under each heading of 702.6, and recommendations."""

    class Meta:
        model = AnnualReview
        fields = [*FINDING_FIELDS, "recommendations"]
        labels = {
            **{
                f"{key}_findings": f"{n}. {heading}" for n, (key, heading) in enumerate(HEADINGS, 1)
            },
            "recommendations": "Recommendations",
        }
        widgets = {name: forms.Textarea(TEXTAREA) for name in [*FINDING_FIELDS, "recommendations"]}
        help_texts = dict.fromkeys(
            FINDING_FIELDS,
            "You may save without it; signing off needs findings under all four headings.",
        )
