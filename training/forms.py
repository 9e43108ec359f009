from django import forms

from accounts.models import Department
from accounts.roles import Role

from .models import CompletionMode, TrainingModule
from .services import Status


class QuizForm(forms.Form):
    """One radio group per question; every question needs an answer."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[self.field_name(question)] = forms.TypedChoiceField(
                label=question.prompt,
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose an answer to question {number}.",
                    "invalid_choice": f"Choose one of the answers to question {number}.",
                },
            )

    @staticmethod
    def field_name(question) -> str:
        return f"question_{question.pk}"

    def numbered(self):
        """(number, question, bound field) for the template."""
        return [
            (number, question, self[self.field_name(question)])
            for number, question in enumerate(self.questions, start=1)
        ]

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[self.field_name(q)] for q in self.questions}


class AttestationForm(forms.Form):
    confirm = forms.BooleanField(
        error_messages={"required": "Confirm the statement to complete this module."}
    )


class ModuleSettingsForm(forms.Form):
    completion_mode = forms.ChoiceField(
        choices=CompletionMode.choices,
        widget=forms.RadioSelect,
        label="How employees complete this module",
    )
    pass_mark = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Pass mark (%)",
        error_messages={"required": "Give the pass mark as a percentage from 1 to 100."},
    )
    validity_days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        label="A completion stays current for (days)",
        error_messages={"required": "Give the number of days a completion stays current."},
    )
    required = forms.BooleanField(
        required=False, label="Required: employees need it to be authorized to post (702.3)"
    )
    attestation_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Statement employees confirm (attestation only)",
    )

    @classmethod
    def for_module(cls, module: TrainingModule, data=None):
        return cls(
            data,
            initial={
                "completion_mode": module.completion_mode,
                "pass_mark": module.pass_mark,
                "validity_days": module.validity_days,
                "required": module.required,
                "attestation_text": module.attestation_text,
            },
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What changed in this version",
        error_messages={"required": "Say what changed in this version."},
    )
    requires_retraining = forms.BooleanField(
        required=False,
        label="Requires re-training: completions of earlier versions stop counting at once",
    )


class PageForm(forms.Form):
    title = forms.CharField(max_length=140, label="Page title")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="Page text")


class QuestionForm(forms.Form):
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Question")
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Answers",
        help_text="One answer per line. Start the right answer with *.",
    )

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        choices = [
            (line[1:].strip(), True) if line.startswith("*") else (line, False)
            for line in lines
            if line
        ]
        if len(choices) < 2:
            raise forms.ValidationError("Give at least two answers, one per line.")
        if sum(1 for _, right in choices if right) != 1:
            raise forms.ValidationError("Start exactly one answer, the right one, with *.")
        if any(len(text) > 400 for text, _ in choices):
            raise forms.ValidationError("Keep each answer under 400 characters.")
        if any(not text for text, _ in choices):
            raise forms.ValidationError("An answer marked with * is empty.")
        return choices

    @staticmethod
    def initial_for(question) -> dict:
        lines = [("*" if c.is_correct else "") + c.text for c in question.choices.all()]
        return {"prompt": question.prompt, "choices": "\n".join(lines)}


PageFormSet = forms.formset_factory(PageForm, extra=1, can_delete=True)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True)


def kept(formset) -> list[dict]:
    """The cleaned forms of a valid formset, without blank extra forms and deleted ones."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ReportFilterForm(forms.Form):
    module = forms.ChoiceField(required=False, label="Module")
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *((s, Status.LABELS[s]) for s in Status.ORDER)],
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        required=False,
        empty_label="All departments",
        label="Department",
    )
    role = forms.ChoiceField(
        required=False, label="Role", choices=[("", "Any role"), *Role.choices]
    )
    authorized = forms.BooleanField(
        required=False, label="Only employees authorized to post now (702.3)"
    )
    q = forms.CharField(required=False, max_length=100, label="Name or username")

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = list(modules)
        self.fields["module"].choices = [
            ("", "All modules"),
            *((module.slug, module.title) for module in self.modules),
        ]

    def report_arguments(self) -> dict:
        """Keyword arguments for report.build_report(); an invalid filter shows everything."""
        data = self.cleaned_data if self.is_valid() else {}
        slug = data.get("module")
        return {
            "modules": [m for m in self.modules if m.slug == slug] if slug else self.modules,
            "status": data.get("status", ""),
            "department": data.get("department"),
            "role": data.get("role", ""),
            "authorized_only": data.get("authorized", False),
            "query": (data.get("q") or "").strip(),
        }
