"""Who acts for the Mayor (702.3, 702.4.1): the Mayor's office, or a current designee of the
Mayor within the channels of the designation.

The emergency stop and incidents ask here, so both read the same designations the same way.
"""

from .models import Designation
from .roles import Role


def mayors_designations(user) -> list | None:
    """None for the Mayor's office (no limit); otherwise the person's current designations."""
    if not (user.is_authenticated and user.is_active):
        return []
    if user.has_role(Role.MAYORS_OFFICE):
        return None
    return list(Designation.objects.current().filter(designee=user).prefetch_related("channels"))


def within_designations(designations, channel) -> bool:
    """Channels, not employees: only a designation's channels limit what it covers here.
    `channel` None means every channel, which needs a designation for every channel."""
    if designations is None:
        return True
    for designation in designations:
        scope = {c.pk for c in designation.channels.all()}
        if not scope or (channel is not None and channel.pk in scope):
            return True
    return False


def acts_for_the_mayor(user) -> bool:
    """The Mayor's office, or a current designee of the Mayor (whatever the scope)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.has_role(Role.MAYORS_OFFICE)
        or Designation.objects.current().filter(designee=user).exists()
    )


def acts_for_the_mayor_on(user, channels) -> bool:
    """The Mayor's office, or a designee whose designations cover every one of `channels`."""
    designations = mayors_designations(user)
    return all(within_designations(designations, channel) for channel in channels)
