from django import forms

from posting.models import Category, Channel

from .models import ApprovalChain, ApprovalStep


class ApprovalChainForm(forms.ModelForm):
    category = forms.ChoiceField(
        choices=[("", "Every category"), *Category.choices],
        required=False,
        widget=forms.Select({"class": "usa-select"}),
        label="Content category (702.4)",
    )
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unchecked for every channel.",
    )

    class Meta:
        model = ApprovalChain
        fields = ["name", "category", "channels", "active"]
        widgets = {"name": forms.TextInput({"class": "usa-input"})}


class ApprovalStepForm(forms.ModelForm):
    class Meta:
        model = ApprovalStep
        fields = ["order", "group", "person", "rule"]
        widgets = {
            "order": forms.NumberInput({"class": "usa-input usa-input--small", "min": 1}),
            "group": forms.Select({"class": "usa-select"}),
            "person": forms.Select({"class": "usa-select"}),
            "rule": forms.Select({"class": "usa-select"}),
        }
        labels = {"group": "A group", "person": "Or a person", "rule": "Who must approve"}

    def clean(self):
        cleaned = super().clean()
        if not self.cleaned_data.get("DELETE") and self.has_changed():
            if not cleaned.get("group") and not cleaned.get("person"):
                raise forms.ValidationError("Name a group or a person for this step.")
            if cleaned.get("group") and cleaned.get("person"):
                raise forms.ValidationError("Name a group or a person, not both.")
        return cleaned


class BaseStepFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "usa-checkbox__input"


StepFormSet = forms.inlineformset_factory(
    ApprovalChain,
    ApprovalStep,
    form=ApprovalStepForm,
    formset=BaseStepFormSet,
    extra=2,
    can_delete=True,
)
