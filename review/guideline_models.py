"""The Mayor's guidelines (702.3), as data the Mayor's office edits.

702.3: "The Mayor may develop specific guidelines identifying the type of content that may be
posted. Any content that does not strictly conform to the guidelines should be approved by a
supervisor prior to posting." One guideline per content category of 702.4 (a)-(h) says what a
strictly conforming post of that category looks like; review.guidelines evaluates drafts against
it. Imported at the end of review/models.py, so these are models of the `review` app.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from posting.models import Category, Channel

__all__ = [
    "Guideline",
    "GuidelineRevision",
    "GuidelineTemplate",
    "RequiredElement",
    "TemplateField",
]

# The city's own domains: links to them conform unless a guideline says otherwise.
# "*.riverton.example" allows every subdomain (www., parks., ...); the bare name the apex only.
CITY_LINK_DOMAINS = getattr(
    settings, "CITY_LINK_DOMAINS", ["riverton.example", "*.riverton.example"]
)

# How the guidelines speak of a post of each category: "a traffic post includes ...".
CATEGORY_NOUNS = {
    Category.ANNOUNCEMENT: "an announcement",
    Category.CRIME_PREVENTION: "a crime prevention post",
    Category.REQUEST_FOR_INFORMATION: "a request for information",
    Category.COMMUNITY_ENGAGEMENT: "a community engagement post",
    Category.REAL_TIME_SAFETY: "a real-time safety alert",
    Category.TRAFFIC: "a traffic post",
    Category.MEDIA_RELEASE: "a media release",
    Category.RECRUITMENT: "a recruitment post",
}

DOMAIN_RE = re.compile(r"^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
# A fill-in field in a template's text: {location}, {start_time}.
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]{0,39})\}")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Patterns are written by the Mayor's office and run as people type; a long one is a mistake.
MAX_PATTERN_LENGTH = 1000


def lines(text: str) -> list[str]:
    """The non-empty lines of a one-per-line list, trimmed, in order, without repeats."""
    kept, seen = [], set()
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line.lower() not in seen:
            seen.add(line.lower())
            kept.append(line)
    return kept


def compile_pattern(pattern: str) -> re.Pattern:
    """A pattern as the guidelines use it (case-insensitive), or a ValidationError saying why."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValidationError(f"Keep the pattern under {MAX_PATTERN_LENGTH} characters.")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValidationError(
            f"This is not a valid pattern (regular expression): {exc.msg}"
            + (f" at position {exc.pos}." if exc.pos is not None else ".")
        ) from exc


def validate_pattern(pattern: str) -> None:
    compile_pattern(pattern)


def validate_domains(text: str) -> None:
    bad = [d for d in lines(text) if not DOMAIN_RE.match(d.lower())]
    if bad:
        raise ValidationError(
            "Write one domain per line, like riverton.example, or *.riverton.example for its "
            f"subdomains. Not a domain: {', '.join(bad)}."
        )


def require_mayors_office(user, action: str = "change the Mayor's guidelines") -> None:
    """702.3: the guidelines are the Mayor's; only the Mayor's office changes them."""
    if not (user and user.is_authenticated and user.has_role(Role.MAYORS_OFFICE)):
        raise PermissionDenied(f"702.3: only the Mayor's office may {action}.")


def _default_domains() -> str:
    return "\n".join(CITY_LINK_DOMAINS)


class GuidelineQuerySet(models.QuerySet):
    def in_category_order(self):
        order = models.Case(
            *[models.When(category=value, then=i) for i, value in enumerate(Category.values)],
            output_field=models.IntegerField(),
        )
        return self.annotate(category_order=order).order_by("category_order")

    def for_evaluation(self):
        """All that review.guidelines compiles, in a fixed number of queries."""
        return self.filter(active=True).prefetch_related(
            "channels",
            models.Prefetch(
                "required_elements", RequiredElement.objects.order_by("position", "pk")
            ),
            models.Prefetch(
                "templates",
                GuidelineTemplate.objects.filter(active=True)
                .order_by("name", "pk")
                .prefetch_related(
                    models.Prefetch("fields", TemplateField.objects.order_by("position", "pk"))
                ),
            ),
        )


class Guideline(models.Model):
    """What a strictly conforming post of one 702.4 category looks like (702.3)."""

    category = models.CharField(max_length=40, choices=Category.choices, unique=True)
    summary = models.TextField(
        blank=True,
        help_text="In plain words, what posts of this category say. Shown to staff.",
    )
    channels = models.ManyToManyField(
        Channel,
        blank=True,
        related_name="+",
        help_text="Leave all unchecked to allow every channel.",
    )
    min_length = models.PositiveIntegerField(
        "Shortest text (characters)", null=True, blank=True, help_text="Leave empty for no minimum."
    )
    max_length = models.PositiveIntegerField(
        "Longest text (characters)", null=True, blank=True, help_text="Leave empty for no maximum."
    )
    allowed_link_domains = models.TextField(
        "Domains links may point to",
        blank=True,
        default=_default_domains,
        validators=[validate_domains],
        help_text=(
            "One per line: the city's and its partners' domains. *.riverton.example allows every "
            "subdomain. A link to any other domain does not conform; with none listed, no link "
            "conforms."
        ),
    )
    required_terms = models.TextField(
        "Required words",
        blank=True,
        help_text="One per line. Every post of this category uses each of them.",
    )
    banned_terms = models.TextField(
        "Words not allowed",
        blank=True,
        help_text="One per line. A post that uses any of them does not conform.",
    )
    always_needs_approval = models.BooleanField(
        "Always approved by a supervisor",
        default=False,
        help_text="No post of this category conforms: a supervisor approves every one.",
    )
    active = models.BooleanField(
        default=True,
        help_text="When off, no post of this category conforms: a supervisor approves every one.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuidelineQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_length__isnull=True)
                | models.Q(max_length__isnull=True)
                | models.Q(min_length__lte=models.F("max_length")),
                name="guideline_min_length_not_over_max",
            )
        ]

    def __str__(self) -> str:
        return f"Guideline for {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("guidelines:edit", args=[self.category])

    @property
    def noun(self) -> str:
        return CATEGORY_NOUNS.get(self.category, "a post of this category")

    @property
    def domain_list(self) -> list[str]:
        return [d.lower() for d in lines(self.allowed_link_domains)]

    @property
    def required_term_list(self) -> list[str]:
        return lines(self.required_terms)

    @property
    def banned_term_list(self) -> list[str]:
        return lines(self.banned_terms)

    def clean(self):
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValidationError(
                {"min_length": "The shortest text cannot be longer than the longest text."}
            )
        overlap = {t.lower() for t in self.required_term_list} & {
            t.lower() for t in self.banned_term_list
        }
        if overlap:
            raise ValidationError(
                {
                    "banned_terms": "A word cannot be both required and not allowed: "
                    + ", ".join(sorted(overlap))
                }
            )


class RequiredElement(models.Model):
    """Something every conforming post of the category says, e.g. the time window of a closure."""

    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="required_elements"
    )
    label = models.CharField(
        max_length=120,
        help_text="What the post includes, as people say it: “the time window”.",
    )
    pattern = models.CharField(
        max_length=MAX_PATTERN_LENGTH,
        validators=[validate_pattern],
        help_text="A regular expression the text must contain (case does not matter).",
    )
    hint = models.CharField(
        max_length=200, blank=True, help_text="An example in plain words: “from 9 AM to 3 PM”."
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        # The evaluator compiles this on every process: a broken pattern never reaches it.
        compile_pattern(self.pattern)
        super().save(*args, **kwargs)


class GuidelineTemplate(models.Model):
    """A pre-approved text with fill-in fields, like "{road} is closed from {start_time} ..."."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=120)
    text = models.TextField(
        help_text="The post's text. Put each fill-in field's name in braces: {location}."
    )
    active = models.BooleanField(default=True, help_text="Offered to posters when on.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "name"], name="template_name_per_guideline"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("guidelines:template_edit", args=[self.pk])

    @property
    def placeholders(self) -> list[str]:
        return list(dict.fromkeys(PLACEHOLDER_RE.findall(self.text)))

    def clean(self):
        # Braces mean fill-in fields and nothing else, so a fill can never be misread.
        rest = PLACEHOLDER_RE.sub("", self.text or "")
        if "{" in rest or "}" in rest:
            raise ValidationError(
                {
                    "text": "Use braces only around a fill-in field's name, in lower case with "
                    "underscores: {location}, {start_time}."
                }
            )


class TemplateField(models.Model):
    """One fill-in field of a template: what it asks for and what a good fill looks like."""

    template = models.ForeignKey(GuidelineTemplate, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(
        max_length=40, help_text="As written in braces in the text, e.g. start_time."
    )
    label = models.CharField(max_length=120, help_text="Shown to the poster: “Start time”.")
    pattern = models.CharField(
        max_length=MAX_PATTERN_LENGTH,
        blank=True,
        validators=[validate_pattern],
        help_text="Optional. A regular expression the whole fill must match.",
    )
    hint = models.CharField(max_length=200, blank=True, help_text="e.g. “9 AM”.")
    example = models.CharField(
        max_length=200,
        help_text="A good fill. The template is checked with it before posters see it.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="field_name_per_template")
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.pattern:
            compile_pattern(self.pattern)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.name and not FIELD_NAME_RE.match(self.name):
            errors["name"] = (
                "Use lower-case letters, digits and underscores, starting with a letter."
            )
        if self.pattern and self.example:
            try:
                matches = compile_pattern(self.pattern).fullmatch(self.example.strip())
            except ValidationError:
                matches = True  # the pattern's own validator reports it
            if not matches:
                errors["example"] = "The example does not match the pattern."
        if errors:
            raise ValidationError(errors)


class GuidelineRevision(models.Model):
    """One row whose stamp changes whenever any guideline data changes.

    review.guidelines caches compiled guidelines in each process (web workers, Celery workers)
    and reads this stamp, one primary-key query, on every evaluation: an edit in one process
    takes effect in all of them at once. A random stamp rather than a counter, so a rolled-back
    or flushed database never brings back a stamp some process has cached.
    """

    stamp = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return str(self.stamp)

    @classmethod
    def current(cls) -> uuid.UUID | None:
        return cls.objects.filter(pk=1).values_list("stamp", flat=True).first()

    @classmethod
    def bump(cls) -> None:
        if cls.objects.filter(pk=1).update(stamp=uuid.uuid4()):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=1)
        except IntegrityError:  # another process created it first
            cls.objects.filter(pk=1).update(stamp=uuid.uuid4())


def _guidelines_changed(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    GuidelineRevision.bump()


def _channels_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        GuidelineRevision.bump()


def connect_signals() -> None:
    """Any change to a guideline (or to a channel, which findings name) bumps the revision.

    Connected from ReviewConfig.ready(), once each thanks to dispatch_uid.
    """
    for model in (Guideline, RequiredElement, GuidelineTemplate, TemplateField, Channel):
        post_save.connect(
            _guidelines_changed, sender=model, dispatch_uid=f"guidelines-save-{model.__name__}"
        )
        post_delete.connect(
            _guidelines_changed, sender=model, dispatch_uid=f"guidelines-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _channels_changed, sender=Guideline.channels.through, dispatch_uid="guidelines-channels"
    )
