"""Forms of the Mayor's office pages that configure the checks (USWDS markup)."""

from django import forms

from posting.models import Category
from review.check_models import (
    AllowedPhrase,
    CaseNumberFormat,
    CheckSeverity,
    CityContact,
    LexiconEntry,
    RuleSetting,
    WatchListEntry,
)

TEXT = {"class": "usa-input"}
SELECT = {"class": "usa-select"}


class LexiconEntryForm(forms.ModelForm):
    class Meta:
        model = LexiconEntry
        fields = ["term", "kind", "severity", "note", "active"]
        widgets = {
            "term": forms.TextInput(TEXT),
            "kind": forms.Select(attrs=SELECT),
            "severity": forms.Select(attrs=SELECT),
            "note": forms.TextInput(TEXT),
        }


class AllowedPhraseForm(forms.ModelForm):
    class Meta:
        model = AllowedPhrase
        fields = ["phrase", "scope", "note", "active"]
        widgets = {
            "phrase": forms.TextInput(TEXT),
            "scope": forms.TextInput(TEXT),
            "note": forms.TextInput(TEXT),
        }


class CityContactForm(forms.ModelForm):
    class Meta:
        model = CityContact
        fields = ["kind", "value", "label", "active"]
        widgets = {
            "kind": forms.Select(attrs=SELECT),
            "value": forms.TextInput(TEXT),
            "label": forms.TextInput(TEXT),
        }


class CaseNumberFormatForm(forms.ModelForm):
    class Meta:
        model = CaseNumberFormat
        fields = ["label", "pattern", "context_words", "active"]
        widgets = {
            "label": forms.TextInput(TEXT),
            "pattern": forms.TextInput({**TEXT, "spellcheck": "false"}),
            "context_words": forms.TextInput(TEXT),
        }


class WatchListEntryForm(forms.ModelForm):
    class Meta:
        model = WatchListEntry
        fields = ["term", "kind", "note", "expires", "active"]
        labels = {"term": "Name or term"}
        widgets = {
            "term": forms.TextInput(TEXT),
            "kind": forms.Select(attrs=SELECT),
            "note": forms.TextInput(TEXT),
            "expires": forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
        }


class RuleSettingForm(forms.ModelForm):
    class Meta:
        model = RuleSetting
        fields = ["enabled", "severity_override"]
        labels = {"enabled": "Check is on", "severity_override": "Severity"}
        widgets = {"severity_override": forms.Select(attrs=SELECT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity_override"].choices = [("", "The rule's own"), *CheckSeverity.choices]


class TryForm(forms.Form):
    title = forms.CharField(required=False, max_length=140, widget=forms.TextInput(TEXT))
    body = forms.CharField(
        label="Text", widget=forms.Textarea({"class": "usa-textarea", "rows": 6})
    )
    category = forms.ChoiceField(choices=Category.choices, widget=forms.Select(attrs=SELECT))
