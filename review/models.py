from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ApprovalQuerySet(models.QuerySet):
    def valid_for(self, digest: str):
        """Approvals still in force for exactly this content."""
        return self.filter(
            decision__in=[Approval.Decision.APPROVED, Approval.Decision.CONFORMING],
            voided_at__isnull=True,
            content_digest=digest,
        )

    def void_all(self, reason: str) -> int:
        return self.filter(voided_at__isnull=True).update(
            voided_at=timezone.now(), void_reason=reason
        )


class Approval(models.Model):
    """A supervisor's decision on one exact version of a post (702.3).

    It is bound to the content digest it saw: any later edit voids it, and the
    publishing worker refuses content no valid approval covers.
    """

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"
        DECLINED = "declined", "Rejected"
        # 702.3: strictly conforms to the Mayor's guidelines, passed every check, authorized author.
        CONFORMING = "conforming", "Conforms to the Mayor's guidelines"

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="approvals")
    # Empty when CitySocial itself found the post strictly conforming (no supervisor needed).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        "ApprovalStep", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    content_digest = models.CharField(max_length=64)
    decided_at = models.DateTimeField(default=timezone.now)
    # 702.3: the equipment the decision came from.
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    equipment = models.CharField(max_length=200, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    objects = ApprovalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer or 'CitySocial'}"


class Attestation(models.Model):
    """702.4: at submission the author attests the content is fit for release. Append-only."""

    STATEMENT = (
        "This content is appropriate for public release, supports the City mission, and "
        "conforms to the City's policies on the release of information."
    )

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="attestations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(default=STATEMENT)
    content_digest = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Attestation by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class AssessmentQuerySet(models.QuerySet):
    def latest_for(self, post):
        return self.filter(post=post).order_by("-at").first()


class Assessment(models.Model):
    """The checks' verdict on one exact version of a post (702.3 guidelines, 702.5 rules)."""

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="assessments")
    content_digest = models.CharField(max_length=64)
    decision = models.CharField(max_length=20)
    findings = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.decision} for post {self.post_id}"

    @property
    def blocking(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "block"]

    @property
    def guideline_findings(self) -> list[dict]:
        return [f for f in self.findings if f["clause"] == "702.3"]


class Override(models.Model):
    """A supervisor's written justification for publishing despite a blocking finding (702.5).

    Listed for the annual review (702.6).
    """

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="overrides")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.JSONField()
    justification = models.TextField()
    content_digest = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Override by {self.supervisor} on post {self.post_id}"


class ApprovalChainQuerySet(models.QuerySet):
    def for_post(self, post) -> "ApprovalChain | None":
        from .routing import active_chains, chain_for

        return chain_for(post, active_chains())


class ApprovalChain(models.Model):
    """702.3: who approves what. The Mayor's office configures chains per category and channel."""

    name = models.CharField(max_length=120)
    category = models.CharField(
        max_length=40, blank=True, help_text="A 702.4 category; empty for every category."
    )
    channels = models.ManyToManyField(
        "posting.Channel", blank=True, help_text="Empty for every channel."
    )
    active = models.BooleanField(default=True)

    objects = ApprovalChainQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    class Rule(models.TextChoices):
        ANY = "any", "Any one of them"
        ALL = "all", "All of them"

    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    group = models.ForeignKey(
        "auth.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=3, choices=Rule.choices, default=Rule.ANY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "order"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="one_step_per_place"),
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | models.Q(person__isnull=False),
                name="step_names_a_group_or_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.order}: {self.approvers_label}"

    @property
    def approvers_label(self) -> str:
        if self.person_id:
            return str(self.person)
        who = "any one" if self.rule == self.Rule.ANY else "every member"
        return f"{who} of the {self.group.name} group"

    def approvers(self, *, exclude=None):
        """Who may approve at this step: never the author (702.3)."""
        from accounts.models import User

        people = (
            User.objects.filter(pk=self.person_id)
            if self.person_id
            else User.objects.filter(groups=self.group)
        )
        people = people.filter(is_active=True)
        return people.exclude(pk=exclude.pk) if exclude is not None else people


from .guideline_models import *  # noqa
from .check_models import *  # noqa
from .oversight_models import *  # noqa
from .annual_models import *  # noqa
