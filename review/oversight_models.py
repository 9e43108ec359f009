"""Oversight (702.5, 702.5.1, 702.6): reports of content, their investigations, and the
periodic check that a channel keeps the public from posting.

These rows are what the annual review (702.6) counts under "unauthorized or inappropriate
content" and "resolution of any issues"; their rules live in review/reports.py.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role

__all__ = ["ContentReport", "Investigation", "PublicPostingCheck"]

MAX_TEXT = 4000  # a reason, a note, a finding: enough for a page of plain words


def _words(value, *, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: missing})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"Keep it under {MAX_TEXT} characters; this is {len(text)}."})
    return text


class ContentReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ContentReport.State.OPEN)

    def visible_to(self, user):
        """702.5: a report goes to a supervisor; the Mayor's office answers for every channel."""
        if user.has_role(Role.MAYORS_OFFICE):
            return self
        return self.filter(assigned_to=user)

    def awaiting(self, user):
        """What waits for this person: open reports, and decided ones whose investigation is
        not closed yet."""
        waiting = (
            models.Q(state=ContentReport.State.OPEN)
            | models.Q(investigation__isnull=True)
            | models.Q(investigation__closed_at__isnull=True)
        )
        return self.visible_to(user).filter(waiting)


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

    objects = ContentReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            # ContentReportQuerySet.awaiting(): a supervisor's open reports (the queue).
            models.Index(
                fields=["assigned_to", "reported_at"],
                condition=models.Q(state="open"),
                name="open_reports_by_assignee",
            ),
        ]
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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    @property
    def web_link(self) -> str:
        """The link, when it is a web address (it is shown as a link only then)."""
        return self.link if self.link.startswith(("https://", "http://")) else ""

    @property
    def subject(self) -> str:
        """What was reported, in a few words."""
        if self.post_id:
            return f"“{self.post.title}”"
        where = f" on {self.channel}" if self.channel_id else ""
        return f"a post{where} that did not come through CitySocial"

    # --- Who may act (702.5) --------------------------------------------------------
    def may_be_seen_by(self, user) -> bool:
        """The supervisor it went to, and the Mayor's office (702.3: it answers for the city's
        social media). Other supervisors see their own reports; the reporter sees the state of
        theirs on their list, not the investigation (702.5(c))."""
        if not (user.is_authenticated and user.is_active):
            return False
        return user.has_role(Role.MAYORS_OFFICE) or user.pk == self.assigned_to_id

    def may_be_decided_by(self, user) -> bool:
        """Whoever may see it, except the author of the reported post: nobody decides on their
        own post."""
        return self.may_be_seen_by(user) and not (self.post_id and user.pk == self.post.author_id)

    def _require_decider(self, user) -> None:
        if not self.may_be_decided_by(user):
            raise PermissionDenied(
                "702.5: the supervisor this report went to, or the Mayor's office, decides on it "
                "and investigates; never the author of the reported post."
            )

    def _lock(self) -> "ContentReport":
        locked = ContentReport.objects.select_for_update().get(pk=self.pk)
        self.state = locked.state
        return self

    def _require_open(self) -> None:
        if self.state != ContentReport.State.OPEN:
            raise ValidationError(
                f"This report is already decided ({self.get_state_display().lower()})."
            )

    @property
    def removable_by_citysocial(self) -> bool:
        """CitySocial can remove it itself: a post of its own, or a post it can find on the
        platform by its id. Otherwise a person deletes it there and says how."""
        return bool(self.post_id or (self.channel_id and self.remote_id))

    # --- Decisions (702.5) ------------------------------------------------------------
    def remove_from_public_view(self, *, by, reason: str, equipment=None) -> None:
        """702.5: "The supervisor will ensure its removal from public view."

        A post that went out through CitySocial is taken down on every channel it went to
        (Post.take_down: the workers capture it into the archive and delete it). A post that
        did not come through CitySocial is captured into the archive, then deleted on its
        platform by its id, now. One CitySocial cannot find is deleted by a person on the
        platform, who says here how.
        """
        from . import reports

        self._require_decider(by)
        reason = _words(
            reason,
            field="reason",
            missing="Say why it is being removed; it is kept with the record.",
        )
        self._require_open()
        if self.post_id is None and self.remote_id and self.channel_id:
            answer = reports.delete_unpublished(self, by=by)  # the platform, outside a transaction
        else:
            answer = None
        with transaction.atomic():
            self._lock()
            self._require_open()
            if self.post_id:
                reports.take_down_reported_post(self, by=by, reason=reason, equipment=equipment)
            elif answer is not None:
                reports.record_unpublished_removal(self, by=by, answer=answer)
            self._decide(by=by, state=ContentReport.State.REMOVED, note=reason)

    def dismiss(self, *, by, reasons: str) -> None:
        """The supervisor looked and leaves it up, saying why (kept with the record)."""
        self._require_decider(by)
        reasons = _words(
            reasons,
            field="reasons",
            missing="Say why the content stays up; the reasons are kept with the record.",
        )
        with transaction.atomic():
            self._lock()
            self._require_open()
            self._decide(by=by, state=ContentReport.State.DISMISSED, note=reasons)

    def _decide(self, *, by, state: str, note: str) -> None:
        from retention.archive import archive_content_report

        self.state, self.decided_by, self.decided_at = state, by, timezone.now()
        self.decision_note = note
        self.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        archive_content_report(self, state)


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

    @classmethod
    def record(
        cls,
        *,
        report: ContentReport,
        by,
        cause: str = "",
        findings: str = "",
        corrective_actions: str = "",
        resolution: str = "",
        close: bool = False,
    ) -> "Investigation":
        """702.5: "The supervisor will ... investigate the cause of the entry." Saved as the
        supervisor goes; closed once the cause, the findings, the corrective actions and the
        resolution are written down. A closed investigation is archived and no longer changes.
        """
        from retention.archive import archive_investigation

        report._require_decider(by)
        if report.state == ContentReport.State.OPEN:
            raise ValidationError(
                "Remove the content from public view or dismiss the report first; then "
                "investigate its cause (702.5)."
            )
        if cause and cause not in cls.Cause.values:
            raise ValidationError({"cause": "Choose one of the causes listed."})
        texts = {
            "findings": findings,
            "corrective_actions": corrective_actions,
            "resolution": resolution,
        }
        for name, value in texts.items():
            if len((value or "").strip()) > MAX_TEXT:
                raise ValidationError({name: f"Keep it under {MAX_TEXT} characters."})
        with transaction.atomic():
            ContentReport.objects.select_for_update().get(pk=report.pk)
            investigation = cls.objects.filter(report=report).first() or cls(
                report=report, investigator=by
            )
            if investigation.is_closed:
                raise ValidationError("This investigation is closed; it no longer changes.")
            investigation.cause = cause
            for name, value in texts.items():
                setattr(investigation, name, (value or "").strip())
            if close:
                investigation._require_complete()
                investigation.closed_at = timezone.now()
            investigation.save()
            if close:
                archive_investigation(investigation)
        return investigation

    def _require_complete(self) -> None:
        missing = {}
        if not self.cause:
            missing["cause"] = "Choose the cause before closing."
        if not self.findings:
            missing["findings"] = "Write down what you found before closing."
        if not self.corrective_actions and self.cause != self.Cause.NOT_A_PROBLEM:
            missing["corrective_actions"] = (
                "Say what was done so that it does not happen again (or that nothing was needed, "
                "and why)."
            )
        if not self.resolution:
            missing["resolution"] = "Say how the matter was resolved before closing."
        if missing:
            raise ValidationError(missing)


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
