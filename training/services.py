"""What the rest of CitySocial asks about training (702.8).

accounts calls `has_current_training()` / `missing_training()` / `training_expires_at()`
to hold authorizations (702.3) to the rule "no current training, no authorization".
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import Completion, TrainingModule

# Reminders go out this many days before a completion expires; the report calls a
# completion "expiring" from the first of them on.
REMINDER_DAYS: tuple[int, ...] = tuple(getattr(settings, "TRAINING_REMINDER_DAYS", (30, 7)))
EXPIRING_WITHIN = timedelta(days=max(REMINDER_DAYS))


def has_current_training(user, at=None) -> bool:
    """True when `user` holds a current completion of every required module at `at`."""
    return not missing_training(user, at)


def missing_training(user, at=None) -> list[TrainingModule]:
    """The required modules `user` lacks a current completion of at `at`, in order."""
    at = at or timezone.now()
    required = list(TrainingModule.objects.required().in_order())
    if not required or user is None or user.pk is None:
        return required
    current = set(
        Completion.objects.counting(at)
        .filter(user=user, module__in=required)
        .values_list("module_id", flat=True)
    )
    return [module for module in required if module.pk not in current]


def training_expires_at(user) -> datetime | None:
    """When the user's current training first lapses (the earliest expiry among the
    required modules), or None when it is not current now or no module is required."""
    now = timezone.now()
    required = list(TrainingModule.objects.required().values_list("pk", flat=True))
    if not required or user is None or user.pk is None:
        return None
    latest = dict(
        Completion.objects.counting(now)
        .filter(user=user, module__in=required)
        .values_list("module_id")
        .annotate(until=Max("expires_at"))
    )
    if len(latest) < len(required):
        return None
    return min(latest.values())


# --- Status of one person in one module ---------------------------------------


class Status:
    CURRENT = "current"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    NEVER = "never"

    LABELS = {
        CURRENT: "Current",
        EXPIRING: "Expiring soon",
        LAPSED: "Lapsed",
        NEVER: "Never trained",
    }
    ORDER = [CURRENT, EXPIRING, LAPSED, NEVER]


@dataclass
class ModuleStatus:
    module: TrainingModule
    status: str
    completion: Completion | None  # the completion the status rests on, if any
    reason: str = ""

    @property
    def label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def is_current(self) -> bool:
        return self.status in (Status.CURRENT, Status.EXPIRING)


def module_status(module: TrainingModule, completions, at=None) -> ModuleStatus:
    """The status given one person's completions of `module` (any order, any outcome)."""
    at = at or timezone.now()
    passed = [c for c in completions if c.passed and c.completed_at <= at]
    counting = [c for c in passed if c.expires_at > at and c.version >= module.counts_from_version]
    if counting:
        best = max(counting, key=lambda c: c.expires_at)
        soon = best.expires_at - at <= EXPIRING_WITHIN
        return ModuleStatus(module, Status.EXPIRING if soon else Status.CURRENT, best)
    if passed:
        last = max(passed, key=lambda c: c.completed_at)
        if last.version < module.counts_from_version and last.expires_at > at:
            reason = f"Version {module.counts_from_version} requires re-training."
        else:
            reason = "Expired."
        return ModuleStatus(module, Status.LAPSED, last, reason)
    return ModuleStatus(module, Status.NEVER, None)


def statuses_for(user, modules=None, at=None) -> list[ModuleStatus]:
    """The person's status in each module (all modules in order by default)."""
    modules = list(modules if modules is not None else TrainingModule.objects.in_order())
    completions = list(
        Completion.objects.passed().filter(user=user, module__in=modules).order_by("completed_at")
    )
    return [
        module_status(module, [c for c in completions if c.module_id == module.pk], at)
        for module in modules
    ]
