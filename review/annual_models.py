"""702.6, monitoring content: "The Mayor will appoint a supervisor to review, at least
annually, the use of city social media and report back on, at a minimum, the resources being
used, the effectiveness of the content, any unauthorized or inappropriate content, and the
resolution of any issues."

An `AnnualReview` is one review period with its appointed reviewer, their written findings
under the four headings and their sign-off, which freezes the figures. `EngagementSnapshot`
rows are the platforms' own counts of a published post over time, fetched by a beat job
(review/engagement.py) for "the effectiveness of the content". The rules that count everything
live in review/annual_review.py. Imported at the end of review/models.py.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role

__all__ = ["AnnualReview", "EngagementSchedule", "EngagementSnapshot"]

# "At least annually": a review period is at most a year long (366 days covers a leap year).
LONGEST_PERIOD = timedelta(days=366)
# The reviewer (and the Mayor's office) are told this long before the period ends.
DUE_NOTICE = timedelta(days=30)

# The four headings of 702.6, in the policy's order: (key, heading).
HEADINGS = [
    ("resources", "Resources being used"),
    ("effectiveness", "Effectiveness of the content"),
    ("content", "Unauthorized or inappropriate content"),
    ("resolution", "Resolution of issues"),
]
FINDING_FIELDS = [f"{key}_findings" for key, _ in HEADINGS]


class AnnualReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(signed_off_at__isnull=True)

    def signed_off(self):
        return self.filter(signed_off_at__isnull=False)

    def visible_to(self, user):
        """The Mayor's office reads every review; a supervisor the ones they were appointed to."""
        if user.has_role(Role.MAYORS_OFFICE):
            return self.all()
        return self.filter(reviewer=user)

    def overlapping(self, start: date, end: date):
        return self.filter(period_start__lte=end, period_end__gte=start)


class AnnualReview(models.Model):
    """One review of the city's use of social media (702.6), for one period."""

    period_start = models.DateField()
    period_end = models.DateField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annual_reviews"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    # The reviewer's report, under the four headings of 702.6, and what they recommend.
    resources_findings = models.TextField(blank=True)
    effectiveness_findings = models.TextField(blank=True)
    content_findings = models.TextField(blank=True)
    resolution_findings = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)

    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The figures as they stood at sign-off (review/annual_review.py compute_figures()):
    # what the reviewer signed is what the Mayor reads, however the data changes later.
    figures = models.JSONField(null=True, blank=True, editable=False)
    archive_record = models.ForeignKey(
        "retention.ArchiveRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    # Each reminder goes out once (review/annual_review.py send_review_reminders()).
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnnualReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="annual_review_period_ends_after_it_begins",
            ),
        ]
        indexes = [
            # send_review_reminders() reads the reviews still open.
            models.Index(
                fields=["period_end"],
                condition=models.Q(signed_off_at__isnull=True),
                name="annual_review_open_by_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("annual:detail", args=[self.pk])

    # --- Reading ----------------------------------------------------------------------
    @property
    def period_label(self) -> str:
        return f"{long_date(self.period_start)} to {long_date(self.period_end)}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def period_starts_at(self) -> datetime:
        """The first moment of the period, on the city's clock."""
        return _city_moment(self.period_start)

    @property
    def period_ends_at(self) -> datetime:
        """The moment after the period's last day ends, on the city's clock."""
        return _city_moment(self.period_end + timedelta(days=1))

    @property
    def due_notice_at(self) -> datetime:
        return self.period_ends_at - DUE_NOTICE

    def is_overdue(self, now=None) -> bool:
        return not self.is_signed_off and (now or timezone.now()) >= self.period_ends_at

    def is_due(self, now=None) -> bool:
        """Due soon: within the notice before the period ends, not yet overdue."""
        now = now or timezone.now()
        return not self.is_signed_off and self.due_notice_at <= now < self.period_ends_at

    def findings(self) -> list[tuple[str, str, str]]:
        """(key, heading, what the reviewer wrote) under each heading of 702.6."""
        return [(key, heading, getattr(self, f"{key}_findings")) for key, heading in HEADINGS]

    # --- Who may do what ---------------------------------------------------------------
    def may_view(self, user) -> bool:
        return user.pk == self.reviewer_id or user.has_role(Role.MAYORS_OFFICE)

    def may_write(self, user) -> bool:
        return user.pk == self.reviewer_id and not self.is_signed_off

    def require_viewer(self, user) -> None:
        if not self.may_view(user):
            raise PermissionDenied(
                "702.6: a review is read by the supervisor the Mayor appointed to it and by the "
                "Mayor's office."
            )

    def require_appointed(self, user, action: str) -> None:
        """Who: the supervisor the Mayor appointed to this review, and nobody else."""
        if user.pk != self.reviewer_id:
            raise PermissionDenied(
                f"702.6: only the supervisor the Mayor appointed to this review, "
                f"{self.reviewer}, may {action}."
            )

    def require_reviewer(self, user, action: str) -> None:
        """Who and when: the appointed reviewer, while the review is not signed off."""
        self.require_appointed(user, action)
        if self.is_signed_off:
            raise ValidationError(
                f"This review was signed off on {long_date(timezone.localtime(self.signed_off_at))}; "
                "its findings and figures are final."
            )

    # --- Appointment (702.6: "The Mayor will appoint a supervisor") ---------------------
    @classmethod
    @transaction.atomic
    def appoint(cls, *, by, reviewer, period_start: date, period_end: date) -> "AnnualReview":
        from .annual_review import notify_appointment

        if not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied("702.6: the Mayor's office appoints the reviewing supervisor.")
        if not (reviewer.is_active and reviewer.has_role(Role.SUPERVISOR)):
            raise ValidationError(
                f"702.6: the Mayor appoints a supervisor; {reviewer} is not an active supervisor."
            )
        if period_end <= period_start:
            raise ValidationError("The review period must end after it begins.")
        if period_end - period_start >= LONGEST_PERIOD:
            raise ValidationError(
                "702.6: the use of city social media is reviewed at least annually; a review "
                "period may not be longer than a year."
            )
        # Two appointments at once must not both pass the overlap check: they take turns
        # (appointments are rare; reading the reviews is not blocked).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(cls._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        clash = cls.objects.overlapping(period_start, period_end).first()
        if clash is not None:
            raise ValidationError(
                f"A review already covers part of that period ({clash.period_label}, "
                f"{clash.reviewer}); choose dates after it or before it."
            )
        review = cls.objects.create(
            period_start=period_start, period_end=period_end, reviewer=reviewer, appointed_by=by
        )
        transaction.on_commit(lambda: notify_appointment(review))
        return review

    # --- The reviewer's report -----------------------------------------------------------
    @transaction.atomic
    def write(self, *, by, recommendations: str = "", **findings: str) -> None:
        """Save the reviewer's findings under the four headings and the recommendations."""
        unknown = set(findings) - set(FINDING_FIELDS)
        if unknown:
            raise ValueError(f"Not a heading of 702.6: {', '.join(sorted(unknown))}")
        locked = AnnualReview.objects.select_for_update().get(pk=self.pk)
        locked.require_reviewer(by, "write its findings")
        for name in FINDING_FIELDS:
            setattr(self, name, (findings.get(name, getattr(self, name)) or "").strip())
        self.recommendations = (recommendations or "").strip()
        self.save(update_fields=[*FINDING_FIELDS, "recommendations"])

    @transaction.atomic
    def sign_off(self, *, by) -> None:
        """Sign the report: the figures are frozen with it, it is archived (702.7) and the
        Mayor's office is told it can read it."""
        from retention.archive import archive_annual_review

        from .annual_review import compute_figures, notify_signed_off

        locked = AnnualReview.objects.select_for_update().get(pk=self.pk)
        locked.require_reviewer(by, "sign it off")
        missing = [heading for key, heading, text in locked.findings() if not text.strip()]
        if missing:
            raise ValidationError(
                "702.6: the report covers, at a minimum, each of its four headings. Write your "
                f"findings on: {'; '.join(missing)}."
            )
        self.refresh_from_db()
        self.figures = compute_figures(self.period_start, self.period_end)
        self.signed_off_at = timezone.now()
        self.signed_off_by = by
        self.save(update_fields=["figures", "signed_off_at", "signed_off_by"])
        self.archive_record = archive_annual_review(self)
        self.save(update_fields=["archive_record"])
        transaction.on_commit(lambda: notify_signed_off(self))

    def as_record(self) -> dict:
        """What the archive keeps of the signed report (702.7)."""
        return {
            "id": self.pk,
            "clause": "702.6",
            "period": {"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            "reviewer": _person(self.reviewer),
            "appointed_by": _person(self.appointed_by),
            "appointed_at": self.appointed_at.isoformat(),
            "findings": {key: text for key, _, text in self.findings()},
            "recommendations": self.recommendations,
            "signed_off_by": _person(self.signed_off_by),
            "signed_off_at": self.signed_off_at.isoformat() if self.signed_off_at else None,
            "figures": self.figures,
        }


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": str(user)}


def long_date(day: date) -> str:
    """ "March 3, 2026": the way the city writes a date."""
    return f"{day:%B} {day.day}, {day.year}"


def _city_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


# --- Engagement (702.6: the effectiveness of the content) -------------------------------


class EngagementSnapshot(models.Model):
    """The platform's own counts for one published post at one moment. None: the platform
    does not give that count. Appended by the worker, never changed: no field history to keep.
    """

    publication = models.ForeignKey(
        "posting.Publication", on_delete=models.PROTECT, related_name="engagement_snapshots"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    views = models.PositiveBigIntegerField(null=True, blank=True)
    likes = models.PositiveBigIntegerField(null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True)
    replies = models.PositiveBigIntegerField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [
            # The review reads the latest snapshot of each publication.
            models.Index(fields=["publication", "-taken_at"], name="engagement_latest"),
        ]

    def __str__(self) -> str:
        return f"Engagement of publication {self.publication_id} at {self.taken_at:%Y-%m-%d %H:%M}"


class EngagementSchedule(models.Model):
    """When a publication's engagement is next due, and the platform's last refusal.

    The worker's bookkeeping (review/engagement.py), changed by no person: no history.
    """

    publication = models.OneToOneField(
        "posting.Publication",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="engagement_schedule",
    )
    # Written when the publication is claimed, before the platform is called, so that two
    # workers never fetch it at once and a crash mid-call still moves it along.
    checked_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # review.engagement.due_publications(): the ones whose time has come.
            models.Index(fields=["next_due_at"], name="engagement_next_due"),
        ]

    def __str__(self) -> str:
        return f"Engagement schedule of publication {self.publication_id}"
