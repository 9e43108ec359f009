"""Retention schedules (702.7), kept by the City Clerk.

No state sets one period for "social media": retention follows content. Each record is filed
at capture under the series that covers its kind and its post's 702.4 category, and its
disposition date is the series' period counted from the series' clock-start event.
Imported at the end of retention/models.py, so these are models of the `retention` app.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from posting.models import Category

__all__ = ["RecordRetention", "RetentionSeries"]


class ClockEvent(models.TextChoices):
    PUBLISHED = "published", "Published"
    TAKEN_DOWN = "taken_down", "Taken down (the post stops being provided)"
    INCIDENT_CLOSED = "incident_closed", "Incident closed"
    REQUEST_RESOLVED = "request_resolved", "Public records request resolved"
    CAPTURED = "captured", "Captured in the archive"
    CONTACT_ANSWERED = "contact_answered", "A message from the public is answered"


# "2 years after <phrase>": how the state schedules word the start of a period.
CLOCK_PHRASES = {
    ClockEvent.PUBLISHED: "the post is published",
    ClockEvent.TAKEN_DOWN: "the post is taken down",
    ClockEvent.INCIDENT_CLOSED: "the incident is closed",
    ClockEvent.REQUEST_RESOLVED: "the request is resolved",
    ClockEvent.CAPTURED: "the record is captured",
    ClockEvent.CONTACT_ANSWERED: "the message is answered",
}


class FinalAction(models.TextChoices):
    DESTROY = "destroy", "Destroy"
    APPRAISAL = "appraisal", "Appraisal by the State Archives"
    TRANSFER = "transfer", "Transfer to the State Archives"
    PERMANENT = "permanent", "Keep permanently"


class RetentionSeriesQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class RetentionSeries(models.Model):
    """A records series: what it covers, how long it is kept, what happens then, and why."""

    ClockEvent = ClockEvent
    FinalAction = FinalAction

    code = models.CharField(
        max_length=40, unique=True, help_text="The city's code, e.g. SOCIAL-POSTS."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    retention_years = models.PositiveSmallIntegerField(default=0)
    retention_months = models.PositiveSmallIntegerField(default=0)
    retention_days = models.PositiveSmallIntegerField(default=0)
    clock_event = models.CharField(
        max_length=20,
        choices=ClockEvent.choices,
        help_text="The event that starts the retention period.",
    )
    final_action = models.CharField(max_length=20, choices=FinalAction.choices)
    authority = models.CharField(
        max_length=300, help_text="The schedule and series it comes from, e.g. CORE GS50-01-12."
    )
    # ArchiveRecord.Kind values; a record of another kind is never filed here.
    record_kinds = models.JSONField(default=list, blank=True)
    # 702.4 category values; empty means the series does not look at the category.
    categories = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RetentionSeriesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "retention series"

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("retention:series", args=[self.pk])

    # --- What it says -------------------------------------------------------------
    @property
    def period(self) -> relativedelta:
        return relativedelta(
            years=self.retention_years, months=self.retention_months, days=self.retention_days
        )

    @property
    def period_label(self) -> str:
        parts = [
            f"{count} {unit}{'' if count == 1 else 's'}"
            for count, unit in (
                (self.retention_years, "year"),
                (self.retention_months, "month"),
                (self.retention_days, "day"),
            )
            if count
        ]
        return ", ".join(parts) or "no minimum period"

    @property
    def retention_label(self) -> str:
        """How the state schedules phrase it: "2 years after taken down, then destroy"."""
        return (
            f"{self.period_label} after {CLOCK_PHRASES[self.clock_event]}, "
            f"then {self.get_final_action_display().lower()}"
        )

    @property
    def destroys(self) -> bool:
        """Only a series whose final action is destruction is ever disposed of by the system;
        appraisal and transfer are the State Archives' decision, never automatic."""
        return self.final_action == FinalAction.DESTROY

    def due_at(self, clock_started_at):
        if clock_started_at is None:
            return None
        return clock_started_at + self.period

    def cutoff(self, now=None):
        """Records whose clock started at or before this moment are due now."""
        return (now or timezone.now()) - self.period

    def covers(self, kind: str, category: str | None) -> bool:
        if kind not in self.record_kinds:
            return False
        return not self.categories or category in self.categories

    def kind_labels(self) -> list[str]:
        from .models import ArchiveRecord

        labels = dict(ArchiveRecord.Kind.choices)
        return [labels.get(kind, kind) for kind in self.record_kinds]

    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [labels.get(category, category) for category in self.categories]

    # --- Who may change it --------------------------------------------------------
    @staticmethod
    def may_manage(user) -> bool:
        """702.7: the City Clerk keeps the retention schedules."""
        return user.has_role(Role.CITY_CLERK)

    @staticmethod
    def may_read(user) -> bool:
        return user.has_role(Role.CITY_CLERK) or user.has_role(Role.MAYORS_OFFICE)

    @classmethod
    def _require_manager(cls, user) -> None:
        if not cls.may_manage(user):
            raise PermissionDenied("702.7: only the City Clerk changes the retention schedules.")

    @classmethod
    def create(cls, *, by, **values) -> "RetentionSeries":
        cls._require_manager(by)
        series = cls(**values, changed_by=by)
        series.full_clean()
        series.save()
        return series

    def change(self, *, by, **values) -> None:
        """Change what the Clerk may change. A new period or final action applies to every
        record of the series at once (due dates are computed, never stored); a new clock
        event restarts each record's clock from its own events."""
        self._require_manager(by)
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            old_event = locked.clock_event
            for name, value in values.items():
                setattr(self, name, value)
            self.changed_by = by
            self.full_clean()
            self.save()
            if self.clock_event != old_event:
                from .schedules import restart_clocks

                restart_clocks(self)

    # --- Checks -------------------------------------------------------------------
    def clean(self) -> None:
        from .models import ArchiveRecord

        problems = {}
        unknown_kinds = sorted(set(self.record_kinds) - set(ArchiveRecord.Kind.values))
        if unknown_kinds:
            problems["record_kinds"] = f"Unknown kinds of record: {', '.join(unknown_kinds)}."
        unknown_categories = sorted(set(self.categories) - set(Category.values))
        if unknown_categories:
            problems["categories"] = f"Unknown 702.4 categories: {', '.join(unknown_categories)}."
        if self.is_active and not problems:
            overlap = self._overlap()
            if overlap:
                problems["record_kinds"] = (
                    f"{overlap} already covers some of these records; a record is filed under "
                    "one series only. Narrow one of them by category, or deactivate one."
                )
        if problems:
            raise ValidationError(problems)

    def _overlap(self):
        """Another active series that would claim the same records with the same precedence."""
        others = RetentionSeries.objects.active().exclude(pk=self.pk)
        for other in others:
            if not set(other.record_kinds) & set(self.record_kinds):
                continue
            both_any = not other.categories and not self.categories
            if both_any or set(other.categories) & set(self.categories):
                return other
        return None


class RecordRetention(models.Model):
    """Where a record stands in its schedule: its series and when its clock started.

    A side table because the record itself never changes. The disposition date is the
    series' period after `clock_started_at`; retention.schedules reads this table through
    the (series, clock_started_at) index to find what is due.
    """

    record = models.OneToOneField(
        "retention.ArchiveRecord",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="retention",
    )
    series = models.ForeignKey(
        RetentionSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    # None until the series' clock-start event happens (a post still provided, a request
    # still open): until then the record is not due, whatever its age.
    clock_started_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            # retention.schedules.due_records(): the beat job's queue of records due.
            models.Index(
                fields=["series", "clock_started_at"],
                name="retention_clock",
                condition=models.Q(clock_started_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Retention of record {self.record_id}"

    @property
    def disposition_due(self):
        if self.series is None:
            return None
        return self.series.due_at(self.clock_started_at)

    @property
    def waiting_for(self) -> str:
        """Why there is no disposition date yet, in the Clerk's words."""
        if self.series is None:
            return "No retention series covers this record: it is kept until the Clerk files it."
        if self.clock_started_at is None:
            return f"The retention period starts when {CLOCK_PHRASES[self.series.clock_event]}."
        return ""
