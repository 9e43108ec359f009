"""Proposing and carrying out disposition (702.7). Nothing is destroyed any other way."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .archive import append
from .models import (
    ArchiveRecord,
    CertificateEntry,
    DispositionBatch,
    DispositionCertificate,
    RetentionSeries,
)
from .schedules import eligible_records

# Records per batch: the Clerk reviews a batch at once and approval runs in one transaction.
# What is left is proposed in the next batch once this one is decided.
BATCH_LIMIT = 5000


def propose_batches(now=None) -> list[DispositionBatch]:
    """Beat: for every series that ends in destruction, put the records that are eligible and
    not yet proposed into that series' open batch (made when there is none)."""
    proposed = []
    for series in RetentionSeries.objects.active().filter(final_action="destroy"):
        batch = _propose_for(series, now)
        if batch is not None:
            proposed.append(batch)
    return proposed


def _propose_for(series, now) -> DispositionBatch | None:
    with transaction.atomic():
        batch = (
            DispositionBatch.objects.proposed().select_for_update().filter(series=series).first()
        )
        already = batch.records.count() if batch else 0
        room = BATCH_LIMIT - already
        if room <= 0:
            return None
        candidates = eligible_records(series, now).exclude(
            disposition_batches__status=DispositionBatch.Status.PROPOSED
        )
        picked = list(candidates.order_by("sequence").values_list("pk", flat=True)[:room])
        if not picked:
            return None
        if batch is None:
            try:
                with transaction.atomic():
                    batch = DispositionBatch.objects.create(series=series)
            except IntegrityError:  # another run made it a moment ago; it proposes these
                return None
        batch.records.add(*picked)
    return batch


def carry_out(batch: DispositionBatch, *, by) -> tuple[DispositionCertificate, list[dict]]:
    """Within the approving transaction: destroy what may still be destroyed, certify it.

    Records of the batch that a hold or request has covered since it was proposed, or that
    are no longer due (the series changed), are left out and listed on the batch.
    """
    now = timezone.now()
    series = batch.series
    eligible = eligible_records(series, now).filter(disposition_batches=batch)
    # Lock the batch's rows, then read again which of them may be destroyed: a hold placed
    # while the lock was awaited is seen.
    batch.records.all()._lock_for_disposition()
    destroying = list(eligible.select_related("retention").order_by("sequence"))
    if not destroying:
        raise_nothing_to_destroy(series)
    kept = batch.records.exclude(pk__in=[record.pk for record in destroying])
    left_out = [{"sequence": r.sequence, "why": _why_left_out(r)} for r in kept]
    # The certificate's dates are those of the records destroyed, read once above.
    span = {
        "first": min(record.recorded_at for record in destroying),
        "last": max(record.recorded_at for record in destroying),
    }
    certificate = DispositionCertificate.objects.create(
        batch=batch,
        series=series,
        series_code=series.code,
        series_title=series.title,
        authority=series.authority,
        retention=series.retention_label,
        record_count=len(destroying),
        earliest_recorded_at=span["first"],
        latest_recorded_at=span["last"],
        approved_by=by,
        approved_at=now,
    )
    CertificateEntry.objects.bulk_create(
        [_entry(certificate, record, series) for record in destroying], batch_size=1000
    )
    ArchiveRecord.objects.filter(pk__in=[r.pk for r in destroying])._erase_under(certificate)
    append(kind=ArchiveRecord.Kind.DISPOSITION, payload=certificate_payload(certificate))
    return certificate, left_out


def raise_nothing_to_destroy(series) -> None:
    from django.core.exceptions import ValidationError

    reason = (
        f"Series {series.code} no longer ends in destruction."
        if not series.destroys
        else "Every record of this batch is now held, in a records request, or not yet due."
    )
    raise ValidationError(f"Nothing in this batch may be destroyed now. {reason}")


def _why_left_out(record) -> str:
    from .holds import reasons_blocking

    if record.is_destroyed:
        return "already destroyed"
    reasons = reasons_blocking(record)
    return "; ".join(reasons) if reasons else "no longer due under its series"


def _entry(certificate, record, series) -> CertificateEntry:
    started = record.retention.clock_started_at
    return CertificateEntry(
        certificate=certificate,
        record=record,
        sequence=record.sequence,
        kind=record.kind,
        recorded_at=record.recorded_at,
        clock_started_at=started,
        disposition_due=series.due_at(started),
        digest=record.digest,
    )


def certificate_payload(certificate) -> dict:
    """The certificate as it is captured in the archive: everything a disposition log asks."""
    return {
        "certificate": {
            "number": certificate.pk,
            "series": {
                "code": certificate.series_code,
                "title": certificate.series_title,
                "authority": certificate.authority,
                "retention": certificate.retention,
            },
            "method": certificate.method,
            "record_count": certificate.record_count,
            "date_range": {
                "from": certificate.earliest_recorded_at.isoformat(),
                "to": certificate.latest_recorded_at.isoformat(),
            },
            "approved_by": {
                "id": certificate.approved_by_id,
                "username": certificate.approved_by.username,
                "name": str(certificate.approved_by),
            },
            "approved_at": certificate.approved_at.isoformat(),
            "records": [
                {"sequence": entry.sequence, "kind": entry.kind, "digest": entry.digest}
                for entry in certificate.entries.order_by("sequence")
            ],
        }
    }


CERTIFICATE_COLUMNS = [
    "certificate",
    "series_code",
    "series_title",
    "authority",
    "retention",
    "method",
    "approved_by",
    "approved_at",
    "record_sequence",
    "record_kind",
    "recorded_at",
    "clock_started_at",
    "disposition_due",
    "final_digest_sha256",
]


def certificate_rows(certificate):
    """One row per destroyed record, every row carrying the certificate's facts (for CSV)."""
    head = [
        certificate.pk,
        certificate.series_code,
        certificate.series_title,
        certificate.authority,
        certificate.retention,
        certificate.method,
        certificate.approved_by.get_full_name() or certificate.approved_by.username,
        certificate.approved_at.isoformat(),
    ]
    for entry in certificate.entries.order_by("sequence").iterator(chunk_size=2000):
        yield [
            *head,
            entry.sequence,
            entry.kind,
            entry.recorded_at.isoformat(),
            entry.clock_started_at.isoformat() if entry.clock_started_at else "",
            entry.disposition_due.isoformat() if entry.disposition_due else "",
            entry.digest,
        ]
