import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .roles import Role


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        if not self.is_authenticated or not self.is_active:
            return False
        return role in self.role_names

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names


EXPIRING_WITHIN = timedelta(days=14)


class PeriodQuerySet(models.QuerySet):
    def in_period(self, at=None):
        """Grants in force at `at` (now by default): begun, not ended, not revoked."""
        at = at or timezone.now()
        return self.filter(valid_from__lte=at, revoked_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=at)
        )

    def current(self, at=None):
        return self.in_period(at)


class Grant(models.Model):
    """What designations and authorizations share: a period, who granted it, and revocation."""

    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        if self.valid_until and self.valid_from and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "The end must come after the start."})

    def period_state(self, at=None) -> str:
        at = at or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.valid_from > at:
            return "pending"
        if self.valid_until and self.valid_until <= at:
            return "expired"
        if self.valid_until and self.valid_until - at <= EXPIRING_WITHIN:
            return "expiring"
        return "active"

    def _mark_revoked(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError("Give a reason for the revocation.")
        if self.revoked_at:
            raise ValidationError("This is already revoked.")
        self.revoked_at = timezone.now()
        self.revoked_by = by
        self.revocation_reason = reason.strip()
        self.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])


class DesignationQuerySet(PeriodQuerySet):
    def covering(self, *, channels, employee, at=None):
        """Current designations whose scope includes the employee's department and every channel."""
        designations = self.current(at).prefetch_related("departments", "channels")
        return [d for d in designations if d.covers(channels=channels, employee=employee)]


class Designation(Grant):
    """702.3: the Mayor's authorized designee, who acts for the Mayor within a scope and a period."""

    designee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="designations")
    authority = models.CharField(
        max_length=200,
        help_text='On whose authority, e.g. "Mayor Dana Ortiz, Executive Order 2026-03".',
    )
    departments = models.ManyToManyField(
        Department, blank=True, help_text="Employees of these departments. None: every department."
    )
    channels = models.ManyToManyField(
        "posting.Channel", blank=True, help_text="These channels. None: every channel."
    )

    objects = DesignationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[departments, channels])

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.designee}, designee of the Mayor"

    @property
    def state(self) -> str:
        return self.period_state()

    def covers(self, *, channels, employee) -> bool:
        scope_channels = {c.pk for c in self.channels.all()}
        scope_departments = {d.pk for d in self.departments.all()}
        if scope_channels and not {c.pk for c in channels} <= scope_channels:
            return False
        return not scope_departments or employee.department_id in scope_departments

    @property
    def scope_text(self) -> str:
        departments = ", ".join(str(d) for d in self.departments.all()) or "every department"
        channels = ", ".join(str(c) for c in self.channels.all()) or "every channel"
        return f"{departments}; {channels}"

    @classmethod
    def grant(
        cls,
        *,
        designee,
        by,
        authority,
        departments=(),
        channels=(),
        valid_from=None,
        valid_until=None,
        note="",
    ):
        """702.3: the Mayor's office names a designee. Designees cannot name designees."""
        if not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied("702.3: only the Mayor's office names designees of the Mayor.")
        if not authority.strip():
            raise ValidationError("Say on whose authority the designee acts.")
        with transaction.atomic():
            designation = cls(
                designee=designee,
                granted_by=by,
                authority=authority.strip(),
                valid_from=valid_from or timezone.now(),
                valid_until=valid_until,
                note=note,
            )
            designation.full_clean()
            designation.save()
            designation.departments.set(departments)
            designation.channels.set(channels)
        return designation

    def revoke(self, *, by, reason: str):
        if not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied("702.3: only the Mayor's office revokes a designation.")
        with transaction.atomic():
            self._mark_revoked(by=by, reason=reason)


class AuthorizationQuerySet(PeriodQuerySet):
    def current(self, at=None):
        """In force and not suspended: the authorizations that let a person post."""
        return self.in_period(at).filter(suspended_at__isnull=True)

    def for_channel(self, user, channel):
        return self.filter(user=user, channels=channel)

    def in_state(self, state: str, at=None):
        """Filter by the state the register shows: active, expiring, suspended, revoked, expired."""
        at = at or timezone.now()
        in_period = self.in_period(at)
        soon = at + EXPIRING_WITHIN
        if state == "revoked":
            return self.filter(revoked_at__isnull=False)
        if state == "expired":
            return self.filter(revoked_at__isnull=True, valid_until__lte=at)
        if state == "pending":
            return self.filter(revoked_at__isnull=True, valid_from__gt=at)
        if state == "suspended":
            return in_period.filter(suspended_at__isnull=False)
        if state == "expiring":
            return in_period.filter(suspended_at__isnull=True, valid_until__lte=soon)
        if state == "active":
            return in_period.filter(suspended_at__isnull=True).exclude(valid_until__lte=soon)
        return self

    def refresh_for(self, user) -> None:
        """702.8: suspend a person's authorizations while their training is not current; lift it after."""
        from training.services import has_current_training, missing_training

        trained = has_current_training(user)
        changed = False
        for authorization in self.filter(user=user).in_period():
            if trained and authorization.suspended_at:
                authorization.reinstate()
                changed = True
            elif not trained and not authorization.suspended_at:
                names = ", ".join(m.title for m in missing_training(user))
                authorization.suspend(reason=f"702.8: training is not current ({names}).")
                changed = True
        if changed:
            sync_publish_permissions(user)


class Authorization(Grant):
    """702.3: only employees authorized by the Mayor or the authorized designee post."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="authorizations")
    channels = models.ManyToManyField("posting.Channel", related_name="authorizations")
    categories = models.JSONField(
        default=list, blank=True, help_text="702.4 categories allowed; empty allows every one."
    )
    designation = models.ForeignKey(
        Designation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorizations",
        help_text="The designation it was granted under; empty when the Mayor's office granted it.",
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)

    objects = AuthorizationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="authorization_ends_after_it_begins",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} authorized by {self.granted_by}"

    @property
    def state(self) -> str:
        state = self.period_state()
        if self.suspended_at and state in {"active", "expiring"}:
            return "suspended"
        return state

    @property
    def authority(self) -> str:
        if self.designation_id:
            return (
                f"{self.designation.designee}, designee of the Mayor ({self.designation.authority})"
            )
        return "The Mayor's office"

    def allows_category(self, category: str | None) -> bool:
        return not self.categories or category is None or category in self.categories

    def category_labels(self) -> list[str]:
        from posting.models import Category

        return [Category(value).label for value in self.categories]

    @classmethod
    def grant(
        cls, *, user, channels, by, categories=(), valid_from=None, valid_until=None, note=""
    ):
        """702.3: the Mayor's office, or a designee within scope, authorizes an employee.

        702.8: only an employee whose training is current may be authorized.
        """
        from posting.models import Category
        from training.services import missing_training

        channels = list(channels)
        if not channels:
            raise ValidationError("Choose at least one channel to authorize.")
        designation = acting_designation(by, channels=channels, employee=user)
        unknown = [c for c in categories if c not in Category.values]
        if unknown:
            raise ValidationError("Choose categories from 702.4 (a)-(h).")
        missing = missing_training(user)
        if missing:
            names = ", ".join(m.title for m in missing)
            raise ValidationError(
                f"702.8: {user} must complete current training before being authorized ({names})."
            )
        with transaction.atomic():
            authorization = cls(
                user=user,
                granted_by=by,
                designation=designation,
                categories=list(categories),
                valid_from=valid_from or timezone.now(),
                valid_until=valid_until,
                note=note,
            )
            authorization.full_clean()
            authorization.save()
            authorization.channels.set(channels)
            sync_publish_permissions(user)
        return authorization

    def revoke(self, *, by, reason: str):
        """702.3: revocation takes effect at once: drafts stay, queued and scheduled posts are held."""
        acting_designation(by, channels=list(self.channels.all()), employee=self.user)
        with transaction.atomic():
            self._mark_revoked(by=by, reason=reason)
            sync_publish_permissions(self.user)
            hold_posts_no_longer_authorized(self.user, reason=f"Authorization revoked: {reason}")

    def suspend(self, *, reason: str):
        with transaction.atomic():
            self.suspended_at = timezone.now()
            self.suspension_reason = reason
            self.save(update_fields=["suspended_at", "suspension_reason"])
            hold_posts_no_longer_authorized(self.user, reason=reason)

    def reinstate(self):
        self.suspended_at = None
        self.suspension_reason = ""
        self.save(update_fields=["suspended_at", "suspension_reason"])


def acting_designation(by, *, channels, employee):
    """The authority under which `by` acts: None for the Mayor's office, else a covering designation.

    702.3: only the Mayor or the authorized designee authorizes; a designee only within scope.
    """
    if by.has_role(Role.MAYORS_OFFICE):
        return None
    covering = Designation.objects.filter(designee=by).covering(
        channels=channels, employee=employee
    )
    if covering:
        return covering[0]
    if Designation.objects.current().filter(designee=by).exists():
        raise PermissionDenied(
            "702.3: this is outside the scope of your designation (its departments or channels)."
        )
    raise PermissionDenied(
        "702.3: only the Mayor's office or an authorized designee may authorize posting."
    )


def hold_posts_no_longer_authorized(user, *, reason: str) -> None:
    """Hold the person's queued and scheduled posts; tell their supervisor. Drafts stay as they are."""
    from posting.models import Post

    held = [post for post in Post.objects.held_on_revocation(user) if post.unauthorized_channels()]
    for post in held:
        post.hold(reason=reason)
    if held:
        from .notifications import notify_posts_held

        notify_posts_held(user, held, reason)


PUBLISH_PERMISSION = "posting.publish_to_channel"


def sync_publish_permissions(user) -> None:
    """Make the user's guardian object permissions on channels match their current authorizations."""
    from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

    from posting.models import Channel

    authorized = set(
        Channel.objects.filter(authorizations__in=Authorization.objects.current().filter(user=user))
        .values_list("pk", flat=True)
        .distinct()
    )
    held = set(
        get_objects_for_user(
            user, PUBLISH_PERMISSION, klass=Channel, with_superuser=False, accept_global_perms=False
        ).values_list("pk", flat=True)
    )
    for channel in Channel.objects.filter(pk__in=authorized - held):
        assign_perm(PUBLISH_PERMISSION, user, channel)
    for channel in Channel.objects.filter(pk__in=held - authorized):
        remove_perm(PUBLISH_PERMISSION, user, channel)


# --- City-approved equipment (702.3) --------------------------------------------

MAX_EXCEPTION = timedelta(days=30)


class DeviceQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Device.Status.APPROVED)

    def awaiting_approval(self):
        return self.filter(status=Device.Status.REQUESTED).select_related("user")


class Device(models.Model):
    """702.3: a piece of city-approved equipment, enrolled from the device itself.

    The device holds a signed token (a cookie) naming this row and its secret
    token id; approving the row makes the token good, revoking it makes it void.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(max_length=100, help_text='For example "Public Works laptop PW-114".')
    asset_tag = models.CharField(max_length=50, blank=True, help_text="The city's asset tag.")
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    token_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)

    objects = DeviceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_id"])

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def _require_approver(by) -> None:
        if not (by.has_role(Role.MAYORS_OFFICE) or by.has_role(Role.IT)):
            raise PermissionDenied("702.3: the Mayor's office or IT approves city equipment.")

    def _decide(self, *, by, status: str, reason: str, allowed_from: set[str]) -> None:
        self._require_approver(by)
        if self.status not in allowed_from:
            raise ValidationError(f"This device is {self.get_status_display().lower()}.")
        self.status, self.decided_by, self.decided_at = status, by, timezone.now()
        self.decision_reason = reason.strip()
        self.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])

    def approve(self, *, by, reason: str = ""):
        self._decide(
            by=by, status=self.Status.APPROVED, reason=reason, allowed_from={self.Status.REQUESTED}
        )

    def decline(self, *, by, reason: str):
        if not reason.strip():
            raise ValidationError("Give a reason.")
        self._decide(
            by=by, status=self.Status.DECLINED, reason=reason, allowed_from={self.Status.REQUESTED}
        )

    def revoke(self, *, by, reason: str):
        if not reason.strip():
            raise ValidationError("Give a reason.")
        self._decide(
            by=by,
            status=self.Status.REVOKED,
            reason=reason,
            allowed_from={self.Status.REQUESTED, self.Status.APPROVED},
        )


class EquipmentExceptionQuerySet(PeriodQuerySet):
    pass


class EquipmentException(Grant):
    """702.3: a supervisor specifically authorizes an employee to work from other equipment, for a time."""

    employee = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="equipment_exceptions"
    )
    reason = models.CharField(max_length=300)

    objects = EquipmentExceptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Equipment exception for {self.employee}"

    @property
    def state(self) -> str:
        return self.period_state()

    @classmethod
    def grant(cls, *, employee, by, reason: str, valid_until, valid_from=None):
        # 702.3: "unless they are specifically authorized to do otherwise by their supervisors".
        if employee.supervisor_id != by.pk:
            raise PermissionDenied(
                "702.3: only the employee's own supervisor grants this exception."
            )
        if not reason.strip():
            raise ValidationError("Say why the employee may use other equipment.")
        start = valid_from or timezone.now()
        if valid_until is None or valid_until - start > MAX_EXCEPTION:
            raise ValidationError(
                "An exception lasts 30 days at most; give an end date within that."
            )
        exception = cls(
            employee=employee,
            granted_by=by,
            reason=reason.strip(),
            valid_from=start,
            valid_until=valid_until,
        )
        exception.full_clean()
        exception.save()
        return exception

    def revoke(self, *, by, reason: str):
        if by.pk != self.granted_by_id and not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied("Only the supervisor who granted it may end this exception.")
        self._mark_revoked(by=by, reason=reason)
