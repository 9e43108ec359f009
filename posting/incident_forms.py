"""The incident board's forms (702.4.1). The models decide; these only parse what people type."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.models import Authorization, User

from .incident_models import MAX_CADENCE, MIN_CADENCE, Incident, IncidentStatus

FILL_PREFIX = "fill_"
SOURCE_HELP = (
    "Where the information came from, e.g. “Fire dispatch, call 26-1187”. Internal: kept on "
    "the board and in the archive (702.7), never published."
)
VERIFIED_HELP = (
    "Who confirmed it, with their role, e.g. “Battalion Chief R. Ortiz, Fire”. Internal, like "
    "the source."
)


def _text(**attrs):
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


def _area(rows=3, **attrs):
    return forms.Textarea(attrs={"class": "usa-textarea", "rows": rows, **attrs})


def _select():
    return forms.Select(attrs={"class": "usa-select"})


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"})


def people_who_may_post():
    """Employees with a current authorization: those who may be appointed compilers (702.3)."""
    current = Authorization.objects.current().values("user")
    return User.objects.filter(pk__in=current, is_active=True).order_by("last_name", "first_name")


def person_label(person) -> str:
    name = person.get_full_name() or person.username
    return f"{name}, {person.job_title}" if person.job_title else name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person_label(person)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person_label(person)


class OpenIncidentForm(forms.ModelForm):
    compilers = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=_checkboxes(),
        label="Compilers",
        help_text="702.4.1: who compiles and releases the updates. Each must be authorized to "
        "post to every channel of the incident (702.3). You can appoint them later too.",
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "kind",
            "severity",
            "area",
            "latitude",
            "longitude",
            "radius_meters",
            "channels",
            "cadence_minutes",
        ]
        labels = {"kind": "Kind of incident", "title": "Title"}
        widgets = {
            "title": _text(maxlength=100),
            "kind": _select(),
            "severity": _select(),
            "area": _area(),
            "latitude": forms.NumberInput(attrs={"class": "usa-input", "step": "0.00001"}),
            "longitude": forms.NumberInput(attrs={"class": "usa-input", "step": "0.00001"}),
            "radius_meters": forms.NumberInput(attrs={"class": "usa-input"}),
            "channels": _checkboxes(),
            "cadence_minutes": forms.NumberInput(
                attrs={"class": "usa-input", "min": MIN_CADENCE, "max": MAX_CADENCE}
            ),
        }
        help_texts = {"channels": "Every update goes to all of these at once."}
        error_messages = {
            "title": {"required": "Give the incident a short public title."},
            "kind": {"required": "Choose the kind of incident."},
            "severity": {"required": "Choose the severity."},
            "area": {"required": "Describe the affected area."},
            "channels": {"required": "Choose the channels the updates go to."},
        }

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels
        self.fields["compilers"].queryset = people_who_may_post()


class UpdateForm(forms.Form):
    """An update: a pre-approved template's fill-in fields (`spec`), or free text; and, always,
    its internal source and who verified it."""

    source = forms.CharField(
        label="Source",
        max_length=2000,
        help_text=SOURCE_HELP,
        widget=_area(rows=2),
        error_messages={"required": "Say where the information came from (kept internal)."},
    )
    verified_by = forms.CharField(
        label="Verified by",
        max_length=200,
        help_text=VERIFIED_HELP,
        widget=_text(),
        error_messages={"required": "Say who verified it (kept internal)."},
    )

    def __init__(self, *args, spec=None, facts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec is None:
            self.fields["body"] = forms.CharField(
                label="Text of the update",
                max_length=2000,
                error_messages={"required": "Write the update."},
                help_text="Written freely, it goes to a supervisor first unless it conforms to "
                "the Mayor's guidelines (702.3).",
                widget=_area(rows=4),
            )
            self.order_fields(["body", "source", "verified_by"])
            return
        for f in spec.fields:
            self.fields[FILL_PREFIX + f.name] = forms.CharField(
                label=f.label,
                max_length=200,
                error_messages={"required": "Fill in this field."},
                help_text=f.hint or f"e.g. {f.example}",
                initial=(facts or {}).get(f.name, ""),
                widget=_text(maxlength=200),
            )
        self.order_fields([*(FILL_PREFIX + f.name for f in spec.fields), "source", "verified_by"])

    @property
    def fill_fields(self):
        return [
            self[name] for name in self.fields if name.startswith(FILL_PREFIX) or name == "body"
        ]

    @property
    def internal_fields(self):
        return [self["source"], self["verified_by"]]

    def update_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"source": data["source"], "verified_by": data["verified_by"]}
        if self.spec is None:
            kwargs["body"] = data["body"]
        else:
            kwargs["template"] = self.spec
            kwargs["fills"] = {f.name: data[FILL_PREFIX + f.name] for f in self.spec.fields}
        return kwargs

    def apply(self, error: ValidationError) -> None:
        """Put the model's messages beside the fields they are about."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, messages in error.message_dict.items():
            field = name if name in self.fields else FILL_PREFIX + name
            for message in messages:
                self.add_error(
                    field if field in self.fields and name != NON_FIELD_ERRORS else None, message
                )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why it is declined",
        max_length=2000,
        widget=_area(rows=2),
        error_messages={"required": "Tell the poster why the proposal is declined."},
    )


class CompilerForm(forms.Form):
    """Appoint someone who may post now (702.3), or remove a current compiler: removal must
    work for a compiler whose authorization has lapsed since the appointment."""

    REMOVE = "remove"

    person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Person",
        widget=_select(),
        empty_label="- Choose a person -",
        error_messages={
            "required": "Choose a person.",
            "invalid_choice": "Choose one of the people listed.",
        },
    )

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.removing = self.data.get("action") == self.REMOVE
        if self.removing and incident is not None:
            self.fields["person"].queryset = incident.current_compilers()
            self.fields["person"].error_messages["invalid_choice"] = (
                "That person is not a compiler of this incident."
            )
        else:
            self.fields["person"].queryset = people_who_may_post()


class IncidentSettingsForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (IncidentStatus.ACTIVE, "Active: the incident is going on"),
            (IncidentStatus.MONITORING, "Monitoring: it is under control; updates may slow"),
        ],
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
        error_messages={"required": "Choose active or monitoring."},
    )
    cadence_minutes = forms.IntegerField(
        label="Update every (minutes)",
        required=False,
        min_value=MIN_CADENCE,
        max_value=MAX_CADENCE,
        help_text="The compilers are reminded, on the board and by e-mail, when an update is "
        "overdue. Blank: no cadence.",
        widget=forms.NumberInput(
            attrs={"class": "usa-input usa-input--small", "min": MIN_CADENCE, "max": MAX_CADENCE}
        ),
    )


class CloseForm(UpdateForm):
    """The closing message: the pre-approved closing template (no supervisor's wait, 702.3)
    or the compiler's own words; with `revising`, the closing message of a closed incident
    that has not gone out, written again (no confirmation: the incident is closed already)."""

    def __init__(self, *args, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.spec is None:
            body = self.fields["body"]
            body.label = "Closing message"
            body.error_messages["required"] = "Write the closing message the public will see."
            body.help_text = (
                "Published to every channel of the incident as its last update. Written freely, "
                "it waits for a supervisor unless it conforms to the Mayor's guidelines (702.3)."
            )
        if not revising:
            self.fields["confirm"] = forms.BooleanField(
                label="I understand: the board is frozen; no update, proposal or correction "
                "follows.",
                widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
                error_messages={"required": "Confirm that you mean to close the incident."},
            )

    def closing_kwargs(self) -> dict:
        kwargs = self.update_kwargs()
        if "body" in kwargs:
            kwargs["message"] = kwargs.pop("body")
        return kwargs
