import re

from django import forms
from django.conf import settings

from accounts.forms import EmployeeField
from accounts.models import Department, User

from .models import ContactTopic
from .protection import sign_started

PHONE = re.compile(r"^[0-9+().\-\s]*(?:(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ContactForm(forms.Form):
    """The public form. Fields have no maxlength attribute on purpose: a browser would cut
    a pasted message short without a word; the length is checked here and explained."""

    topic = TopicChoiceField(
        queryset=ContactTopic.objects.none(),
        label="What is your message about?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose what your message is about."},
    )
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea({"class": "usa-textarea", "rows": 8}),
        error_messages={"required": "Write your message."},
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        widget=forms.TextInput({"class": "usa-input", "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your e-mail address",
        required=False,
        widget=forms.EmailInput(
            {"class": "usa-input", "autocomplete": "email", "spellcheck": "false"}
        ),
        error_messages={"invalid": "Enter an e-mail address like name@example.com."},
        max_length=None,  # checked in clean_email, without a maxlength that cuts text short
    )
    phone = forms.CharField(
        label="Your phone number",
        required=False,
        widget=forms.TextInput({"class": "usa-input", "type": "tel", "autocomplete": "tel"}),
    )
    # The honeypot: off-screen, hidden from screen readers, out of the tab order (template).
    website = forms.CharField(
        label="Leave this field empty", required=False, widget=forms.TextInput()
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = ContactTopic.objects.active().select_related("department")
        limit = settings.CONTACT_MAX_MESSAGE_CHARS
        self.fields["body"].help_text = (
            f"Up to {limit:,} characters. Do not include private details such as your "
            "Social Security or bank account number."
        )
        self.fields["name"].help_text = "So that staff know how to address you."
        self.fields["email"].help_text = "For a reply and a confirmation that we received it."
        self.fields["phone"].help_text = "If you would rather be called back."
        # Kept across a page with errors, so fixing a mistake never counts as "too fast".
        if not self.is_bound or not self.data.get("started"):
            self.initial["started"] = sign_started()

    def clean_body(self):
        body = self.cleaned_data["body"]
        limit = settings.CONTACT_MAX_MESSAGE_CHARS
        if len(body) > limit:
            raise forms.ValidationError(
                f"Your message is {len(body):,} characters long. Shorten it to {limit:,} "
                "characters or fewer, or send it in two parts. Everything you wrote is still "
                "in the box below."
            )
        return body

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) > 100:
            raise forms.ValidationError("Shorten your name to 100 characters or fewer.")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"]
        if len(email) > 254:
            raise forms.ValidationError("An e-mail address has 254 characters at most.")
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not PHONE.match(phone) or not 7 <= len(digits) <= 20 or len(phone) > 30):
            raise forms.ValidationError(
                "Enter a phone number with its area code, like (360) 555-0142."
            )
        return phone

    def full_clean(self):
        super().full_clean()
        # Each field with an error names it, so a screen reader reads the error with the field.
        for name in self.errors:
            if name not in self.fields or name in {"topic", "website", "started"}:
                continue
            bound, widget = self[name], self.fields[name].widget
            described = [f"{bound.auto_id}-error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} usa-input--error".strip()

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, error) for the summary at the top: each links to its field."""
        items = [("", "", error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name in self.fields:
                items += [(self.error_anchor(name), self[name].label, error) for error in errors]
        return items

    def topic_choices(self):
        """The topics with their hints, for the radio buttons."""
        return list(self.fields["topic"].queryset)

    def error_anchor(self, name: str) -> str:
        """Where the error summary's link for a field goes: the first radio for the topic."""
        return f"{self['topic'].auto_id}_0" if name == "topic" else self[name].auto_id


# --- The inbox ------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    note = forms.CharField(
        label="How was it answered?",
        help_text="For example: “Replied by e-mail: the crew fills the pothole on Tuesday.” "
        "This note is part of the public record (702.7).",
        widget=forms.Textarea({"class": "usa-textarea", "rows": 3}),
        error_messages={"required": "Say how it was answered."},
    )


class AssignForm(forms.Form):
    to = EmployeeField(
        queryset=User.objects.none(),
        label="Colleague",
        required=False,
        empty_label="Nobody",
        widget=forms.Select({"class": "usa-select"}),
    )

    def __init__(self, *args, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = topic.members().select_related("department")


class MoveForm(forms.Form):
    topic = TopicChoiceField(
        queryset=ContactTopic.objects.none(),
        label="Topic it belongs to",
        empty_label="- Choose a topic -",
        widget=forms.Select({"class": "usa-select"}),
        error_messages={"required": "Choose the topic it belongs to."},
    )
    reason = forms.CharField(
        label="Why it belongs there",
        widget=forms.TextInput({"class": "usa-input"}),
        error_messages={"required": "Say why it belongs to the other department."},
    )

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = ContactTopic.objects.active().exclude(pk=message.topic_id)


# --- The Mayor's office's topics -------------------------------------------------------------------


class InboxMembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.department or 'no department'})"


class TopicForm(forms.ModelForm):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        label="Department that answers",
        empty_label="- Choose a department -",
        widget=forms.Select({"class": "usa-select"}),
    )
    inbox_members = InboxMembersField(
        queryset=User.objects.none(),
        label="Who reads these messages",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="They see this topic's messages in CitySocial and are e-mailed each one.",
    )

    class Meta:
        model = ContactTopic
        fields = ["label", "hint", "department", "email", "inbox_members", "position", "is_active"]
        labels = {
            "label": "Topic, as residents see it",
            "hint": "Examples under the topic",
            "email": "Department's shared e-mail address",
            "position": "Order on the page",
            "is_active": "Offer this topic on the contact page",
        }
        widgets = {
            "label": forms.TextInput({"class": "usa-input"}),
            "hint": forms.TextInput({"class": "usa-input"}),
            "email": forms.EmailInput({"class": "usa-input"}),
            "position": forms.NumberInput({"class": "usa-input usa-input--small"}),
            "is_active": forms.CheckboxInput({"class": "usa-checkbox__input"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inbox_members"].queryset = (
            User.objects.filter(is_active=True)
            .select_related("department")
            .order_by("last_name", "first_name", "username")
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("inbox_members")
        return data
