"""Incidents (702.4.1): one compiler, fast and accurate updates across every channel.

702.4.1: "In instances of active incidents where speed, accuracy, and frequent updates are
paramount (e.g., crime alerts, public safety information, traffic issues), the Mayor or the
authorized designee will be responsible for the compilation of information to be released."

The Mayor's office or a designee opens an incident and appoints its compilers. While it is
open, only its compilers release posts tagged to it; other authorized posters propose updates
to them. An update goes out through the post's own path (Post.submit): text that conforms to
the Mayor's guidelines (a pre-approved template filled in) needs no supervisor (702.3), the
prohibited-content checks still run and still block (702.5), and the publishing workers
deliver it to every channel of the incident at once.

Imported at the end of posting/models.py, so these are models of the `posting` app.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.authority import acts_for_the_mayor_on, mayors_designations, within_designations
from accounts.permissions import can_publish, publishable_channels
from accounts.roles import Role
from retention.models import ArchiveRecord

from .models import (
    TRANSITIONS,
    Category,
    Channel,
    IllegalTransition,
    Post,
    PostState,
    Publication,
)

__all__ = [
    "Incident",
    "IncidentCompiler",
    "IncidentEvent",
    "IncidentKind",
    "IncidentSeverity",
    "IncidentStatus",
    "IncidentUpdate",
]

# Archive kinds of an incident's own records (702.7); retention.models.ArchiveRecord.Kind
# lists the kinds it shows by name.
ARCHIVE_OPENED = ArchiveRecord.Kind.INCIDENT_OPENED
ARCHIVE_UPDATE = ArchiveRecord.Kind.INCIDENT_UPDATE
ARCHIVE_CLOSED = ArchiveRecord.Kind.INCIDENT_CLOSED

MIN_CADENCE, MAX_CADENCE = 5, 24 * 60  # minutes

# An incident's post in one of these has not settled: it waits for a person, or goes out.
UNSETTLED_POSTS = (
    PostState.DRAFT,
    PostState.SUBMITTED,
    PostState.APPROVED,
    PostState.REJECTED,
    PostState.HELD,
    PostState.PUBLISHING,
)
UNSETTLED_DELIVERIES = (*Publication.IN_FLIGHT, Publication.Status.NEEDS_HUMAN)

# 702.4.1: refused on the ordinary post page (Post.revise, posting.views.edit_post).
NOT_EDITED_HERE = (
    "702.4.1: this is an update of an incident, changed only from the incident board. Withdraw "
    "it and release a new update there, or correct it once it has gone out."
)


class IncidentKind(models.TextChoices):
    CRIME_ALERT = "crime_alert", "Crime alert (702.4(e))"
    PUBLIC_SAFETY = "public_safety", "Public safety (702.4(e))"
    TRAFFIC = "traffic", "Traffic (702.4(f))"
    WEATHER_DISASTER = "weather_disaster", "Weather or disaster (702.4(e))"
    UTILITY = "utility", "Utility outage (702.4(e))"


# 702.4(e) real-time safety information (in-progress crimes, geographical warnings, disasters)
# and 702.4(f) traffic information: the content category of every update of the incident.
CATEGORY_OF_KIND = {
    IncidentKind.CRIME_ALERT: Category.REAL_TIME_SAFETY,
    IncidentKind.PUBLIC_SAFETY: Category.REAL_TIME_SAFETY,
    IncidentKind.TRAFFIC: Category.TRAFFIC,
    IncidentKind.WEATHER_DISASTER: Category.REAL_TIME_SAFETY,
    IncidentKind.UTILITY: Category.REAL_TIME_SAFETY,
}


class IncidentSeverity(models.TextChoices):
    MINOR = "minor", "Minor"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    EXTREME = "extreme", "Extreme"


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class CadenceClock:
    """When the next update is due, for the board and the reminders."""

    every: int | None  # minutes; None: no cadence
    due_at: datetime | None
    now: datetime
    reminded_for: datetime | None = None

    @property
    def reminded(self) -> bool:
        """The reminder job has run for this due time (the event says whom it reached)."""
        return self.due_at is not None and self.reminded_for == self.due_at

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= self.now

    @property
    def minutes(self) -> int:
        """Whole minutes until due (or since, when overdue)."""
        if self.due_at is None:
            return 0
        return int(abs((self.due_at - self.now).total_seconds()) // 60)


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=IncidentStatus.CLOSED)

    def overdue(self, now=None):
        """Open incidents whose next update was due by `now`."""
        return self.open().filter(next_update_due_at__lte=now or timezone.now())

    def visible_to(self, user):
        """The incidents whose board the person may see: Incident.may_be_seen_by(), in SQL."""
        from accounts.models import Authorization

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.SUPERVISOR):
            return self.all()
        seen = models.Q(appointments__person=user, appointments__removed_at__isnull=True)
        for designation in mayors_designations(user):
            scope = [c.pk for c in designation.channels.all()]
            if not scope:
                return self.all()  # a designation without channel limits covers every one
            seen |= models.Q(channels__in=scope)
        allowed = set(publishable_channels(user).values_list("pk", flat=True))
        authorizations = Authorization.objects.current().filter(user=user)
        for authorization in authorizations.prefetch_related("channels"):
            channels = [c.pk for c in authorization.channels.all() if c.pk in allowed]
            if not channels:
                continue
            mine = models.Q(channels__in=channels)
            if authorization.categories:
                kinds = [k for k, c in CATEGORY_OF_KIND.items() if c in authorization.categories]
                mine &= models.Q(kind__in=kinds)
            seen |= mine
        return self.filter(pk__in=Incident.objects.filter(seen).values("pk"))

    def awaiting_after_action(self):
        """Closed, and the after-action not yet archived with every delivery settled."""
        return self.filter(status=IncidentStatus.CLOSED, after_action_pending=True)

    def awaiting_reminder(self, now=None):
        """Overdue, and the compilers not yet told about this due time."""
        return self.overdue(now).filter(
            models.Q(reminded_for__isnull=True)
            | ~models.Q(reminded_for=models.F("next_update_due_at"))
        )


class Incident(models.Model):
    """An active incident whose information the Mayor or the designee compiles (702.4.1)."""

    title = models.CharField(
        max_length=100, help_text="Short and public: it heads every update, e.g. “Gas leak”."
    )
    kind = models.CharField(max_length=30, choices=IncidentKind.choices)
    severity = models.CharField(max_length=20, choices=IncidentSeverity.choices)
    status = models.CharField(
        max_length=20,
        choices=IncidentStatus.choices,
        default=IncidentStatus.ACTIVE,
        editable=False,
    )
    area = models.TextField(
        "Affected area",
        max_length=1000,
        help_text="In plain words: streets, intersections, neighborhoods.",
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Optional map point, shown on the public page, e.g. 45.52345.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Optional map point, e.g. -122.67621.",
    )
    radius_meters = models.PositiveIntegerField(
        "Radius (meters)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text="Optional: the area around the map point.",
    )
    channels = models.ManyToManyField(Channel, related_name="incidents")
    cadence_minutes = models.PositiveIntegerField(
        "Update every (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_CADENCE), MaxValueValidator(MAX_CADENCE)],
        help_text="The compilers are reminded when an update is overdue. Blank: no cadence.",
    )
    next_update_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The due time the compilers were last reminded of: one reminder per missed update.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_message = models.TextField(blank=True, editable=False)
    # 702.7: the after-action archived at the close is archived again, as a new version, once
    # every delivery has settled (archive_after_action_if_settled, from a beat task).
    after_action_pending = models.BooleanField(default=False, editable=False)

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # IncidentQuerySet.overdue(): the reminder beat reads this every minute.
            models.Index(fields=["status", "next_update_due_at"], name="incident_cadence"),
            # IncidentQuerySet.awaiting_after_action(): the archiving beat reads it every minute.
            models.Index(
                fields=["closed_at"],
                condition=models.Q(after_action_pending=True),
                name="incident_after_action_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_map_point_whole",
            ),
            models.CheckConstraint(
                condition=models.Q(radius_meters__isnull=True) | models.Q(latitude__isnull=False),
                name="incident_radius_needs_point",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posting:incident", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("news:incident", args=[self.pk])

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = "Give both the latitude and the longitude of the map point."
        if self.radius_meters is not None and self.latitude is None:
            errors["radius_meters"] = "A radius needs a map point."
        if errors:
            raise ValidationError(errors)

    # --- What the incident is ----------------------------------------------------
    @property
    def category(self) -> str:
        """702.4(e) or 702.4(f): the content category of every update."""
        return CATEGORY_OF_KIND[self.kind]

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED

    @property
    def has_map_point(self) -> bool:
        return self.latitude is not None

    @property
    def map_url(self) -> str:
        """The map point on OpenStreetMap (a link only: no map is loaded into our pages)."""
        if not self.has_map_point:
            return ""
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"

    def cadence_clock(self, now=None) -> CadenceClock:
        return CadenceClock(
            self.cadence_minutes,
            self.next_update_due_at,
            now or timezone.now(),
            self.reminded_for,
        )

    def current_compilers(self):
        from accounts.models import User

        return User.objects.filter(
            incident_appointments__incident=self,
            incident_appointments__removed_at__isnull=True,
        ).order_by("last_name", "first_name", "username")

    # --- Who may act (702.4.1) ---------------------------------------------------
    def is_compiler(self, user) -> bool:
        return (
            user.is_authenticated
            and user.is_active
            and self.appointments.filter(person=user, removed_at__isnull=True).exists()
        )

    def acts_for_the_mayor(self, user) -> bool:
        """The Mayor's office, or a designee whose designation covers every channel of it."""
        return acts_for_the_mayor_on(user, list(self.channels.all()))

    def may_be_run_by(self, user) -> bool:
        """Who sets the cadence and the status: the Mayor's authority, and the compilers."""
        return self.acts_for_the_mayor(user) or self.is_compiler(user)

    def may_propose(self, user) -> bool:
        """702.3: an authorized poster for one of the incident's channels, in its category."""
        return any(can_publish(user, c, category=self.category) for c in self.channels.all())

    def may_be_seen_by(self, user) -> bool:
        """The board names internal sources and verifiers (702.4.1): it is for the incident's
        compilers, the Mayor's office, designees whose designation reaches one of its channels,
        supervisors (who approve what does not conform, 702.3), and the employees authorized to
        post to its channels, who may propose updates."""
        if not (user.is_authenticated and user.is_active):
            return False
        if user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.SUPERVISOR):
            return True
        if self.is_compiler(user):
            return True
        channels = list(self.channels.all())
        designations = mayors_designations(user)
        if designations and any(within_designations(designations, c) for c in channels):
            return True
        return self.may_propose(user)

    def require_viewer(self, user) -> None:
        if not self.may_be_seen_by(user):
            raise PermissionDenied(
                "702.4.1: this incident's board is for its compilers, the Mayor's office, the "
                "designees over its channels, supervisors, and employees authorized to post to "
                "its channels."
            )

    @staticmethod
    def require_authority_on(user, channels, action: str) -> None:
        """702.4.1: the Mayor's office, or a designee within the channels of the designation."""
        from accounts.authority import mayors_designations

        if acts_for_the_mayor_on(user, channels):
            return
        if mayors_designations(user):
            raise PermissionDenied(
                f"702.3: to {action} on these channels is outside the scope of your designation "
                "(its channels)."
            )
        raise PermissionDenied(
            f"702.4.1: only the Mayor's office or the Mayor's authorized designee may {action}."
        )

    def require_authority(self, user, action: str) -> None:
        self.require_authority_on(user, list(self.channels.all()), action)

    def require_compiler(self, user, action: str = "release updates") -> None:
        if not self.is_compiler(user):
            raise PermissionDenied(
                f"702.4.1: only the compilers of this incident {action}. Propose the update "
                "instead: it goes to the compilers."
            )

    def require_open(self) -> None:
        if self.is_closed:
            raise IllegalTransition(
                "702.4.1: this incident is closed; it takes no more updates. Open a new incident "
                "if it flares up again."
            )

    def _locked(self) -> "Incident":
        """This incident's row under a lock: a release, a close and a reminder take turns."""
        return Incident.objects.select_for_update().get(pk=self.pk)

    def _log(self, action: str, *, by=None, detail: str = "") -> "IncidentEvent":
        return IncidentEvent.objects.create(incident=self, action=action, actor=by, detail=detail)

    # --- Opening --------------------------------------------------------------------
    @classmethod
    @transaction.atomic
    def open(
        cls,
        *,
        by,
        title: str,
        kind: str,
        severity: str,
        area: str,
        channels,
        compilers=(),
        cadence_minutes: int | None = None,
        latitude=None,
        longitude=None,
        radius_meters=None,
    ) -> "Incident":
        """702.4.1: the Mayor's office or a designee opens an incident and names its compilers.

        702.7: the opening is archived.
        """
        from retention.archive import append

        channels = list(channels)
        cls.require_authority_on(by, channels, "open an incident")
        if not channels:
            raise ValidationError({"channels": "Choose the channels the updates go to."})
        incident = cls(
            title=(title or "").strip(),
            kind=kind,
            severity=severity,
            area=(area or "").strip(),
            cadence_minutes=cadence_minutes,
            latitude=latitude,
            longitude=longitude,
            radius_meters=radius_meters,
            opened_by=by,
        )
        incident.full_clean()
        incident.save()
        incident.channels.set(channels)
        incident._log("opened", by=by, detail=f"{incident.get_kind_display()}: {incident.area}")
        for person in compilers:
            incident._appoint(by=by, person=person)
        incident._schedule_next_update(from_time=incident.opened_at)
        append(kind=ARCHIVE_OPENED, payload={"incident": incident.as_record()})
        return incident

    # --- Compilers ------------------------------------------------------------------
    @transaction.atomic
    def appoint_compiler(self, *, by, person) -> "IncidentCompiler":
        self.require_authority(by, "appoint the compilers of an incident")
        self._locked().require_open()
        return self._appoint(by=by, person=person)

    def _appoint(self, *, by, person) -> "IncidentCompiler":
        """702.3: a compiler releases to every channel of the incident, so must be authorized
        for each, in the incident's category."""
        refused = [
            channel.name
            for channel in self.channels.all()
            if not can_publish(person, channel, category=self.category)
        ]
        if refused:
            raise ValidationError(
                {
                    "person": f"702.3: {person} is not authorized to post {self.category_label} "
                    f"to {', '.join(refused)}, so cannot release this incident's updates."
                }
            )
        if self.appointments.filter(person=person, removed_at__isnull=True).exists():
            raise ValidationError({"person": f"{person} is already a compiler of this incident."})
        appointment = IncidentCompiler.objects.create(incident=self, person=person, appointed_by=by)
        self._log("compiler_appointed", by=by, detail=f"{person} compiles this incident.")
        return appointment

    @transaction.atomic
    def remove_compiler(self, *, by, person) -> None:
        """The person's updates still waiting for a supervisor are withdrawn: only compilers
        release this incident's posts."""
        self.require_authority(by, "remove the compilers of an incident")
        self._locked().require_open()
        appointment = self.appointments.filter(person=person, removed_at__isnull=True).first()
        if appointment is None:
            raise ValidationError(f"{person} is not a compiler of this incident.")
        appointment.removed_by, appointment.removed_at = by, timezone.now()
        appointment.save(update_fields=["removed_by", "removed_at"])
        self._withdraw_waiting(
            by=by,
            posts=self.posts.filter(author=person),
            reason=f"702.4.1: {person} is no longer a compiler of this incident.",
        )
        self._log("compiler_removed", by=by, detail=f"{person} no longer compiles this incident.")

    @staticmethod
    def _withdraw_waiting(*, by, posts, reason: str) -> int:
        """Nothing more goes out for these posts: waiting ones (a draft, awaiting a supervisor,
        returned) end as withdrawn, so that no other path can still release them."""
        withdrawn = 0
        for post in posts.select_for_update():
            if PostState.WITHDRAWN not in TRANSITIONS[post.state]:
                continue  # released already, or ended
            post._move(PostState.WITHDRAWN, by=by, reason=reason)
            post.approvals.void_all(reason=reason)
            withdrawn += 1
        return withdrawn

    # --- Cadence and status ---------------------------------------------------------
    @transaction.atomic
    def set_cadence(self, *, by, minutes: int | None) -> None:
        """How often the public hears from the city; the clock restarts from the last update."""
        if not self.may_be_run_by(by):
            raise PermissionDenied(
                "702.4.1: the cadence is set by the Mayor's office, the designee or a compiler."
            )
        locked = self._locked()
        locked.require_open()
        if minutes is not None and not MIN_CADENCE <= minutes <= MAX_CADENCE:
            raise ValidationError(
                {
                    "cadence_minutes": f"Choose between {MIN_CADENCE} minutes and "
                    f"{MAX_CADENCE // 60} hours, or leave it blank for no cadence."
                }
            )
        if minutes == locked.cadence_minutes:
            return  # unchanged: the clock keeps running from the last update
        self.cadence_minutes = minutes
        self.save(update_fields=["cadence_minutes"])
        last = self.updates.released().order_by("-released_at").first()
        self._schedule_next_update(from_time=last.released_at if last else self.opened_at)
        every = f"every {minutes} minutes" if minutes else "no cadence"
        self._log("cadence", by=by, detail=f"Updates {every}.")

    @transaction.atomic
    def set_status(self, *, by, status: str) -> None:
        """Active or monitoring; closing has its own message (close())."""
        if not self.may_be_run_by(by):
            raise PermissionDenied(
                "702.4.1: the status is set by the Mayor's office, the designee or a compiler."
            )
        self._locked().require_open()
        if status not in {IncidentStatus.ACTIVE, IncidentStatus.MONITORING}:
            raise ValidationError(
                {"status": "Choose active or monitoring. To close, write the closing message."}
            )
        if status == self.status:
            return
        before = self.get_status_display()
        self.status = status
        self.save(update_fields=["status"])
        self._log("status", by=by, detail=f"{before} → {self.get_status_display()}.")

    def update_settings(self, *, by, status: str, cadence_minutes: int | None) -> None:
        """The board's one form: the status and the cadence change together or not at all."""
        try:
            with transaction.atomic():
                self.set_status(by=by, status=status)
                self.set_cadence(by=by, minutes=cadence_minutes)
        except (ValidationError, PermissionDenied):
            # Rolled back (the block above has ended); so is this object, for the page that
            # says why.
            self.refresh_from_db(fields=["status", "cadence_minutes", "next_update_due_at"])
            raise

    def _schedule_next_update(self, *, from_time) -> None:
        due = None
        if self.cadence_minutes and not self.is_closed:
            due = from_time + timedelta(minutes=self.cadence_minutes)
        self.next_update_due_at = due
        self.save(update_fields=["next_update_due_at"])

    def remind_if_overdue(self, now=None) -> bool:
        """Tell the compilers, once per missed due time, that an update is overdue.

        Claimed with one conditional UPDATE, so two beat runs never send it twice. The e-mail
        goes after the claim is committed, and the event then says whom it reached: the board
        and the after-action say "e-mailed" only when it was.
        """
        from .incident_notifications import notify_update_overdue

        now = now or timezone.now()
        with transaction.atomic():
            claimed = (
                Incident.objects.overdue(now)
                .filter(pk=self.pk)
                .exclude(reminded_for=models.F("next_update_due_at"))
                .update(reminded_for=models.F("next_update_due_at"))
            )
        if not claimed:
            return False
        self.refresh_from_db(fields=["next_update_due_at", "reminded_for", "status"])
        overdue = f"Update overdue since {timezone.localtime(self.next_update_due_at):%-I:%M %p}"
        self._log("reminded", detail=f"{overdue}; {notify_update_overdue(self)}")
        return True

    # --- Closing ----------------------------------------------------------------------
    @transaction.atomic
    def close(
        self,
        *,
        by,
        source: str,
        verified_by: str,
        message: str = "",
        template=None,
        fills=None,
        equipment=None,
    ):
        """A compiler releases the closing message to every channel and closes the incident.

        The closing message is a pre-approved closing template filled in (it goes out without a
        supervisor's wait, 702.3) or the compiler's own words (which a supervisor approves
        first). The board is frozen: no update, proposal or correction after this; updates
        still waiting are withdrawn and open proposals declined. Only the closing message may
        still be revised while it has not gone out (revise_closing). 702.7: the after-action
        timeline is archived now, and again once every delivery has settled; the retention
        clocks that run from the close start.
        """
        self._locked().require_open()  # closed already: only revise_closing() releases
        self.require_compiler(by, "close it, with the closing message")
        closing = IncidentUpdate.release_new(
            incident=self,
            by=by,
            equipment=equipment,
            template=template,
            fills=fills,
            body=message,
            source=source,
            verified_by=verified_by,
            purpose=IncidentUpdate.Purpose.CLOSING,
        )
        reason = "702.4.1: the incident was closed before this update went out."
        self._withdraw_waiting(by=by, posts=self.posts.exclude(pk=closing.post_id), reason=reason)
        for proposal in self.updates.filter(status=IncidentUpdate.Status.PROPOSED):
            proposal._decide(
                by=by, status=IncidentUpdate.Status.DECLINED, reason="The incident was closed."
            )
        self.status = IncidentStatus.CLOSED
        self.closed_by, self.closed_at = by, timezone.now()
        self.closing_message = closing.body
        self.next_update_due_at = None
        self.after_action_pending = True
        self.save(
            update_fields=[
                "status",
                "closed_by",
                "closed_at",
                "closing_message",
                "next_update_due_at",
                "after_action_pending",
            ]
        )
        self._log("closed", by=by, detail=closing.body)
        self._archive_after_action(settled=False)
        self._start_retention_clocks()
        return closing

    def closing_update(self) -> "IncidentUpdate | None":
        """The closing message released last (an earlier one may have been revised)."""
        return (
            self.updates.released()
            .filter(purpose=IncidentUpdate.Purpose.CLOSING)
            .select_related("post")
            .order_by("-number")
            .first()
        )

    def closing_may_be_revised(self) -> bool:
        """Closed, and the closing message has not gone out: it waits for a supervisor, was
        returned or rejected, or was withdrawn."""
        if not self.is_closed:
            return False
        closing = self.closing_update()
        return closing is None or not closing.is_out

    def require_closing_revisable(self) -> None:
        if not self.is_closed:
            raise IllegalTransition("Close the incident first; its closing message goes with it.")
        if not self.closing_may_be_revised():
            raise IllegalTransition(
                "702.4.1: the closing message has gone out and the board is frozen; nothing "
                "more is released for this incident."
            )

    @transaction.atomic
    def revise_closing(
        self,
        *,
        by,
        source: str,
        verified_by: str,
        message: str = "",
        template=None,
        fills=None,
        equipment=None,
    ) -> "IncidentUpdate":
        """A compiler releases a new closing message in place of one that has not gone out
        (waiting for a supervisor, returned, rejected or withdrawn): the earlier one is
        withdrawn, the new one goes through the same checks (702.3, 702.5). Nothing else is
        released after the close."""
        incident = self._locked()
        incident.require_compiler(by, "revise the closing message")
        incident.require_closing_revisable()
        earlier = incident.closing_update()
        closing = IncidentUpdate.release_new(
            incident=incident,
            by=by,
            equipment=equipment,
            template=template,
            fills=fills,
            body=message,
            source=source,
            verified_by=verified_by,
            purpose=IncidentUpdate.Purpose.CLOSING,
        )
        if earlier is not None:
            self._withdraw_waiting(
                by=by,
                posts=self.posts.filter(pk=earlier.post_id),
                reason=f"702.4.1: replaced by the revised closing message (update "
                f"{closing.number}).",
            )
        incident.closing_message = closing.body
        incident.after_action_pending = True
        incident.save(update_fields=["closing_message", "after_action_pending"])
        self.closing_message, self.after_action_pending = closing.body, True
        incident._log("closing_revised", by=by, detail=closing.body)
        return closing

    # --- The after-action, archived (702.7) ----------------------------------------------
    def deliveries_settled(self) -> bool:
        """Every post of the incident is decided and every delivery has its answer: nothing
        waits for a supervisor, goes out, retries or waits for a person to say what happened."""
        if self.posts.filter(state__in=UNSETTLED_POSTS).exists():
            return False
        return not Publication.objects.filter(
            post__incident=self, status__in=UNSETTLED_DELIVERIES
        ).exists()

    def _archive_after_action(self, *, settled: bool) -> ArchiveRecord:
        """A new version of the after-action record; earlier versions stay as they were."""
        from retention.archive import append

        from .incident_timeline import after_action

        earlier = ArchiveRecord.objects.filter(
            kind=ARCHIVE_CLOSED, payload__incident__id=self.pk
        ).count()
        return append(
            kind=ARCHIVE_CLOSED,
            payload={
                "incident": self.as_record(),
                "version": earlier + 1,
                "deliveries_settled": settled,
                "after_action": [row.as_record() for row in after_action(self)],
            },
        )

    @transaction.atomic
    def archive_after_action_if_settled(self) -> ArchiveRecord | None:
        """Once every delivery of a closed incident has settled (the closing message's too),
        the after-action timeline is archived again with every delivery time in it."""
        incident = self._locked()
        if not (incident.is_closed and incident.after_action_pending):
            return None
        if not incident.deliveries_settled():
            return None
        record = incident._archive_after_action(settled=True)
        incident.after_action_pending = False
        incident.save(update_fields=["after_action_pending"])
        incident._start_retention_clocks()  # records captured since the close wait for it too
        return record

    def _start_retention_clocks(self) -> int:
        from retention.schedule_models import ClockEvent, RecordRetention
        from retention.schedules import start_clocks

        records = models.Q(record__post__incident=self) | models.Q(
            record__kind__in=[ARCHIVE_OPENED, ARCHIVE_UPDATE, ARCHIVE_CLOSED],
            record__payload__incident__id=self.pk,
        )
        waiting = RecordRetention.objects.filter(
            records, series__clock_event=ClockEvent.INCIDENT_CLOSED
        )
        return start_clocks(waiting, self.closed_at)

    def as_record(self) -> dict:
        """The incident as the archive keeps it."""

        def moment(value):
            return value.isoformat() if value else None

        return {
            "id": self.pk,
            "title": self.title,
            "kind": self.kind,
            "kind_label": self.get_kind_display(),
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "area": self.area,
            "map_point": (
                {
                    "latitude": str(self.latitude),
                    "longitude": str(self.longitude),
                    "radius_meters": self.radius_meters,
                }
                if self.has_map_point
                else None
            ),
            "channels": [{"id": c.pk, "name": c.name} for c in self.channels.all()],
            "compilers": [person_record(a.person) for a in self.appointments.all()],
            "cadence_minutes": self.cadence_minutes,
            "opened_by": person_record(self.opened_by),
            "opened_at": moment(self.opened_at),
            "closed_by": person_record(self.closed_by) if self.closed_by_id else None,
            "closed_at": moment(self.closed_at),
            "closing_message": self.closing_message,
        }


def person_record(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": str(user)}


class IncidentCompiler(models.Model):
    """702.4.1: a person the Mayor's office or the designee appointed to compile an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_appointments"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "person"],
                condition=models.Q(removed_at__isnull=True),
                name="one_current_appointment_per_compiler",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}, compiler of {self.incident}"


class IncidentEvent(models.Model):
    """Every change to an incident: who, when, what. Append-only; the after-action reads it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    LABELS = {
        "opened": "Incident opened",
        "compiler_appointed": "Compiler appointed",
        "compiler_removed": "Compiler removed",
        "cadence": "Cadence set",
        "status": "Status changed",
        "reminded": "Update overdue: reminder",
        "closed": "Incident closed",
        "closing_revised": "Closing message revised",
    }

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.action}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)


class IncidentUpdateQuerySet(models.QuerySet):
    def released(self):
        return self.filter(status=IncidentUpdate.Status.RELEASED)

    def proposals(self):
        return self.filter(status=IncidentUpdate.Status.PROPOSED).order_by("proposed_at")

    def with_delivery(self):
        """For the board and the after-action: each update's post, channels and approvals in a
        fixed number of queries."""
        return self.select_related(
            "post", "released_by", "proposed_by", "corrects", "template"
        ).prefetch_related(
            "post__channels",
            "post__publications__channel",
            "post__approvals__reviewer",
            "corrections__post__publications",
        )


class IncidentUpdate(models.Model):
    """One update of an incident, or a proposal for one.

    The source and who verified it are internal (702.4.1's accuracy): kept on the board and in
    the archive, never published.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed to the compilers"
        DECLINED = "declined", "Declined by a compiler"
        RELEASED = "released", "Released by a compiler"

    class Purpose(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        CLOSING = "closing", "Closing message"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="updates")
    post = models.OneToOneField(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_update",
        editable=False,
    )
    status = models.CharField(max_length=20, choices=Status.choices, editable=False)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.UPDATE)
    number = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Released updates, counted from 1."
    )
    template = models.ForeignKey(
        "review.GuidelineTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fills = models.JSONField(default=dict, blank=True)
    body = models.TextField()
    source = models.TextField(
        help_text="Where the information came from. Internal: archived, never published."
    )
    verified_by = models.CharField(
        "Verified by",
        max_length=200,
        help_text="Who confirmed it, with their role. Internal: archived, never published.",
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    objects = IncidentUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-released_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "number"],
                condition=models.Q(number__isnull=False),
                name="one_update_number_per_incident",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="released") | models.Q(post__isnull=False),
                name="released_update_has_post",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.incident}: {self.get_purpose_display().lower()} {self.number}"
        return f"{self.incident}: proposal by {self.proposed_by}"

    # --- What it says ---------------------------------------------------------------
    @property
    def title(self) -> str:
        if self.purpose == self.Purpose.CORRECTION:
            return f"Correction: {self.incident.title} (update {self.number})"
        if self.purpose == self.Purpose.CLOSING:
            return f"{self.incident.title}: closed (update {self.number})"
        return f"{self.incident.title} (update {self.number})"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED

    @property
    def is_out(self) -> bool:
        """Released to the publishing workers: some channel has it or is getting it."""
        return self.post_id is not None and self.post.state in Post.REMOVABLE_STATES

    @property
    def went_out_somewhere(self) -> bool:
        """Published on at least one channel: the public has seen it."""
        return self.is_out and any(
            p.status == Publication.Status.PUBLISHED for p in self.post.publications.all()
        )

    @property
    def going_out(self) -> bool:
        """Released, not yet published anywhere, and some delivery still under way."""
        return (
            self.is_out
            and not self.went_out_somewhere
            and any(p.status in UNSETTLED_DELIVERIES for p in self.post.publications.all())
        )

    @property
    def failed_everywhere(self) -> bool:
        """Released, and every channel refused it: the public never saw it."""
        return self.is_out and not self.went_out_somewhere and not self.going_out

    def superseding(self) -> "IncidentUpdate | None":
        """The correction that supersedes this update: one that went out somewhere. A
        correction whose every delivery failed supersedes nothing (702.4.1 accuracy: the
        public never saw it)."""
        return next((c for c in self.corrections.all() if c.went_out_somewhere), None)

    def pending_correction(self) -> "IncidentUpdate | None":
        """A correction on its way out, not yet published on any channel."""
        return next((c for c in self.corrections.all() if c.going_out), None)

    @property
    def waits_for_supervisor(self) -> bool:
        return self.post_id is not None and self.post.state in {
            PostState.SUBMITTED,
            PostState.APPROVED,
            PostState.REJECTED,
        }

    @staticmethod
    def compose(*, incident, template=None, fills=None, body="", correction=False) -> str:
        """The text: a pre-approved template filled in (702.3), or the compiler's own words."""
        from review.guidelines import fill_template, template_spec

        if template is not None:
            spec = template_spec(template)
            if spec is None or spec.category != incident.category:
                raise ValidationError(
                    f"This template is not offered for {incident.category_label} under the "
                    "Mayor's guidelines now. Choose another."
                )
            text = fill_template(spec, fills or {})
        else:
            text = " ".join((body or "").split())
            if not text:
                raise ValidationError({"body": "Write the update."})
        if correction and not text.lower().startswith("correction:"):
            # Most platforms cannot edit a post through their API: the correction is a new
            # post that says what it is.
            text = f"Correction: {text}"
        return text

    @classmethod
    def _validated(cls, *, source, verified_by, **text) -> tuple[str, str, str]:
        """The text, the source and the verifier; every problem with them at once."""
        errors: dict = {}
        body = ""
        try:
            body = cls.compose(**text)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            source, verified_by = cls._internal(source, verified_by)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        return body, source, verified_by

    @staticmethod
    def _internal(source: str, verified_by: str) -> tuple[str, str]:
        source, verified_by = (source or "").strip(), (verified_by or "").strip()
        errors = {}
        if not source:
            errors["source"] = "Say where the information came from (kept internal)."
        if not verified_by:
            errors["verified_by"] = "Say who verified it (kept internal)."
        if errors:
            raise ValidationError(errors)
        return source, verified_by

    # --- Releasing (702.4.1) ----------------------------------------------------------
    @classmethod
    @transaction.atomic
    def release_new(
        cls,
        *,
        incident,
        by,
        source: str,
        verified_by: str,
        template=None,
        fills=None,
        body: str = "",
        equipment=None,
        corrects=None,
        purpose=None,
    ) -> "IncidentUpdate":
        """A compiler publishes an update to every channel of the incident, in one action.

        It goes out through Post.submit: conforming text is approved by CitySocial itself and
        released at once (702.3); anything else waits for a supervisor; a blocking finding
        (702.5) refuses it and nothing is saved.
        """
        incident = incident._locked()
        purpose = purpose or (cls.Purpose.CORRECTION if corrects else cls.Purpose.UPDATE)
        if purpose == cls.Purpose.CLOSING and incident.is_closed:
            incident.require_closing_revisable()  # the one release after the close
        else:
            incident.require_open()
        incident.require_compiler(by)
        if corrects is not None:
            corrects = cls._correctable(incident, corrects)
        text, source, verified_by = cls._validated(
            incident=incident,
            template=template,
            fills=fills,
            body=body,
            correction=purpose == cls.Purpose.CORRECTION,
            source=source,
            verified_by=verified_by,
        )
        update = cls(
            incident=incident,
            purpose=purpose,
            template=_template_row(template),
            fills=dict(fills or {}) if template is not None else {},
            body=text,
            source=source,
            verified_by=verified_by,
            corrects=corrects,
        )
        update._release(by=by, equipment=equipment)
        return update

    def _release(self, *, by, equipment) -> None:
        """The incident is locked by the caller. Checks first: a blocked text saves nothing."""
        from review.assessment import assess

        incident = self.incident
        channels = list(incident.channels.all())
        self.number = (incident.updates.aggregate(n=models.Max("number"))["n"] or 0) + 1
        blocking = assess(
            title=self.title, body=self.body, category=incident.category, channels=channels
        ).blocking
        if blocking:
            raise ValidationError(
                [f.message for f in blocking]
                + ["702.5: change the text. An incident update never goes out over this."]
            )
        post = Post.objects.create(
            author=by,
            title=self.title,
            body=self.body,
            category=incident.category,
            incident=incident,
        )
        post.channels.set(channels)
        now = timezone.now()
        self.post, self.status, self.released_by, self.released_at = (
            post,
            self.Status.RELEASED,
            by,
            now,
        )
        self.save()
        post.submit(by=by, equipment=equipment)
        incident._schedule_next_update(from_time=now)
        self._archive()

    def _archive(self):
        """702.7: the update with its internal source and verification, beside the post's own
        records of each publication."""
        from retention.archive import append

        payload = {
            "incident": {"id": self.incident_id, "title": self.incident.title},
            "update": {
                "id": self.pk,
                "number": self.number,
                "purpose": self.purpose,
                "title": self.title,
                "body": self.body,
                "template": self.template.name if self.template_id else None,
                "fills": self.fills,
                "source": self.source,
                "verified_by": self.verified_by,
                "corrects": self.corrects.number if self.corrects_id else None,
                "proposed_by": person_record(self.proposed_by) if self.proposed_by_id else None,
                "released_by": person_record(self.released_by),
                "released_at": self.released_at.isoformat(),
                "post": self.post_id,
            },
        }
        return append(kind=ARCHIVE_UPDATE, payload=payload, post=self.post)

    @staticmethod
    def _correctable(incident, update) -> "IncidentUpdate":
        update = IncidentUpdate.objects.select_related("post").get(pk=update.pk)
        if update.incident_id != incident.pk:
            raise ValidationError("A correction corrects an update of the same incident.")
        if not update.is_out:
            raise ValidationError(
                "Only an update that has gone out can be corrected. Withdraw or edit one that is "
                "still waiting."
            )
        later = update.superseding()
        if later is not None:
            raise ValidationError(
                f"Update {update.number} was already corrected by update {later.number}; "
                "correct that one instead."
            )
        pending = update.pending_correction()
        if pending is not None:
            raise ValidationError(
                f"Update {pending.number} is going out to correct update {update.number}; wait "
                "for its deliveries."
            )
        return update

    @transaction.atomic
    def correct(
        self,
        *,
        by,
        source: str,
        verified_by: str,
        template=None,
        fills=None,
        body: str = "",
        equipment=None,
    ) -> "IncidentUpdate":
        """702.4.1 accuracy: a new update that links to and supersedes this one. On the website
        this one is marked corrected; on the platforms the correction is a new post."""
        return IncidentUpdate.release_new(
            incident=self.incident,
            by=by,
            source=source,
            verified_by=verified_by,
            template=template,
            fills=fills,
            body=body,
            corrects=self,
            equipment=equipment,
        )

    # --- Proposals from other authorized posters --------------------------------------
    @classmethod
    @transaction.atomic
    def propose(
        cls,
        *,
        incident,
        by,
        source: str,
        verified_by: str,
        template=None,
        fills=None,
        body: str = "",
    ) -> "IncidentUpdate":
        """702.3, 702.4.1: an authorized poster proposes; the proposal lands in the compilers'
        inbox (the board, and an e-mail)."""
        from .incident_notifications import notify_proposal

        incident = incident._locked()
        incident.require_open()
        if not incident.may_propose(by):
            raise PermissionDenied(
                "702.3: only employees authorized to post to this incident's channels propose "
                "updates. Ask your supervisor to pass the information on (702.3)."
            )
        text, source, verified_by = cls._validated(
            incident=incident,
            template=template,
            fills=fills,
            body=body,
            source=source,
            verified_by=verified_by,
        )
        proposal = cls.objects.create(
            incident=incident,
            status=cls.Status.PROPOSED,
            template=_template_row(template),
            fills=dict(fills or {}) if template is not None else {},
            body=text,
            source=source,
            verified_by=verified_by,
            proposed_by=by,
            proposed_at=timezone.now(),
        )
        transaction.on_commit(lambda: notify_proposal(proposal))
        return proposal

    def _lock_proposal(self, by) -> None:
        self.incident._locked().require_open()
        self.incident.require_compiler(by, "decide proposals")
        locked = IncidentUpdate.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.PROPOSED:
            raise IllegalTransition(f"This proposal was already {locked.get_status_display()}.")

    @transaction.atomic
    def accept(self, *, by, equipment=None, body: str | None = None) -> None:
        """A compiler releases the proposal, as written or with their changes."""
        self._lock_proposal(by)
        if body is not None and " ".join(body.split()) != self.body:
            self.body = self.compose(incident=self.incident, body=body)
            self.template, self.fills = None, {}
        self.decided_by, self.decided_at = by, timezone.now()
        self._release(by=by, equipment=equipment)

    @transaction.atomic
    def decline(self, *, by, reason: str) -> None:
        self._lock_proposal(by)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "Tell the poster why the proposal is declined."})
        self._decide(by=by, status=self.Status.DECLINED, reason=reason)

    def _decide(self, *, by, status, reason: str) -> None:
        self.status, self.decided_by, self.decided_at = status, by, timezone.now()
        self.decline_reason = reason
        self.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])


def _template_row(template):
    """The GuidelineTemplate row for a template given as a row, a TemplateSpec or a key."""
    from review.guideline_models import GuidelineTemplate

    if template is None:
        return None
    if isinstance(template, GuidelineTemplate):
        return template
    return GuidelineTemplate.objects.filter(pk=getattr(template, "pk", template)).first()
