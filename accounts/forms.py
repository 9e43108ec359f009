from django import forms

from posting.models import Category, Channel

from .models import Department, User

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "usa-input"})


def employee_choices():
    return (
        User.objects.filter(is_active=True)
        .select_related("department")
        .order_by("last_name", "first_name", "username")
    )


class EmployeeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.department or 'no department'})"


class PeriodForm(forms.Form):
    valid_from = forms.DateField(
        label="Starts", required=False, widget=DATE_INPUT, help_text="Leave empty to start now."
    )
    valid_until = forms.DateField(
        label="Ends", required=False, widget=DATE_INPUT, help_text="Leave empty for no end date."
    )
    note = forms.CharField(
        label="Note", required=False, max_length=300, widget=forms.TextInput({"class": "usa-input"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", "The end must come after the start.")
        return cleaned

    def period(self) -> dict:
        from datetime import datetime, time

        from django.utils import timezone

        def at(day, default):
            if day is None:
                return default
            return timezone.make_aware(datetime.combine(day, time.min))

        return {
            "valid_from": at(self.cleaned_data.get("valid_from"), None),
            "valid_until": at(self.cleaned_data.get("valid_until"), None),
            "note": self.cleaned_data.get("note", ""),
        }


class AuthorizationForm(PeriodForm):
    user = EmployeeField(
        queryset=None,
        label="Employee",
        widget=forms.Select(attrs={"class": "usa-select"}),
        empty_label="- Choose an employee -",
    )
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one channel."},
    )
    categories = forms.MultipleChoiceField(
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Content categories",
        help_text="Leave all unchecked to allow every category of 702.4.",
    )
    field_order = ["user", "channels", "categories", "valid_from", "valid_until", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = employee_choices()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason",
        widget=forms.TextInput({"class": "usa-input"}),
        error_messages={"required": "Give a reason for the revocation."},
    )


class DesignationForm(PeriodForm):
    designee = EmployeeField(
        queryset=None,
        label="Designee",
        widget=forms.Select(attrs={"class": "usa-select"}),
        empty_label="- Choose an employee -",
    )
    authority = forms.CharField(
        max_length=200,
        label="On whose authority",
        help_text='For example "Mayor Dana Ortiz, Executive Order 2026-03".',
        widget=forms.TextInput({"class": "usa-input"}),
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unchecked for every department.",
    )
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unchecked for every channel.",
    )
    field_order = [
        "designee",
        "authority",
        "departments",
        "channels",
        "valid_from",
        "valid_until",
        "note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designee"].queryset = employee_choices()


class EnrollDeviceForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name of this device",
        help_text='As IT knows it, for example "Public Works laptop PW-114".',
        widget=forms.TextInput({"class": "usa-input"}),
    )
    asset_tag = forms.CharField(
        max_length=50,
        required=False,
        label="City asset tag",
        widget=forms.TextInput({"class": "usa-input"}),
    )


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason",
        widget=forms.TextInput({"class": "usa-input"}),
    )


class EquipmentExceptionForm(forms.Form):
    employee = EmployeeField(
        queryset=None,
        label="Employee",
        widget=forms.Select(attrs={"class": "usa-select"}),
        empty_label="- Choose one of your employees -",
    )
    reason = forms.CharField(
        max_length=300,
        label="Why other equipment",
        widget=forms.TextInput({"class": "usa-input"}),
    )
    valid_until = forms.DateField(label="Ends", widget=DATE_INPUT, help_text="30 days at most.")

    def __init__(self, *args, supervisor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employee_choices().filter(supervisor=supervisor)

    def ends_at(self):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(self.cleaned_data["valid_until"], time.max))


class OrgChartForm(forms.ModelForm):
    """The org chart: where posting requests are routed (702.3)."""

    class Meta:
        model = User
        fields = ["department", "supervisor", "job_title"]
        widgets = {
            "department": forms.Select({"class": "usa-select"}),
            "supervisor": forms.Select({"class": "usa-select"}),
            "job_title": forms.TextInput({"class": "usa-input"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = employee_choices().exclude(pk=self.instance.pk)

    def clean_supervisor(self):
        supervisor = self.cleaned_data.get("supervisor")
        chain, seen = supervisor, set()
        while chain is not None and chain.pk not in seen:
            if chain.pk == self.instance.pk:
                raise forms.ValidationError("That would make a loop in the org chart.")
            seen.add(chain.pk)
            chain = chain.supervisor
        return supervisor
