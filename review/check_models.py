"""The configuration of the prohibited-content checks (702.5), kept by the Mayor's office.

702.3-3: the Mayor develops the content guidelines; these lists are how the checks apply them.
Every save changes CheckConfigurationVersion's stamp, which tells each process's cached engine
configuration (review/checks/config.py) to reload; django-simple-history keeps every change.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from simple_history.models import HistoricalRecords

__all__ = [
    "AllowedPhrase",
    "CaseNumberFormat",
    "CheckConfigurationVersion",
    "CheckSeverity",
    "CityContact",
    "LexiconEntry",
    "RuleSetting",
    "WatchListEntry",
]


class CheckSeverity(models.TextChoices):
    BLOCK = "block", "Blocked"
    NEEDS_SUPERVISOR = "needs_supervisor", "Needs a supervisor"
    WARN = "warn", "Warning"


class CheckConfigurationVersion(models.Model):
    """One row whose stamp changes with every configuration change."""

    stamp = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.stamp

    @classmethod
    def current_stamp(cls) -> str:
        return cls.objects.filter(pk=1).values_list("stamp", flat=True).first() or ""

    @classmethod
    def bump(cls) -> None:
        # A fresh random stamp rather than a counter: a rolled-back transaction can bring a
        # counter back to a value a process has already cached with other contents.
        stamp = uuid.uuid4().hex
        if not cls.objects.filter(pk=1).update(stamp=stamp):
            cls.objects.update_or_create(pk=1, defaults={"stamp": stamp})


class ConfigurationModel(models.Model):
    """Saving or deleting a row changes the configuration version."""

    class Meta:
        abstract = True

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CheckConfigurationVersion.bump()

    @transaction.atomic
    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        CheckConfigurationVersion.bump()
        return result


class LexiconEntry(ConfigurationModel):
    """702.5(a): a word or phrase that is abusive, discriminatory, inflammatory or explicit."""

    class Kind(models.TextChoices):
        PROFANITY = "profanity", "Profanity"
        SLUR = "slur", "Slur"
        SEXUAL = "sexual", "Sexually explicit"
        INFLAMMATORY = "inflammatory", "Abusive or inflammatory"

    term = models.CharField(
        max_length=200,
        help_text='A word or phrase, matched as whole words. Braces list endings: "curse{,s,d}".',
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    severity = models.CharField(
        max_length=20, choices=CheckSeverity.choices, default=CheckSeverity.BLOCK
    )
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "term"]
        verbose_name_plural = "lexicon entries"
        constraints = [models.UniqueConstraint(fields=["term", "kind"], name="one_lexicon_term")]

    def __str__(self) -> str:
        return self.term

    def clean(self):
        self.term = " ".join(self.term.split()).lower()
        if self.term.count("{") != self.term.count("}"):
            raise ValidationError({"term": "Close every brace: curse{,s,d}."})
        if not re.search(r"[a-z]", self.term):
            raise ValidationError({"term": "Enter a word with letters."})


class AllowedPhrase(ConfigurationModel):
    """A phrase that is not what a check looks for in it ("sex offender registry")."""

    phrase = models.CharField(max_length=200)
    scope = models.CharField(
        max_length=60,
        default="all",
        help_text='"all", a clause such as 702.5(a), or one rule id such as 702.5(d)/electioneering.',
    )
    note = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "scope"], name="one_allowed_phrase")
        ]

    def __str__(self) -> str:
        return self.phrase

    def clean(self):
        from review.checks.rules import RULES

        self.phrase = " ".join(self.phrase.split()).lower()
        scope = self.scope.strip()
        clauses = {rule.clause for rule in RULES.values()}
        if scope != "all" and scope not in clauses and scope not in RULES:
            raise ValidationError({"scope": "Enter all, a clause such as 702.5(a), or a rule id."})
        self.scope = scope


class CityContact(ConfigurationModel):
    """A contact the City publishes: it passes the privacy checks (702.5(b))."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number"
        EMAIL = "email", "E-mail address"
        DOMAIN = "domain", "E-mail or web domain"
        ADDRESS = "address", "Street address of a city building"
        HANDLE = "handle", "Social media handle"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(
        max_length=200,
        help_text="A phone number (end with * for a whole block: 541-555-01*), an e-mail "
        "address, a domain (riverton.gov), a street address (100 Main Street) or a handle.",
    )
    label = models.CharField(max_length=200, help_text="Whose it is: City Hall main line.")
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "label"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_city_contact")]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"

    def clean(self):
        from review.checks.config import national_number

        self.value = self.value.strip()
        if self.kind == self.Kind.PHONE and not self.value.endswith("*"):
            if national_number(self.value) is None:
                raise ValidationError({"value": "Enter a US phone number: 541-555-0100."})
        elif self.kind == self.Kind.EMAIL:
            validate_email(self.value)
        elif self.kind == self.Kind.DOMAIN and not re.fullmatch(
            r"@?(?:[a-z0-9-]+\.)+[a-z]{2,}", self.value.lower()
        ):
            raise ValidationError({"value": "Enter a domain such as riverton.gov."})
        elif self.kind == self.Kind.ADDRESS and not re.match(r"\d+\s+\w", self.value):
            raise ValidationError({"value": "Enter a number and a street: 100 Main Street."})
        elif self.kind == self.Kind.HANDLE and not re.fullmatch(
            r"@?[A-Za-z0-9_.]{2,60}", self.value
        ):
            raise ValidationError({"value": "Enter a handle such as @RivertonPD."})


class CaseNumberFormat(ConfigurationModel):
    """702.5(c): how the City's case and report numbers look."""

    label = models.CharField(max_length=120, unique=True)
    pattern = models.CharField(
        max_length=300, help_text=r"A regular expression, e.g. \b\d{2}-\d{5,6}\b"
    )
    context_words = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated words, one of which must come just before the number "
        "(case, report, incident). Leave empty when the format alone is enough.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.full_clean()  # 702.5(c): a broken pattern must never reach the engine
        super().save(*args, **kwargs)

    def clean(self):
        try:
            regex = re.compile(self.pattern)
        except re.error as error:
            raise ValidationError(
                {"pattern": f"This is not a valid regular expression: {error}."}
            ) from error
        if regex.search("") is not None or regex.search("The library opens at 10 AM.") is not None:
            raise ValidationError(
                {"pattern": "This pattern matches ordinary text; make it stricter."}
            )


class WatchListEntry(ConfigurationModel):
    """A confidential name or term: active investigations (702.5(c)) and juveniles and victims
    (702.5(b)). Supervisors and the Mayor's office keep it."""

    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", "Active investigation (702.5(c))"
        JUVENILE = "juvenile", "Juvenile (702.5(b))"
        VICTIM = "victim", "Victim (702.5(b))"

    term = models.CharField(max_length=200, help_text="A name or term, matched as whole words.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    expires = models.DateField(
        null=True, blank=True, help_text="Leave empty to keep it until removed."
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "term"]
        verbose_name_plural = "watch list entries"

    def __str__(self) -> str:
        return self.term

    def clean(self):
        self.term = " ".join(self.term.split())
        if not re.search(r"\w", self.term):
            raise ValidationError({"term": "Enter a name or a term."})


class RuleSetting(ConfigurationModel):
    """Turns a check off, or changes how severe its findings are."""

    rule_id = models.CharField(max_length=60, unique=True)
    enabled = models.BooleanField(default=True)
    severity_override = models.CharField(
        max_length=20, choices=CheckSeverity.choices, blank=True, help_text="Empty: the rule's own."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_id"]

    def __str__(self) -> str:
        return self.rule_id

    def clean(self):
        from review.checks.rules import RULES

        if self.rule_id not in RULES:
            raise ValidationError({"rule_id": "There is no such rule."})
