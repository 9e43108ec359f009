import hashlib
import json

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
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
        DispositionBatch.approve() calls this.

        On PostgreSQL the app's role may not UPDATE archive rows at all (manage.py
        secure_database): the erasure goes through retention_erase_under_certificate(), a
        function owned by the tables' owner that checks the certificate the same way, and the
        append-only trigger checks it once more. Elsewhere, this model code is the guard."""
        listed = certificate.entries.filter(record_id=models.OuterRef("pk"))
        listed = listed.filter(digest=models.OuterRef("digest"))
        unlisted = self.filter(~models.Exists(listed))
        if certificate.pk is None or unlisted.exists() or self.destroyed().exists():
            raise ArchiveIsImmutable(
                "A record's content is destroyed only under a certificate that lists it."
            )
        if connection.vendor == "postgresql":
            ids = list(self.values_list("pk", flat=True))
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT retention_erase_under_certificate(%s, %s::bigint[])",
                    [certificate.pk, ids],
                )
                return cursor.fetchone()[0]
        return models.QuerySet.update(
            self, payload={}, canonical="", search_vector=None, certificate=certificate
        )

    def _lock_for_disposition(self) -> None:
        """Lock these rows until the disposition's transaction ends, oldest first like every
        writer of the chain, so that nothing picks them (a hold, a request's exemption) while
        they are destroyed. Through retention_lock_for_disposition(): the app's
        role has no UPDATE privilege on the archive, which SELECT ... FOR UPDATE requires."""
        if connection.vendor != "postgresql":
            return  # SQLite writes one transaction at a time
        ids = list(self.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("SELECT retention_lock_for_disposition(%s::bigint[])", [ids])


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
        DRAFT_SET_ASIDE = "draft_set_aside", "Draft returned, rejected or withdrawn (transitory)"
        CONTENT_REPORT = "content_report", "Report of content (702.5)"
        INVESTIGATION = "investigation", "Investigation of reported content (702.5)"
        ANNUAL_REVIEW = "annual_review", "Annual review of social media use (702.6)"
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
    def envelope(*, sequence, kind, recorded_at, payload, previous_digest, links=None) -> str:
        """The canonical form that is hashed. `links` (the post, publication and channel the
        record is filed under, by number) is part of it for records captured since it was
        added; older records' links are checked against their payload instead."""
        envelope = {
            "sequence": sequence,
            "kind": kind,
            "recorded_at": recorded_at.isoformat(),
            "previous_digest": previous_digest,
            "payload": payload,
        }
        if links is not None:
            envelope["links"] = links
        return canonical_json(envelope)

    @property
    def links(self) -> dict:
        return {
            "post": self.post_id,
            "publication": self.publication_id,
            "channel": self.channel_id,
        }

    @property
    def is_destroyed(self) -> bool:
        return self.certificate_id is not None

    def digest_matches(self) -> bool:
        return sha256_hex(self.canonical) == self.digest

    def content_matches(self) -> bool:
        """The queryable fields say what the hashed bytes say."""
        return not self.content_mismatch()

    def content_mismatch(self) -> str:
        """The first queryable field that differs from the hashed form, in words ("" if none).

        Search, holds and disposition read these columns, not the canonical text: the number,
        kind, link, time, payload, and the post, publication and channel the record is filed
        under must all be what was hashed."""
        envelope = json.loads(self.canonical)
        plain = [
            ("sequence", self.sequence, "number"),
            ("kind", self.kind, "kind"),
            ("previous_digest", self.previous_digest, "link to the record before it"),
            ("payload", self.payload, "payload"),
        ]
        for key, value, words in plain:
            if envelope.get(key) != value:
                return f"its {words} differs from its hashed form"
        if _moment(envelope.get("recorded_at")) != self.recorded_at:
            return "its recorded time differs from its hashed form"
        hashed_links = envelope.get("links")
        for name, value in self.links.items():
            if hashed_links is not None:
                if hashed_links.get(name) != value:
                    return f"its {name} differs from its hashed form"
            elif (named := _named_in(self.payload, name)) is not _UNNAMED and named != value:
                return f"its {name} differs from the one its payload names"
        return ""


_UNNAMED = object()


def _moment(text):
    import datetime

    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _named_in(payload, name: str):
    """The post, publication or channel a record captured before `links` names in its payload
    ({"post": {"id": 12, ...}}), or _UNNAMED when it names none."""
    section = payload.get(name) if isinstance(payload, dict) else None
    if isinstance(section, dict) and "id" in section:
        return section["id"]
    return _UNNAMED


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
