"""What disposition must leave alone because of a public records request (702.7).

An open request, like a legal hold, blocks disposition of every record it covers: a record
asked for may not be destroyed while the request is answered, even if its schedule says so.
"""

import functools
import operator

from django.db.models import Q

from retention.models import ArchiveRecord

from .models import RecordsRequest


def records_blocked_by_open_requests():
    """The archive records covered by any open request: a lazy queryset, one query when read."""
    open_requests = list(RecordsRequest.objects.open())
    if not open_requests:
        return ArchiveRecord.objects.none()
    covered = functools.reduce(
        operator.or_, (Q(pk__in=r.covered_records().values("pk")) for r in open_requests)
    )
    return ArchiveRecord.objects.filter(covered)


def open_requests_covering(record) -> list[str]:
    """Why disposition must leave `record` alone, in the Clerk's words (empty: no request)."""
    return [
        f"Public records request {request.reference} from {request.requester_name} "
        f"(open; response due {request.due_on:%b} {request.due_on.day}, {request.due_on.year})"
        + (
            "; it was logged without a scope, so it covers every record up to "
            f"record {request.covered_through}"
            if request.covers_everything
            else ""
        )
        for request in RecordsRequest.objects.open()
        if request.covered_records().filter(pk=record.pk).exists()
    ]
