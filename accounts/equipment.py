"""702.3: authorized employees post and approve only from city-approved equipment,
unless their supervisor has specifically authorized otherwise.

A device proves itself with a signed cookie set when it was enrolled; the
check happens in the model methods that publish and approve, so every entry
point (browser, admin, command line) is held to it.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied

from .models import Device, EquipmentException

COOKIE = "citysocial_device"
SALT = "citysocial.device-enrollment"
COOKIE_AGE = 60 * 60 * 24 * 365 * 3  # three years: the life of a city laptop


@dataclass(frozen=True)
class Equipment:
    """Where an action came from, as recorded on it."""

    device: Device | None
    exception: EquipmentException | None = None

    @property
    def label(self) -> str:
        if self.device is not None:
            return str(self.device.name)
        if self.exception is not None:
            return f"Other equipment, under the exception granted by {self.exception.granted_by}"
        return "Unknown equipment"


def token_for(device: Device) -> str:
    return signing.dumps({"d": device.pk, "t": str(device.token_id)}, salt=SALT)


def device_from_token(token: str | None) -> Device | None:
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Device.objects.filter(pk=data.get("d"), token_id=data.get("t")).first()


def device_for_request(request) -> Device | None:
    return device_from_token(request.COOKIES.get(COOKIE))


def equipment_for(request) -> Equipment:
    return Equipment(device=device_for_request(request))


def check_equipment(user, equipment: Equipment | None) -> Equipment:
    """Refuse unless the action comes from the user's approved device, or they hold an exception."""
    device = equipment.device if equipment else None
    if device is not None and device.user_id == user.pk and device.status == Device.Status.APPROVED:
        return Equipment(device=device)
    exception = EquipmentException.objects.current().filter(employee=user).first()
    if exception is not None:
        return Equipment(device=None, exception=exception)
    raise PermissionDenied(
        "702.3: use city-approved equipment. This device is not enrolled for you"
        + (
            " (its enrollment is waiting for approval)"
            if device and device.user_id == user.pk and device.status == Device.Status.REQUESTED
            else ""
        )
        + ". Enroll it under Your equipment, or ask your supervisor for an exception."
    )
