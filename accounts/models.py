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


class AuthorizationQuerySet(models.QuerySet):
    def current(self, at=None):
        """Authorizations in force at `at` (now by default): begun, not ended, not revoked."""
        at = at or timezone.now()
        return self.filter(valid_from__lte=at, revoked_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=at)
        )

    def for_channel(self, user, channel):
        return self.filter(user=user, channels=channel)


class Authorization(models.Model):
    """702.3: only employees authorized by the Mayor or the authorized designee post."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="authorizations")
    channels = models.ManyToManyField("posting.Channel", related_name="authorizations")
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="authorizations_granted"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorizations_revoked",
    )
    revocation_reason = models.CharField(max_length=300, blank=True)

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
        now = timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.valid_from > now:
            return "pending"
        if self.valid_until and self.valid_until <= now:
            return "expired"
        return "active"

    @classmethod
    def grant(cls, *, user, channels, by, valid_from=None, valid_until=None, note=""):
        """702.3: the Mayor's office authorizes an employee to post on channels."""
        if not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied(
                "702.3: only the Mayor's office or an authorized designee may authorize posting."
            )
        channels = list(channels)
        if not channels:
            raise ValidationError("Choose at least one channel to authorize.")
        with transaction.atomic():
            authorization = cls(
                user=user,
                granted_by=by,
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
        """702.3: revocation takes effect at once, here and in the worker."""
        if not by.has_role(Role.MAYORS_OFFICE):
            raise PermissionDenied(
                "702.3: only the Mayor's office or an authorized designee may revoke an authorization."
            )
        if not reason.strip():
            raise ValidationError("Give a reason for the revocation.")
        if self.revoked_at:
            raise ValidationError("This authorization is already revoked.")
        with transaction.atomic():
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.revocation_reason = reason.strip()
            self.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
            sync_publish_permissions(self.user)


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
