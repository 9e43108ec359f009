"""The forms of reports of content (702.5): reporting, deciding and investigating."""

from django import forms

from posting.models import Channel

from .oversight_models import MAX_TEXT, ContentReport, Investigation


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows, "class": "usa-textarea"})


class ConcernForm(forms.Form):
    concern = forms.ChoiceField(
        label="What is wrong with it?",
        choices=ContentReport.Concern.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether it is unauthorized (702.5(g)) or inappropriate (702.5)."
        },
    )
    reason = forms.CharField(
        label="What did you see, and why is it a problem?",
        help_text="For example: it gives a victim's name (702.5(b)), or nobody in the department "
        "posted it. Your supervisor reads this.",
        max_length=MAX_TEXT,
        widget=_textarea(),
        error_messages={"required": "Say what is wrong with it, so the supervisor can act."},
    )


class LinkReportForm(ConcernForm):
    link = forms.CharField(
        label="Link to the post",
        help_text="Copy the address of the post from the platform (or from the City's news page) "
        "and paste it here.",
        max_length=500,
        widget=forms.URLInput(attrs={"class": "usa-input", "inputmode": "url"}),
        error_messages={"required": "Paste the link of the post you saw."},
    )
    channel = forms.ModelChoiceField(
        label="Which city channel was it on?",
        help_text="Leave this if the link is on one of the channels; choose it otherwise.",
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        empty_label="Work it out from the link",
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    field_order = ["link", "channel", "concern", "reason"]


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being removed? (702.5)",
        help_text="Kept with the record and shown to the post's author.",
        max_length=MAX_TEXT,
        widget=_textarea(3),
        error_messages={"required": "Say why it is being removed; it is kept with the record."},
    )


class DismissForm(forms.Form):
    reasons = forms.CharField(
        label="Why does it stay up?",
        help_text="Kept with the record, for the annual review (702.6).",
        max_length=MAX_TEXT,
        widget=_textarea(3),
        error_messages={
            "required": "Say why the content stays up; the reasons are kept with the record."
        },
    )


class InvestigationForm(forms.Form):
    cause = forms.ChoiceField(
        label="Cause",
        choices=[("", "Not known yet"), *Investigation.Cause.choices],
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    findings = forms.CharField(
        label="Findings", required=False, max_length=MAX_TEXT, widget=_textarea()
    )
    corrective_actions = forms.CharField(
        label="Corrective actions",
        help_text="What was done so that it does not happen again: new credentials, training, "
        "a change to the guidelines or checks.",
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(),
    )
    resolution = forms.CharField(
        label="Resolution", required=False, max_length=MAX_TEXT, widget=_textarea(3)
    )
