from django import forms

from accounts.permissions import publishable_channels

from .models import Category, Post
from .scheduling import ScheduleField


class PostForm(forms.ModelForm):
    """The draft form. Channels offered are only those the person may publish to (702.3)."""

    channels = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        error_messages={
            "required": "Choose at least one channel.",
            "invalid_choice": "702.3: you are not authorized to post to one of the chosen channels.",
            "invalid_pk_value": "702.3: you are not authorized to post to one of the chosen channels.",
        },
    )
    category = forms.ChoiceField(
        choices=[("", "- Choose a category -"), *Category.choices],
        error_messages={
            "required": "Choose the content category (702.4 (a)-(h)).",
            "invalid_choice": "Choose one of the content categories of 702.4 (a)-(h).",
        },
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    # The city's wall clock: a time the clocks skip is refused, one they show twice is asked.
    scheduled_for = ScheduleField(
        required=False,
        label="Publish at (optional)",
        help_text="Leave empty to publish as soon as it is approved.",
    )

    class Meta:
        model = Post
        fields = ["title", "category", "channels", "body", "scheduled_for"]
        labels = {"title": "Headline", "body": "Text of the post"}
        widgets = {
            "title": forms.TextInput(attrs={"class": "usa-input"}),
            "body": forms.Textarea(attrs={"class": "usa-textarea", "rows": 8}),
        }
        error_messages = {
            "title": {"required": "Give the post a headline."},
            "body": {"required": "Write the text of the post."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channels"].queryset = publishable_channels(user)

    def clean(self):
        cleaned = super().clean()
        body, channels = cleaned.get("body") or "", cleaned.get("channels") or []
        for channel in channels:
            length, limit = channel.text_length(body), channel.text_limit
            if length > limit:
                self.add_error(
                    "body",
                    f"{channel.name}: the text is {length} characters; the limit is {limit}. "
                    "Shorten it or leave that channel out.",
                )
        return cleaned

    def save_draft(self) -> Post:
        """Create the draft, or revise the post being edited (which voids an earlier approval)."""
        data = self.cleaned_data
        post = self.instance
        if post.pk is None:
            post = Post.objects.create(
                author=self.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                scheduled_for=data["scheduled_for"],
            )
            post.channels.set(data["channels"])
            return post
        post.revise(
            by=self.user,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            channels=data["channels"],
            scheduled_for=data["scheduled_for"],
        )
        return post


class DecisionForm(forms.Form):
    comment = forms.CharField(
        required=False,
        label="Comment to the author",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    justification = forms.CharField(
        required=False,
        label="Justification for overriding a blocking finding (702.5)",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
