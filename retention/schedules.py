"""Filing records under their retention series and starting their clocks (702.7)."""

from django.db.models import DateTimeField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import ArchiveRecord, RecordRetention, RetentionSeries
from .schedule_defaults import choose_series
from .schedule_models import ClockEvent


def file_record(record: ArchiveRecord) -> RecordRetention:
    """At capture: the record's series, from its kind and its post's 702.4 category."""
    category = record.post.category if record.post_id else None
    series = choose_series(record.kind, category, RetentionSeries.objects.active())
    filed = RecordRetention.objects.create(
        record=record, series=series, clock_started_at=clock_start(record, series)
    )
    if record.kind == ArchiveRecord.Kind.REMOVED and record.publication_id:
        start_take_down_clocks(record.publication)
    return filed


def clock_start(record: ArchiveRecord, series):
    """When the series' event happened for this record, if it has."""
    if series is None:
        return None
    publication = record.publication if record.publication_id else None
    if series.clock_event == ClockEvent.CAPTURED:
        return record.recorded_at
    if series.clock_event == ClockEvent.PUBLISHED:
        return (publication.published_at if publication else None) or record.recorded_at
    if series.clock_event == ClockEvent.TAKEN_DOWN:
        return publication.removed_at if publication else None
    return None  # incident closed, request resolved: started by start_clocks() when it happens


def start_take_down_clocks(publication) -> int:
    """GS50-01-12: a post counts as provided until it is taken down; from then on, the clock
    of every record of it on that channel runs."""
    waiting = RecordRetention.objects.filter(
        record__publication=publication,
        series__clock_event=ClockEvent.TAKEN_DOWN,
        clock_started_at__isnull=True,
    )
    return start_clocks(waiting, publication.removed_at)


def start_clocks(retentions, at) -> int:
    """Start the clocks of these RecordRetention rows at `at` (one save each, for history).

    The hook for the other clock-start events: when an incident closes or a public records
    request is resolved, the code that closes it calls this with the rows of its records.
    """
    if at is None:
        return 0
    started = 0
    for retention in retentions.filter(clock_started_at__isnull=True):
        retention.clock_started_at = at
        retention.save(update_fields=["clock_started_at"])
        started += 1
    return started


def restart_clocks(series) -> int:
    """After the Clerk changes a series' clock-start event: each record's clock from its own
    event. One UPDATE per series, not one per record (a series may hold a million)."""
    rows = RecordRetention.objects.filter(series=series, record__certificate__isnull=True)
    record = ArchiveRecord.objects.filter(pk=OuterRef("record_id"))
    moment = DateTimeField()
    if series.clock_event == ClockEvent.CAPTURED:
        start = Subquery(record.values("recorded_at"))
    elif series.clock_event == ClockEvent.PUBLISHED:
        start = Subquery(
            record.values(
                at=Coalesce(F("publication__published_at"), F("recorded_at"), output_field=moment)
            )
        )
    elif series.clock_event == ClockEvent.TAKEN_DOWN:
        start = Subquery(record.values("publication__removed_at"))
    else:
        start = Value(None, output_field=moment)
    return rows.update(clock_started_at=start)


def due_records(series, now=None):
    """Records of the series whose retention period has passed (kept ones only)."""
    return ArchiveRecord.objects.kept().filter(
        retention__series=series, retention__clock_started_at__lte=series.cutoff(now)
    )


def eligible_records(series, now=None):
    """What may be destroyed now: due, in a series that ends in destruction, and not held by
    a legal hold or any other blocker (retention.holds)."""
    if not (series.is_active and series.destroys):
        return ArchiveRecord.objects.none()
    return due_records(series, now).unblocked()
