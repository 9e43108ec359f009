from django import forms
from django.utils import timezone

from accounts.models import User
from posting.models import Category, Channel
from retention.forms import IncidentChoiceField
from retention.models import ArchiveRecord
from retention.search import search_arguments

from .models import ExportJob, RecordsRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d")
TEXT_INPUT = forms.TextInput(attrs={"class": "usa-input"})
SELECT = forms.Select(attrs={"class": "usa-select"})
CHECKBOX = forms.CheckboxInput(attrs={"class": "usa-checkbox__input"})


def textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "usa-textarea", "rows": rows})


class SearchFilters(forms.Form):
    """Which archived records: the archive's search filters (702.7)."""

    words = forms.CharField(
        label="Words",
        required=False,
        max_length=200,
        widget=TEXT_INPUT,
        help_text="Records containing every word.",
    )
    date_from = forms.DateField(
        label="Recorded from",
        required=False,
        widget=DATE_INPUT,
        help_text="For example 2025-01-31.",
    )
    date_to = forms.DateField(
        label="Recorded through", required=False, widget=DATE_INPUT, help_text="That day included."
    )
    channel = forms.ModelChoiceField(
        label="Channel",
        required=False,
        queryset=Channel.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any channel",
        widget=SELECT,
    )
    category = forms.ChoiceField(
        label="Content category (702.4)",
        required=False,
        choices=[("", "Any category"), *Category.choices],
        widget=SELECT,
    )
    author = forms.ModelChoiceField(
        label="Author",
        required=False,
        queryset=User.objects.filter(posts__isnull=False).distinct().order_by("username"),
        to_field_name="username",
        empty_label="Any author",
        widget=SELECT,
    )
    incident = IncidentChoiceField(required=False, widget=SELECT)
    kind = forms.ChoiceField(
        label="Kind of record",
        required=False,
        choices=[("", "Any kind"), *ArchiveRecord.Kind.choices],
        widget=SELECT,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The last day comes before the first.")
        return cleaned

    def query(self) -> dict:
        """The filters as saved with an export or a request: slugs and usernames, not ids."""
        data = self.cleaned_data
        return search_arguments(
            words=data["words"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            channel=data["channel"].slug if data["channel"] else None,
            category=data["category"],
            author=data["author"].username if data["author"] else None,
            incident=data["incident"],
            kind=data["kind"],
        )


class ExportForm(SearchFilters):
    pass


class RecordsRequestForm(SearchFilters):
    """The request as the law asks it be logged, and the records it covers."""

    field_order = ["requester_name", "requester_contact", "received_on", "text"]

    requester_name = forms.CharField(
        label="Requester's name",
        max_length=200,
        widget=TEXT_INPUT,
        error_messages={"required": "Give the requester's name (or “anonymous”)."},
    )
    requester_contact = forms.CharField(
        label="How to reach the requester",
        max_length=1000,
        widget=textarea(2),
        help_text="E-mail, telephone or postal address.",
        error_messages={"required": "Say how to reach the requester."},
    )
    received_on = forms.DateField(
        label="Date received",
        widget=DATE_INPUT,
        help_text="The due date counts business days from this date.",
        error_messages={"required": "Give the date the city received the request."},
    )
    text = forms.CharField(
        label="The request",
        max_length=20000,
        widget=textarea(5),
        help_text="As the requester wrote or said it.",
        error_messages={"required": "Enter the text of the request."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return received


class ExemptionForm(forms.Form):
    sequence = forms.IntegerField(
        label="Record number",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
        error_messages={"required": "Give the number of the record."},
    )
    action = forms.ChoiceField(
        label="Redact or withhold",
        choices=[
            ("redacted", "Redact passages"),
            ("withheld", "Withhold the whole record"),
        ],
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
        error_messages={"required": "Choose to redact passages or withhold the record."},
    )
    exemption = forms.CharField(
        label="Exemption",
        max_length=200,
        widget=TEXT_INPUT,
        help_text="The statute that exempts it, e.g. RCW 42.56.250(4).",
        error_messages={"required": "Name the statute that exempts the record."},
    )
    explanation = forms.CharField(
        label="How the exemption applies",
        max_length=2000,
        widget=textarea(2),
        error_messages={"required": "Explain briefly how the exemption applies."},
    )
    passages = forms.CharField(
        label="Passages to redact",
        required=False,
        max_length=5000,
        widget=textarea(3),
        help_text="Redactions only: the exact text to black out, one passage per line.",
    )

    def clean_sequence(self):
        sequence = self.cleaned_data["sequence"]
        record = ArchiveRecord.objects.filter(sequence=sequence).first()
        if record is None:
            raise forms.ValidationError(f"There is no record {sequence} in the archive.")
        self.record = record
        return sequence


class ReleaseForm(forms.Form):
    export = forms.ModelChoiceField(
        label="Export given to the requester",
        queryset=ExportJob.objects.none(),
        widget=SELECT,
        empty_label="- Choose an export -",
        error_messages={"required": "Choose the export that was released."},
    )

    def __init__(self, *args, records_request: RecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export"].queryset = records_request.exports.filter(
            status=ExportJob.Status.DONE, released_at__isnull=True
        )
        self.fields["export"].label_from_instance = lambda e: (
            f"Export {e.pk}: {e.records_total} records, {e.bag_name}"
        )


class CloseForm(forms.Form):
    final_disposition = forms.ChoiceField(
        label="Final disposition",
        choices=[("", "- Choose -"), *RecordsRequest.Disposition.choices],
        widget=SELECT,
        error_messages={"required": "Choose the request's final disposition."},
    )
    closed_on = forms.DateField(
        label="Final disposition date",
        widget=DATE_INPUT,
        error_messages={"required": "Give the final disposition date."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=5000,
        widget=textarea(3),
        help_text="What was produced, how the requester was told.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate
