import hashlib
import json

from django.contrib.postgres.search import SearchVectorField
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

    def destroyed(self):
        """Tombstones: records whose content was destroyed under a certificate."""
        return self.filter(certificate__isnull=False)

    def kept(self):
        return self.filter(certificate__isnull=True)

    def blocked(self):
        """Records that may not be disposed of now: under a legal hold or any other blocker
        registered in retention.holds (an open public records request, for one)."""
        from .holds import blocked_filter

        return self.filter(blocked_filter())

    def unblocked(self):
        from .holds import blocked_filter

        return self.exclude(blocked_filter())

    def _erase_under(self, certificate) -> int:
        """702.7: the one change an archive row ever takes: its content erased under an
        approved certificate of destruction that lists it with the digest it has. Only
        DispositionBatch.approve() calls this; PostgreSQL's trigger checks the same."""
        listed = certificate.entries.filter(record_id=models.OuterRef("pk"))
        listed = listed.filter(digest=models.OuterRef("digest"))
        unlisted = self.filter(~models.Exists(listed))
        if certificate.pk is None or unlisted.exists() or self.destroyed().exists():
            raise ArchiveIsImmutable(
                "A record's content is destroyed only under a certificate that lists it."
            )
        return models.QuerySet.update(
            self, payload={}, canonical="", search_vector=None, certificate=certificate
        )


class ArchiveRecordManager(models.Manager.from_queryset(ArchiveRecordQuerySet)):
    def get_queryset(self):
        # The search vector is for the database's own matching; never worth loading.
        return super().get_queryset().defer("search_vector")


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
        EXPORTED = "exported", "Export of records (custody)"
        RECORDS_REQUEST = "records_request", "Public records request"
        PLATFORM_VERSION = "platform_version", "Fetched back from the platform"
        DISPOSITION = "disposition", "Certificate of destruction"
        INCIDENT_OPENED = "incident_opened", "Incident opened (702.4.1)"
        INCIDENT_UPDATE = "incident_update", "Incident update: source and verification (702.4.1)"
        INCIDENT_CLOSED = "incident_closed", "Incident closed, with its after-action timeline"
        POSTING_REQUEST = "posting_request", "Posting request (702.3)"
        CONTACT_MESSAGE = "contact_message", "Message from the public (702.5.1)"
        CONTACT_HANDLED = "contact_handled", "Message from the public: released, moved or answered"

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
    # The words of the payload for full-text search, filled by PostgreSQL itself on insert
    # (trigger of migration 0004) and GIN-indexed; unused (NULL) on SQLite. Derived from the
    # payload, never evidence: verify_chain() ignores it.
    search_vector = SearchVectorField(null=True, editable=False)
    # Set only when the record is destroyed on schedule: the payload and canonical text are
    # then blank, and this row stays as the tombstone that keeps the chain whole.
    certificate = models.ForeignKey(
        "retention.DispositionCertificate",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="destroyed_records",
    )

    objects = ArchiveRecordManager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            # retention.search.find_records: newest first, and date ranges, from one index.
            models.Index(fields=["recorded_at", "sequence"], name="retention_record_recorded"),
        ]

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

    @property
    def is_destroyed(self) -> bool:
        return self.certificate_id is not None

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


from .disposition_models import *  # noqa: E402, F403
from .hold_models import *  # noqa: E402, F403
from .schedule_models import *  # noqa: E402, F403
from .version_models import *  # noqa: E402, F403
