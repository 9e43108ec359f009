import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from posting.models import Category, Channel, Incident

from .models import ArchiveRecord, RetentionSeries
from .search import SEARCH_FIELDS, search_arguments

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d")
MAX_PICKED = 10000


class IncidentChoiceField(forms.ModelChoiceField):
    """Incidents by title and the day they opened: titles like “Gas leak” recur."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Incident (702.4.1)")
        kwargs.setdefault("empty_label", "Any incident")
        kwargs.setdefault(
            "help_text", "Its posts on every channel, and its own records: opened, updates, closed."
        )
        super().__init__(queryset=Incident.objects.order_by("-opened_at"), **kwargs)

    def label_from_instance(self, incident) -> str:
        opened = timezone.localtime(incident.opened_at).date().isoformat()
        return f"{incident.title} (opened {opened})"


def add_model_errors(form, error) -> None:
    """A model method's ValidationError on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ArchiveSearchForm(forms.Form):
    """The archive's filters, as find_records arguments (702.7)."""

    words = forms.CharField(
        required=False,
        max_length=200,
        label="Words",
        help_text='Every word must appear. Put a phrase in quotes: "water main".',
        widget=forms.TextInput({"class": "usa-input", "type": "search"}),
    )
    date_from = forms.DateField(required=False, label="Recorded from", widget=DATE_INPUT)
    date_to = forms.DateField(required=False, label="Recorded until", widget=DATE_INPUT)
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.all(),
        required=False,
        empty_label="Any channel",
        widget=forms.Select({"class": "usa-select"}),
    )
    category = forms.ChoiceField(
        choices=[("", "Any category"), *Category.choices],
        required=False,
        label="Category (702.4)",
        widget=forms.Select({"class": "usa-select"}),
    )
    author = forms.ModelChoiceField(
        queryset=get_user_model()
        .objects.filter(posts__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "username"),
        required=False,
        empty_label="Anyone",
        widget=forms.Select({"class": "usa-select"}),
    )
    incident = IncidentChoiceField(required=False, widget=forms.Select({"class": "usa-select"}))
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *ArchiveRecord.Kind.choices],
        required=False,
        label="Kind of record",
        widget=forms.Select({"class": "usa-select"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date comes before the start date.")
        return cleaned

    def arguments(self) -> dict:
        """find_records keyword arguments (only the filters given)."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def saved(self) -> dict:
        return search_arguments(**self.arguments())

    def has_filters(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.arguments())


class RetentionSeriesForm(forms.ModelForm):
    record_kinds = forms.MultipleChoiceField(
        choices=ArchiveRecord.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of record it covers",
    )
    categories = forms.MultipleChoiceField(
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Post categories it covers (702.4)",
        help_text="Leave all unchecked to cover these kinds whatever the category. A series "
        "that names the category wins over one that does not.",
    )

    class Meta:
        model = RetentionSeries
        fields = [
            "code",
            "title",
            "description",
            "authority",
            "retention_years",
            "retention_months",
            "retention_days",
            "clock_event",
            "final_action",
            "record_kinds",
            "categories",
            "is_active",
        ]
        labels = {
            "retention_years": "Years",
            "retention_months": "Months",
            "retention_days": "Days",
            "clock_event": "The retention period starts when",
            "final_action": "Then",
            "authority": "Authority (schedule and series number)",
            "is_active": "In use",
        }
        help_texts = {
            "final_action": "Only “Destroy” is ever carried out by the system, and only with "
            "the City Clerk's approval of each batch.",
        }
        widgets = {
            "code": forms.TextInput({"class": "usa-input usa-input--medium"}),
            "title": forms.TextInput({"class": "usa-input"}),
            "description": forms.Textarea({"class": "usa-textarea", "rows": 5}),
            "authority": forms.TextInput({"class": "usa-input"}),
            "retention_years": forms.NumberInput({"class": "usa-input usa-input--small", "min": 0}),
            "retention_months": forms.NumberInput(
                {"class": "usa-input usa-input--small", "min": 0}
            ),
            "retention_days": forms.NumberInput({"class": "usa-input usa-input--small", "min": 0}),
            "clock_event": forms.Select({"class": "usa-select"}),
            "final_action": forms.Select({"class": "usa-select"}),
            "is_active": forms.CheckboxInput({"class": "usa-checkbox__input"}),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def parse_record_numbers(text: str) -> list[int]:
    """ "12, 15, 20-25" -> [12, 15, 20, 21, ..., 25]."""
    numbers: list[int] = []
    for part in filter(None, (piece.strip() for piece in re.split(r"[,\s]+", text or ""))):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise forms.ValidationError(f"“{part}” is not a record number or a range like 20-25.")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise forms.ValidationError(f"The range {part} runs backwards.")
        if len(numbers) + (last - first + 1) > MAX_PICKED:
            raise forms.ValidationError(
                f"Pick at most {MAX_PICKED:,} records by number; use the search terms for more."
            )
        numbers.extend(range(first, last + 1))
    return numbers


class LegalHoldForm(ArchiveSearchForm):
    """A hold's matter and reason; its scope is the search filters, picked records, or both."""

    matter = forms.CharField(
        max_length=200,
        label="Matter",
        help_text="The case, claim or anticipated litigation, as the City Attorney names it.",
        widget=forms.TextInput({"class": "usa-input"}),
    )
    reason = forms.CharField(
        label="Why these records must be kept",
        widget=forms.Textarea({"class": "usa-textarea", "rows": 3}),
    )
    record_numbers = forms.CharField(
        required=False,
        label="Records picked by number",
        help_text="Record numbers as shown in the archive, separated by commas; ranges like "
        "20-25 are fine.",
        widget=forms.TextInput({"class": "usa-input"}),
    )

    field_order = ["matter", "reason", "record_numbers"]
    SCOPE_FIELDS = SEARCH_FIELDS

    def clean_record_numbers(self):
        numbers = parse_record_numbers(self.cleaned_data.get("record_numbers", ""))
        found = set(
            ArchiveRecord.objects.filter(sequence__in=numbers).values_list("sequence", flat=True)
        )
        missing = [number for number in numbers if number not in found]
        if missing:
            shown = ", ".join(str(n) for n in missing[:10])
            raise forms.ValidationError(f"No such record: {shown}.")
        return numbers

    def arguments(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.SCOPE_FIELDS and value not in (None, "")
        }

    def picked_records(self):
        return ArchiveRecord.objects.filter(sequence__in=self.cleaned_data["record_numbers"])


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea({"class": "usa-textarea", "rows": 3}),
    )

    def __init__(self, *args, label="Note", required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required
