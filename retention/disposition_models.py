"""Disposition (702.7): records destroyed on schedule, only with the City Clerk's approval.

A beat job proposes a batch per series of the records that are due, not held and whose
series ends in destruction; the Clerk approves it; the records' content is erased, each row
stays as a tombstone, and a certificate of destruction is kept permanently (and captured in
the archive's chain itself). Imported at the end of retention/models.py.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role

from .models import ArchiveIsImmutable

__all__ = ["CertificateEntry", "DispositionBatch", "DispositionCertificate"]

DESTRUCTION_METHOD = (
    "Erased from the archive database: the record's content (its payload and the canonical "
    "text that was hashed) was overwritten with empty values. Its tombstone (number, kind, "
    "dates, SHA-256 digest and the link to the record before it) is kept, so the archive's "
    "hash chain still verifies."
)


def may_dispose(user) -> bool:
    """702.7: the City Clerk approves every destruction of public records."""
    return user.has_role(Role.CITY_CLERK)


def may_read_dispositions(user) -> bool:
    return user.has_role(Role.CITY_CLERK) or user.has_role(Role.MAYORS_OFFICE)


class DispositionBatchQuerySet(models.QuerySet):
    def proposed(self):
        return self.filter(status=DispositionBatch.Status.PROPOSED)


class DispositionBatch(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the City Clerk"
        APPROVED = "approved", "Approved: destroyed"
        DECLINED = "declined", "Declined"

    series = models.ForeignKey(
        "retention.RetentionSeries", on_delete=models.PROTECT, related_name="batches"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)
    records = models.ManyToManyField(
        "retention.ArchiveRecord", blank=True, related_name="disposition_batches"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Records left out at approval because a hold or request came since, or the series changed.
    left_out = models.JSONField(default=list, blank=True)

    objects = DispositionBatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # retention.disposition.propose_batches() adds to the one open batch of a series.
            models.UniqueConstraint(
                fields=["series"],
                condition=models.Q(status="proposed"),
                name="one_proposed_batch_per_series",
            )
        ]
        verbose_name_plural = "disposition batches"

    def __str__(self) -> str:
        return f"Disposition batch {self.pk} ({self.series.code})"

    def get_absolute_url(self) -> str:
        return reverse("retention:batch", args=[self.pk])

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    def _lock_proposed(self, by) -> "DispositionBatch":
        if not may_dispose(by):
            raise PermissionDenied("702.7: only the City Clerk decides on destroying records.")
        locked = type(self).objects.select_for_update().get(pk=self.pk)
        if not locked.is_proposed:
            raise ValidationError(
                f"This batch was already decided ({locked.get_status_display()})."
            )
        return locked

    def approve(self, *, by, note: str = "") -> "DispositionCertificate":
        """Destroy the records of this batch that may still be destroyed, under a certificate."""
        from .disposition import carry_out

        with transaction.atomic():
            locked = self._lock_proposed(by)
            certificate, left_out = carry_out(locked, by=by)
            self.status, self.decided_by, self.decided_at = self.Status.APPROVED, by, timezone.now()
            self.decision_note, self.left_out = note.strip(), left_out
            self.save(
                update_fields=["status", "decided_by", "decided_at", "decision_note", "left_out"]
            )
        return certificate

    def decline(self, *, by, note: str) -> None:
        """Nothing is destroyed. The records are proposed again on a later run unless a hold
        or a change of series keeps them: declining is "not now", not "never"."""
        if not note.strip():
            raise ValidationError({"note": "Say why the batch is declined."})
        with transaction.atomic():
            self._lock_proposed(by)
            self.status, self.decided_by, self.decided_at = self.Status.DECLINED, by, timezone.now()
            self.decision_note = note.strip()
            self.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ArchiveIsImmutable("A certificate of destruction is kept as issued.")

    def delete(self):
        raise ArchiveIsImmutable("A certificate of destruction is kept permanently.")


class DispositionCertificate(models.Model):
    """A certificate of destruction: the fields state disposition logs ask for, kept forever.

    The series' words are copied, not linked only, so that a later edit of the series
    never changes what was certified.
    """

    batch = models.OneToOneField(
        DispositionBatch, on_delete=models.PROTECT, related_name="certificate", editable=False
    )
    series = models.ForeignKey(
        "retention.RetentionSeries", on_delete=models.PROTECT, related_name="certificates"
    )
    series_code = models.CharField(max_length=40)
    series_title = models.CharField(max_length=200)
    authority = models.CharField(max_length=300)
    retention = models.CharField(max_length=300)
    method = models.TextField(default=DESTRUCTION_METHOD)
    record_count = models.PositiveIntegerField()
    earliest_recorded_at = models.DateTimeField()
    latest_recorded_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()

    objects = ImmutableQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"Certificate of destruction {self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ArchiveIsImmutable("A certificate of destruction is kept as issued.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("retention:certificate", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ArchiveIsImmutable("A certificate of destruction is kept permanently.")

    def archive_record(self):
        """The certificate as captured in the archive's hash chain."""
        from .models import ArchiveRecord

        return (
            ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.DISPOSITION)
            .filter(payload__certificate__number=self.pk)
            .first()
        )


class CertificateEntry(models.Model):
    """One destroyed record on its certificate, with the digest it had. Written once with the
    certificate and never changed, like the certificate itself (whose history is kept)."""

    certificate = models.ForeignKey(
        DispositionCertificate, on_delete=models.PROTECT, related_name="entries"
    )
    record = models.OneToOneField(
        "retention.ArchiveRecord", on_delete=models.PROTECT, related_name="certificate_entry"
    )
    sequence = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30)
    recorded_at = models.DateTimeField()
    clock_started_at = models.DateTimeField(null=True)
    disposition_due = models.DateTimeField(null=True)
    digest = models.CharField(max_length=64)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "certificate entries"

    def __str__(self) -> str:
        return f"Record {self.sequence} on certificate {self.certificate_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ArchiveIsImmutable("A certificate of destruction is kept as issued.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ArchiveIsImmutable("A certificate of destruction is kept permanently.")
