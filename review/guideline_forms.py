"""Forms for the Mayor's guidelines (702.3): the Mayor's office edits, posters try templates."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from posting.models import Channel

from .guideline_models import (
    PLACEHOLDER_RE,
    Guideline,
    GuidelineTemplate,
    RequiredElement,
    TemplateField,
    require_mayors_office,
)


def _input(**attrs):
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


def _textarea(rows=4, **attrs):
    return forms.Textarea(attrs={"class": "usa-textarea", "rows": rows, **attrs})


class GuidelineForm(forms.ModelForm):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Channels a conforming post may go to",
        help_text="Leave all unchecked to allow every channel.",
    )

    class Meta:
        model = Guideline
        fields = [
            "summary",
            "channels",
            "min_length",
            "max_length",
            "allowed_link_domains",
            "required_terms",
            "banned_terms",
            "always_needs_approval",
            "active",
        ]
        labels = {
            "summary": "What these posts say",
            "active": "The guideline is in force",
        }
        widgets = {
            "summary": _textarea(3),
            "min_length": forms.NumberInput(
                attrs={"class": "usa-input usa-input--small", "min": 0}
            ),
            "max_length": forms.NumberInput(
                attrs={"class": "usa-input usa-input--small", "min": 1}
            ),
            "allowed_link_domains": _textarea(4, spellcheck="false"),
            "required_terms": _textarea(3),
            "banned_terms": _textarea(4),
        }

    def clean_allowed_link_domains(self):
        return "\n".join(
            line.strip().lower()
            for line in self.cleaned_data["allowed_link_domains"].splitlines()
            if line.strip()
        )


class RequiredElementForm(forms.ModelForm):
    class Meta:
        model = RequiredElement
        fields = ["label", "pattern", "hint"]
        labels = {"label": "What the post includes", "pattern": "Pattern", "hint": "Example"}
        widgets = {
            "label": _input(),
            "pattern": _input(spellcheck="false", autocomplete="off"),
            "hint": _input(),
        }
        error_messages = {
            "label": {"required": "Say what the post includes, e.g. “the time window”."},
            "pattern": {"required": "Give the pattern the text must contain."},
        }


RequiredElementFormSet = forms.inlineformset_factory(
    Guideline,
    RequiredElement,
    form=RequiredElementForm,
    extra=1,
    can_delete=True,
)


class GuidelineTemplateForm(forms.ModelForm):
    class Meta:
        model = GuidelineTemplate
        fields = ["name", "text", "active"]
        labels = {"name": "Name", "text": "Text", "active": "Offer this template to posters"}
        widgets = {"name": _input(), "text": _textarea(5)}
        error_messages = {
            "name": {"required": "Give the template a name posters recognize."},
            "text": {"required": "Write the template's text."},
        }


class TemplateFieldForm(forms.ModelForm):
    class Meta:
        model = TemplateField
        fields = ["name", "label", "pattern", "hint", "example"]
        labels = {
            "name": "Name in the text",
            "label": "Label shown to posters",
            "pattern": "Pattern",
            "hint": "Hint",
            "example": "Example fill",
        }
        widgets = {
            "name": _input(spellcheck="false", autocomplete="off"),
            "label": _input(),
            "pattern": _input(spellcheck="false", autocomplete="off"),
            "hint": _input(),
            "example": _input(),
        }
        error_messages = {
            "name": {"required": "Give the field's name as written in braces in the text."},
            "label": {"required": "Give the label posters see."},
            "example": {"required": "Give an example fill: the template is checked with it."},
        }


TemplateFieldFormSet = forms.inlineformset_factory(
    GuidelineTemplate,
    TemplateField,
    form=TemplateFieldForm,
    extra=1,
    can_delete=True,
)


def kept_forms(formset):
    """The formset's forms that will be saved: filled in and not marked for removal."""
    return [
        form
        for form in formset.forms
        if (form.has_changed() or form.instance.pk)
        and not getattr(form, "cleaned_data", {}).get("DELETE")
    ]


def save_in_order(formset) -> None:
    """Save an inline formset's rows, numbered in the order they appear on the page."""
    formset.save(commit=False)
    for removed in formset.deleted_objects:
        removed.delete()
    for position, form in enumerate(kept_forms(formset)):
        row = form.instance
        if row.pk is None or form.has_changed() or row.position != position:
            row.position = position
            row.save()


class GuidelineEditor:
    """The guideline form and its required elements, saved together by the Mayor's office."""

    def __init__(self, guideline: Guideline, data=None):
        self.guideline = guideline
        self.form = GuidelineForm(data, instance=guideline)
        self.elements = RequiredElementFormSet(data, instance=guideline, prefix="elements")

    def is_valid(self) -> bool:
        return self.form.is_valid() and self.elements.is_valid()

    @property
    def error_count(self) -> int:
        return (
            len(self.form.errors)
            + sum(len(e) for e in self.elements.errors)
            + len(self.elements.non_form_errors())
        )

    @transaction.atomic
    def save(self, *, by) -> Guideline:
        require_mayors_office(by)
        guideline = self.form.save(commit=False)
        guideline.updated_by = by
        guideline.save()
        self.form.save_m2m()
        save_in_order(self.elements)
        return guideline


class TemplateEditor:
    """A pre-approved template and its fill-in fields, saved together by the Mayor's office."""

    def __init__(self, template: GuidelineTemplate, data=None):
        self.template = template
        self.form = GuidelineTemplateForm(data, instance=template)
        self.fields = TemplateFieldFormSet(data, instance=template, prefix="fields")

    def is_valid(self) -> bool:
        if not (self.form.is_valid() and self.fields.is_valid()):
            return False
        # The text's {placeholders} and the fields below are the same set.
        text = self.form.cleaned_data.get("text", "")
        used = set(PLACEHOLDER_RE.findall(text))
        names: dict[str, forms.Form] = {}
        for form in kept_forms(self.fields):
            name = form.cleaned_data.get("name")
            if not name:
                continue
            if name in names:
                form.add_error("name", f"Two fields are named “{name}”.")
            names[name] = form
            if name not in used:
                form.add_error(
                    "name", f"The text does not use {{{name}}}. Add it or remove this field."
                )
        missing = sorted(used - set(names))
        if missing:
            self.form.add_error(
                "text",
                "Add a fill-in field below for "
                + ", ".join(f"{{{name}}}" for name in missing)
                + ".",
            )
        return self.form.is_valid() and not any(f.errors for f in self.fields.forms)

    @property
    def error_count(self) -> int:
        return len(self.form.errors) + sum(len(e) for e in self.fields.errors)

    @transaction.atomic
    def save(self, *, by) -> GuidelineTemplate:
        require_mayors_office(by)
        template = self.form.save(commit=False)
        template.updated_by = by
        template.save()
        self.fields.instance = template
        save_in_order(self.fields)
        return template


class TryTemplateForm(forms.Form):
    """One text input per fill-in field of an offered template (TemplateSpec)."""

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for f in spec.fields:
            self.fields[f.name] = forms.CharField(
                label=f.label,
                required=False,  # fill_template says what is missing, in the policy's words
                max_length=200,
                help_text=f.hint or f"e.g. {f.example}",
                widget=_input(),
            )

    def apply(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(None if name == NON_FIELD_ERRORS else name, message)
