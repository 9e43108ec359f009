"""What keeps a record from being destroyed, whatever its schedule says (702.7).

The state's common schedule: records subject to ongoing or reasonably anticipated litigation,
or to an existing public records request (chapter 42.56 RCW), must not be destroyed. Each
such reason is a *blocker*: a named function returning the records it blocks now. Legal
holds are registered here; another app registers its own from its AppConfig.ready():

    from retention.holds import register_blocker

    register_blocker(
        "records_requests",
        records=lambda: ArchiveRecord.objects.filter(...),   # the records it blocks now
        reasons=lambda record: ["Public records request 12 (open)"],  # for one record
    )

`ArchiveRecord.objects.blocked()` / `.unblocked()` and `is_blocked(record)` then count it,
and disposition leaves those records alone.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Blocker:
    key: str
    records: Callable[[], QuerySet]
    reasons: Callable[[object], list[str]]


_blockers: dict[str, Blocker] = {}


def register_blocker(key: str, *, records, reasons) -> None:
    """Register (or replace, by key) a reason records may not be destroyed."""
    _blockers[key] = Blocker(key, records, reasons)


def blockers() -> list[Blocker]:
    return list(_blockers.values())


def blocked_filter() -> Q:
    """A filter on ArchiveRecord matching every record some blocker blocks now."""
    blocked = Q(pk__in=[])
    for blocker in _blockers.values():
        blocked |= Q(pk__in=blocker.records().values("pk"))
    return blocked


def is_blocked(record) -> bool:
    from .models import ArchiveRecord

    return ArchiveRecord.objects.blocked().filter(pk=record.pk).exists()


def reasons_blocking(record) -> list[str]:
    """Why this record may not be destroyed now, in the Clerk's words (empty: nothing)."""
    reasons = []
    for blocker in _blockers.values():
        reasons.extend(blocker.reasons(record))
    return reasons


# --- Legal holds ---------------------------------------------------------------------


def records_under_legal_hold():
    from .models import ArchiveRecord, LegalHold

    covering = Q(pk__in=[])
    for hold in LegalHold.objects.active():
        covering |= hold.covering_filter()
    return ArchiveRecord.objects.filter(covering)


def legal_holds_on(record) -> list[str]:
    from .models import LegalHold

    return [
        f"Legal hold: {hold.matter}"
        for hold in LegalHold.objects.active()
        if hold.covered_records().filter(pk=record.pk).exists()
    ]


def register_legal_holds() -> None:
    register_blocker("legal_holds", records=records_under_legal_hold, reasons=legal_holds_on)
