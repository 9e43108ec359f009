"""The one place that answers "may this person publish to this channel?" (702.3).

The browser, the approval step and the publishing worker all ask here, so a
revoked or expired authorization stops a post wherever it is.
"""

from django.utils import timezone

from .models import PUBLISH_PERMISSION, Authorization


def can_publish(user, channel, category=None, at=None) -> bool:
    """A current authorization for the channel (and the category, where it names categories)."""
    if user is None or not user.is_active:
        return False
    # guardian caches object permissions per user object; a fresh checker sees revocations.
    from guardian.core import ObjectPermissionChecker

    if not ObjectPermissionChecker(user).has_perm(PUBLISH_PERMISSION.split(".")[1], channel):
        return False
    authorizations = Authorization.objects.current(at or timezone.now()).for_channel(user, channel)
    return any(a.allows_category(category) for a in authorizations)


def publishable_channels(user):
    """Channels the user may publish to now."""
    from posting.models import Channel

    if user is None or not user.is_authenticated or not user.is_active:
        return Channel.objects.none()
    current = Authorization.objects.current().filter(user=user)
    return (
        Channel.objects.filter(is_active=True, authorizations__in=current)
        .filter(
            pk__in=_guardian_channel_ids(user),
        )
        .distinct()
        .order_by("name")
    )


def _guardian_channel_ids(user):
    from guardian.shortcuts import get_objects_for_user

    from posting.models import Channel

    return get_objects_for_user(
        user, PUBLISH_PERMISSION, klass=Channel, with_superuser=False, accept_global_perms=False
    ).values("pk")
