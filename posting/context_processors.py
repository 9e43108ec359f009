"""What every signed-in page shows while an emergency stop is on (702.4.1)."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property

from accounts.roles import Role

from .models import EmergencyStop


class EmergencyStopState:
    """Read only when a page asks, in one query on most pages: every page shows the banner
    and the navigation, so each query here is paid on every page."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _stop_on_and_designee(self) -> tuple[bool, bool]:
        from accounts.models import Designation

        designations = Designation.objects.current().filter(designee=OuterRef("pk"))
        return (
            get_user_model()
            .objects.filter(pk=self.user.pk)
            .annotate(stop_on=Exists(EmergencyStop.objects.active()), designee=Exists(designations))
            .values_list("stop_on", "designee")
            .get()
        )

    @cached_property
    def stops(self) -> list[EmergencyStop]:
        stop_on, _ = self._stop_on_and_designee
        if not stop_on:
            return []
        stops = EmergencyStop.objects.active().select_related("channel", "started_by")
        return list(stops.order_by("started_at"))

    @cached_property
    def may_stop(self) -> bool:
        """Whether the person may open the stop page: EmergencyStop.may_be_used_by, from the
        same query as the banner."""
        if not self.user.is_active:
            return False
        return self.user.has_role(Role.MAYORS_OFFICE) or self._stop_on_and_designee[1]


def emergency_stop(request):
    """Residents on the public pages see nothing: the reasons (a compromised account, a tragedy
    not yet announced) are internal, and nothing new appears on the public pages meanwhile."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"emergency_stop": EmergencyStopState(user)}
