import hashlib
import json

from django.db import models
from django.urls import reverse

GENESIS = "0" * 64


class ArchiveIsImmutable(Exception):
    """702.7: a public record is kept as it was captured; it is never changed or deleted here."""


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ArchiveRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ArchiveIsImmutable("Archive records cannot be updated.")

    def delete(self):
        raise ArchiveIsImmutable("Archive records cannot be deleted.")

    def for_post(self, post):
        return self.filter(post=post)


class ArchiveRecord(models.Model):
    """One captured public record (702.7), append-only and hash-chained.

    `canonical` holds the exact bytes that were hashed; `digest` is their
    SHA-256, and each record's canonical form includes the digest of the record
    before it, so that changing or removing any record breaks the chain.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", "Published version"
        CAPTURED_BEFORE_REMOVAL = "captured_before_removal", "Captured before removal (702.5)"
        REMOVED = "removed", "Removed from public view (702.5)"
        EMERGENCY_STOP = "emergency_stop", "Emergency stop"
        EMERGENCY_RESUME = "emergency_resume", "Emergency stop lifted"

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recorded_at = models.DateTimeField(editable=False)
    post = models.ForeignKey(
        "posting.Post", null=True, on_delete=models.PROTECT, related_name="archive_records"
    )
    publication = models.ForeignKey(
        "posting.Publication", null=True, on_delete=models.PROTECT, related_name="archive_records"
    )
    channel = models.ForeignKey(
        "posting.Channel", null=True, on_delete=models.PROTECT, related_name="archive_records"
    )
    payload = models.JSONField(editable=False)
    canonical = models.TextField(editable=False)
    previous_digest = models.CharField(max_length=64, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)

    objects = ArchiveRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"Record {self.sequence} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ArchiveIsImmutable("Archive records cannot be updated.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("retention:record", args=[self.sequence])

    def delete(self, *args, **kwargs):
        raise ArchiveIsImmutable("Archive records cannot be deleted.")

    @staticmethod
    def envelope(*, sequence, kind, recorded_at, payload, previous_digest) -> str:
        return canonical_json(
            {
                "sequence": sequence,
                "kind": kind,
                "recorded_at": recorded_at.isoformat(),
                "previous_digest": previous_digest,
                "payload": payload,
            }
        )

    def digest_matches(self) -> bool:
        return sha256_hex(self.canonical) == self.digest

    def content_matches(self) -> bool:
        """The queryable fields say what the hashed bytes say."""
        envelope = json.loads(self.canonical)
        return (
            envelope["sequence"] == self.sequence
            and envelope["kind"] == self.kind
            and envelope["previous_digest"] == self.previous_digest
            and envelope["payload"] == self.payload
        )


class ArchiveHead(models.Model):
    """A single row locked while a record is appended, so the chain never forks."""

    sequence = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"Archive head at {self.sequence}"
