"""Oversight (702.5, 702.5.1, 702.6): reports of content, their investigations, and the
periodic check that a channel keeps the public from posting.

These rows are what the annual review (702.6) counts under "unauthorized or inappropriate
content" and "resolution of any issues"; their rules live in review/reports.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

__all__ = ["ContentReport", "Investigation", "PublicPostingCheck"]


class ContentReport(models.Model):
    """702.5: "Any employee who becomes aware of content on this city's social media sites that
    the employee believes is unauthorized or inappropriate should promptly report such content
    to a supervisor." Also opened by CitySocial itself when it finds a post on a channel that
    did not come through it (unauthorized-post detection).
    """

    class Concern(models.TextChoices):
        UNAUTHORIZED = "unauthorized", "Unauthorized: not posted under this policy (702.5(g))"
        INAPPROPRIATE = "inappropriate", "Inappropriate: prohibited content (702.5)"

    class Source(models.TextChoices):
        EMPLOYEE = "employee", "Reported by an employee"
        DETECTED = "detected", "Found by CitySocial on the platform"

    class State(models.TextChoices):
        OPEN = "open", "Open: waiting for the supervisor"
        REMOVED = "removed", "Removed from public view"
        DISMISSED = "dismissed", "Dismissed: left up, with reasons"

    concern = models.CharField(max_length=20, choices=Concern.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.EMPLOYEE)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    # What was reported: a post that went out through CitySocial, or a link to something seen
    # on a city channel (the post is then found by its link where it can be).
    post = models.ForeignKey(
        "posting.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    channel = models.ForeignKey(
        "posting.Channel", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    link = models.URLField(max_length=500, blank=True)
    remote_id = models.CharField(max_length=200, blank=True)
    remote_text = models.TextField(blank=True)  # as the platform showed it, for detected posts
    reason = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # empty when CitySocial found it
        on_delete=models.PROTECT,
        related_name="content_reports",
    )
    # The supervisor responsible for the channel, who ensures removal and investigates.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            # One open report per post found on a platform: the detector runs every few minutes.
            models.UniqueConstraint(
                fields=["channel", "remote_id"],
                condition=models.Q(source="detected"),
                name="one_detection_per_remote_post",
            ),
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk} ({self.get_concern_display()})"


class Investigation(models.Model):
    """702.5: the supervisor "will ... investigate the cause of the entry"."""

    class Cause(models.TextChoices):
        UNAUTHORIZED_USER = "unauthorized_user", "An unauthorized user posted"
        COMPROMISED_CREDENTIALS = "compromised_credentials", "Compromised credentials"
        GUIDELINE_GAP = "guideline_gap", "A gap in the guidelines or checks"
        HUMAN_ERROR = "human_error", "Human error"
        PLATFORM = "platform", "The platform's doing"
        NOT_A_PROBLEM = "not_a_problem", "Not a problem after all"
        OTHER = "other", "Other"

    report = models.OneToOneField(
        ContentReport, on_delete=models.PROTECT, related_name="investigation"
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(max_length=30, choices=Cause.choices, blank=True)
    findings = models.TextField(blank=True)
    corrective_actions = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Investigation of report #{self.report_id}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PublicPostingCheck(models.Model):
    """702.5.1: "City social media sites shall be designed and maintained to prevent posting of
    content by the public." What the platform said, each time the channel was checked."""

    channel = models.ForeignKey(
        "posting.Channel", on_delete=models.PROTECT, related_name="public_posting_checks"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    # True: the platform confirms the public cannot post or reply; False: it confirms they can;
    # None: the platform could not be asked or does not say.
    prevented = models.BooleanField(null=True)
    detail = models.TextField()

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["channel", "-checked_at"])]

    def __str__(self) -> str:
        return f"Public posting on {self.channel} at {self.checked_at:%Y-%m-%d %H:%M}"
