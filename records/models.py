"""Public records requests and the City Clerk's exports (702.7).

702.7: the Mayor works with the City Clerk so that the public records of the city's social
media are retained. A request for public records is logged with the fields records laws ask
for (Washington RCW 40.14.026(4), RCW 42.56), answered within a number of business days
(RCW 42.56.520), and answered with exports: signed BagIt packages of archived records.
Every step leaves a custody entry (who exported, redacted, withheld, released what, when).
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from retention.models import ArchiveRecord

from .business_days import add_business_days, city_holidays


class CustodyIsPermanent(Exception):
    """702.7: the custody log is appended to, never changed."""


def require_clerk(user, what: str) -> None:
    if not (user.is_authenticated and user.has_role(Role.CITY_CLERK)):
        raise PermissionDenied(f"702.7: only the City Clerk may {what}.")


def may_read_requests(user) -> bool:
    """The Clerk keeps the log; the Mayor's office, which answers to the public, may read it."""
    return user.is_authenticated and (
        user.has_role(Role.CITY_CLERK) or user.has_role(Role.MAYORS_OFFICE)
    )


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": str(user)}


# --- Exports -------------------------------------------------------------------------


class ExportJobQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("requester", "records_request").order_by("-created_at")


class ExportJob(models.Model):
    """One export of archived records, requested by the City Clerk and built by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Exporting"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_exports"
    )
    # The search filters, as retention.search.search_arguments() saves them.
    query = models.JSONField(default=dict, blank=True)
    records_request = models.ForeignKey(
        "RecordsRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exports",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    records_total = models.PositiveIntegerField(default=0)
    records_done = models.PositiveIntegerField(default=0)
    records_destroyed = models.PositiveIntegerField(default=0)
    records_withheld = models.PositiveIntegerField(default=0)
    records_redacted = models.PositiveIntegerField(default=0)
    media_files = models.PositiveIntegerField(default=0)
    media_missing = models.PositiveIntegerField(default=0)
    bag_name = models.CharField(max_length=120, blank=True)
    file_path = models.CharField(
        max_length=500, blank=True, help_text="The zipped bag, under RECORDS_EXPORT_DIR."
    )
    file_size = models.PositiveBigIntegerField(default=0)
    tag_manifest_sha256 = models.CharField(max_length=64, blank=True)
    chain_head_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    chain_head_digest = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_record = models.OneToOneField(
        ArchiveRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="export_job"
    )

    objects = ExportJobQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(records_done__lte=models.F("records_total")) | Q(records_total=0),
                name="records_export_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("records:export", args=[self.pk])

    @classmethod
    def request(cls, *, by, query: dict, records_request=None) -> "ExportJob":
        """702.7: the Clerk asks for an export; a worker builds it after this transaction commits."""
        from .tasks import enqueue_export

        require_clerk(by, "export public records")
        if records_request is not None and not records_request.is_open:
            raise ValidationError(
                f"{records_request.reference} is closed: its exports are final. Log a new "
                "request to export more records."
            )
        check_query(query)
        job = cls.objects.create(requester=by, query=query, records_request=records_request)
        transaction.on_commit(lambda: enqueue_export(job.pk), robust=True)
        return job

    # --- Progress, for the worker ------------------------------------------
    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.records_total:
            return 0
        return min(100, self.records_done * 100 // self.records_total)

    def claim(self, stale_before) -> bool:
        """Take the job for this worker: a queued job, or a running one whose worker went quiet.

        An atomic update with a row count, so two workers never build the same export.
        """
        claimable = Q(status=self.Status.QUEUED) | Q(
            status=self.Status.RUNNING, heartbeat_at__lt=stale_before
        )
        now = timezone.now()
        taken = (
            ExportJob.objects.filter(claimable, pk=self.pk).update(
                status=self.Status.RUNNING, started_at=now, heartbeat_at=now, records_done=0
            )
            == 1
        )
        if taken:
            self.refresh_from_db()
        return taken

    def report_progress(self, done: int, total: int) -> None:
        # update(), not save(): progress is not a change worth a history row.
        ExportJob.objects.filter(pk=self.pk).update(
            records_done=done, records_total=total, heartbeat_at=timezone.now()
        )

    def finish(self, result, *, zip_path: Path) -> None:
        self.status = self.Status.DONE
        self.records_total = self.records_done = result.records
        self.records_destroyed = result.destroyed
        self.records_withheld = result.withheld
        self.records_redacted = result.redacted
        self.media_files = result.media_files
        self.media_missing = result.media_missing
        self.bag_name = result.bag_name
        self.file_path = str(zip_path.relative_to(settings.RECORDS_EXPORT_DIR))
        self.file_size = zip_path.stat().st_size
        self.tag_manifest_sha256 = result.tag_manifest_sha256
        self.chain_head_sequence, self.chain_head_digest = result.chain_head
        self.archive_record = result.archive_record
        self.finished_at = timezone.now()
        self.error = ""
        self.save()

    def fail(self, error: str) -> None:
        self.status, self.error, self.finished_at = self.Status.FAILED, error, timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])

    # --- The download -----------------------------------------------------
    @property
    def zip_path(self) -> Path | None:
        if not self.file_path:
            return None
        return Path(settings.RECORDS_EXPORT_DIR) / self.file_path

    def download(self, *, by) -> Path:
        """702.7: only the Clerk takes the package away, and the custody log says who and when."""
        require_clerk(by, "download an export of public records")
        path = self.zip_path
        if self.status != self.Status.DONE or path is None or not path.is_file():
            raise ValidationError("This export is not ready to download.")
        CustodyEntry.objects.create(
            actor=by,
            action=CustodyEntry.Action.DOWNLOADED,
            export=self,
            records_request=self.records_request,
            detail=f"Downloaded {self.bag_name}.zip ({self.records_total} records).",
        )
        return path

    def query_summary(self) -> str:
        return describe_query(self.query)


def check_query(query: dict) -> None:
    """A saved search must be one find_records understands, or nothing is saved."""
    from retention.search import find_saved

    unknown = set(query) - set(QUERY_LABELS)
    if unknown:
        raise ValidationError(f"Unknown filters: {', '.join(sorted(unknown))}.")
    try:
        find_saved(query)
    except (TypeError, ValueError) as error:
        raise ValidationError(f"These filters cannot be used: {error}") from None


QUERY_LABELS = {
    "words": "words",
    "date_from": "from",
    "date_to": "to",
    "channel": "channel",
    "category": "category",
    "author": "author",
    "incident": "incident",
    "kind": "kind",
}


def describe_query(query: dict) -> str:
    """The filters in words, for pages, e-mail and the custody log."""
    parts = [
        f"{QUERY_LABELS.get(name, name)} {_query_value(name, value)}"
        for name, value in query.items()
        if value
    ]
    return "; ".join(parts) if parts else "every record"


def _query_value(name: str, value) -> str:
    """Incidents are saved by number; the summary names them too."""
    if name == "incident":
        from posting.models import Incident

        incident = Incident.objects.filter(pk=value).first()
        return f"{value} ({incident.title})" if incident else str(value)
    return str(value)


# --- Public records requests -----------------------------------------------------


class RecordsRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RecordsRequest.Status.OPEN)

    def due_for_reminder(self, today: date, business_days: int):
        """Open requests due within `business_days` business days (or overdue), not yet reminded."""
        horizon = add_business_days(today, business_days, city_holidays())
        return self.open().filter(reminder_sent_at__isnull=True, due_on__lte=horizon)


class RecordsRequest(models.Model):
    """A request for public records, logged as Washington RCW 40.14.026(4) and RCW 42.56 ask."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Disposition(models.TextChoices):
        PRODUCED = "produced", "Records produced in full"
        PRODUCED_IN_PART = "produced_in_part", "Records produced in part (redacted or withheld)"
        WITHHELD = "withheld", "All responsive records withheld as exempt"
        NO_RECORDS = "no_records", "No responsive records"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"
        ABANDONED = "abandoned", "Abandoned: the requester did not clarify or collect"

    requester_name = models.CharField(max_length=200)
    requester_contact = models.TextField(help_text="E-mail, telephone or postal address.")
    received_on = models.DateField(help_text="The date the city received the request.")
    text = models.TextField(help_text="The request as received.")
    # The records it covers: search filters (retention.search.search_arguments()) over the
    # archive as it stood when the request was logged.
    scope = models.JSONField(default=dict, blank=True)
    covered_through = models.PositiveBigIntegerField(default=0)
    business_days = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    final_disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Final disposition date.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = RecordsRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            # send_request_reminders and records_blocked_by_open_requests read the open ones.
            models.Index(
                fields=["due_on"], condition=Q(status="open"), name="records_request_open_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False, final_disposition__gt=""),
                name="records_request_closed_has_disposition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.requester_name}"

    def get_absolute_url(self) -> str:
        return reverse("records:request", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"PRR-{self.received_on:%Y}-{self.pk:04d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def records_produced(self) -> int:
        """Records released to the requester: those of its released exports, less the withheld
        ones and those destroyed on schedule before the request (tombstones only)."""
        totals = self.exports.filter(released_at__isnull=False).aggregate(
            records=Sum("records_total"),
            withheld=Sum("records_withheld"),
            destroyed=Sum("records_destroyed"),
        )
        return (totals["records"] or 0) - (totals["withheld"] or 0) - (totals["destroyed"] or 0)

    # --- Logging and closing ------------------------------------------------------
    @classmethod
    @transaction.atomic
    def log(
        cls, *, by, requester_name: str, requester_contact: str, received_on: date, text: str, scope
    ) -> "RecordsRequest":
        """702.7: a request is logged with its statutory due date; it is archived at once."""
        from retention.models import ArchiveHead

        require_clerk(by, "log a public records request")
        if received_on > timezone.localdate():
            raise ValidationError("The date received cannot be in the future.")
        check_query(scope)
        if _empty_scope(scope):
            raise ValidationError(
                "702.7: say which records the request covers: give at least one search term "
                "(words, dates, channel, category, author, incident or kind). An open request "
                "keeps every record it covers from disposition, so a request without a scope "
                "would hold the whole archive. For every record, give the date range asked for."
            )
        business_days = settings.RECORDS_REQUEST_BUSINESS_DAYS
        head = ArchiveHead.objects.filter(pk=1).first()
        request = cls.objects.create(
            requester_name=requester_name.strip(),
            requester_contact=requester_contact.strip(),
            received_on=received_on,
            text=text.strip(),
            scope=scope,
            covered_through=head.sequence if head else 0,
            business_days=business_days,
            due_on=add_business_days(received_on, business_days, city_holidays()),
            logged_by=by,
        )
        request._custody(by, CustodyEntry.Action.LOGGED, f"Logged; response due {request.due_on}.")
        request._archive(event="logged")
        return request

    @transaction.atomic
    def close(self, *, by, disposition: str, note: str = "", closed_on: date | None = None):
        """The final disposition (RCW 40.14.026(4)); the request is archived again, complete."""
        require_clerk(by, "close a public records request")
        locked = RecordsRequest.objects.select_for_update().get(pk=self.pk)
        if not locked.is_open:
            raise ValidationError(f"{self.reference} is already closed.")
        if disposition not in self.Disposition.values:
            raise ValidationError("Choose the request's final disposition.")
        closed_on = closed_on or timezone.localdate()
        if closed_on < self.received_on or closed_on > timezone.localdate():
            raise ValidationError(
                "The final disposition date must be between the date received and today."
            )
        self.status, self.final_disposition = self.Status.CLOSED, disposition
        self.disposition_note, self.closed_on = note.strip(), closed_on
        self.closed_at, self.closed_by = timezone.now(), by
        self.save()
        self._custody(
            by, CustodyEntry.Action.CLOSED, f"Closed: {self.get_final_disposition_display()}."
        )
        self._archive(event="closed")
        self._start_retention_clocks()

    def _start_retention_clocks(self) -> None:
        """A retention series may count from a request's resolution: the request's own
        records (and its exports') start that clock now that it is closed."""
        from retention.models import RecordRetention
        from retention.schedules import start_clocks

        own = Q(record__kind="records_request", record__payload__records_request__id=self.pk)
        own |= Q(record__kind="exported", record__payload__export__records_request__id=self.pk)
        start_clocks(RecordRetention.objects.filter(own), self.closed_at)

    # --- Answering -----------------------------------------------------------------
    def export(self, *, by) -> ExportJob:
        """An export of the records this request covers, with its redactions and withholdings."""
        return ExportJob.request(by=by, query=self.scope, records_request=self)

    @transaction.atomic
    def release(self, *, by, export: ExportJob) -> None:
        """The export was given to the requester: those are the records produced."""
        require_clerk(by, "release records to a requester")
        self._require_open()
        export = ExportJob.objects.select_for_update().get(pk=export.pk)
        if export.records_request_id != self.pk or export.status != ExportJob.Status.DONE:
            raise ValidationError("Only a finished export of this request can be released.")
        if export.released_at is not None:
            raise ValidationError(f"Export {export.pk} was already released.")
        export.released_at, export.released_by = timezone.now(), by
        export.save(update_fields=["released_at", "released_by"])
        produced = export.records_total - export.records_withheld - export.records_destroyed
        self._custody(
            by,
            CustodyEntry.Action.RELEASED,
            f"Released export {export.pk} ({export.bag_name}) to {self.requester_name}: "
            f"{produced} records produced, {export.records_redacted} redacted, "
            f"{export.records_withheld} withheld.",
            export=export,
        )

    @transaction.atomic
    def exempt(
        self,
        *,
        by,
        record: ArchiveRecord,
        action: str,
        exemption: str,
        explanation: str,
        passages: str = "",
    ) -> "Exemption":
        """A record redacted or withheld, with the exemption and how it applies (RCW 42.56.210(3))."""
        require_clerk(by, "redact or withhold a record")
        self._require_open()
        if not self.covered_records().filter(pk=record.pk).exists():
            raise ValidationError(
                f"Record {record.sequence} is not among the records {self.reference} covers."
            )
        if self.exemptions.filter(record=record).exists():
            raise ValidationError(
                f"Record {record.sequence} already has a redaction or withholding in this request."
            )
        entry = Exemption(
            records_request=self,
            record=record,
            action=action,
            exemption=exemption.strip(),
            explanation=explanation.strip(),
            passages=passages.strip() if action == Exemption.Action.REDACTED else "",
            by=by,
        )
        entry.full_clean()
        entry.save()
        verb = CustodyEntry.Action.REDACTED if entry.is_redaction else CustodyEntry.Action.WITHHELD
        self._custody(
            by,
            verb,
            f"Record {record.sequence} {entry.get_action_display().lower()} under "
            f"{entry.exemption}: {entry.explanation}",
        )
        return entry

    def covered_records(self):
        """The records this request covers, as a legal hold covers them: those its scope selects
        in the archive as it stood when the request was logged (later records are not
        responsive), every record of each post among them (a post's versions, its take-down
        and what the platform showed are one file), and every record it redacts or withholds.

        A request logged before a scope was required may have none: it covers the whole
        archive, and says so (covers_everything)."""
        from retention.search import find_saved

        in_scope = find_saved(self.scope).filter(sequence__lte=self.covered_through)
        return ArchiveRecord.objects.filter(
            Q(pk__in=in_scope.values("pk"))
            | Q(post_id__in=in_scope.filter(post__isnull=False).values("post_id"))
            | Q(pk__in=self.exemptions.values("record_id"))
        )

    @property
    def covers_everything(self) -> bool:
        """Logged without a scope (before one was required): every record up to covered_through."""
        return _empty_scope(self.scope)

    def _require_open(self) -> None:
        if not self.is_open:
            raise ValidationError(f"{self.reference} is closed.")

    def _custody(self, by, action: str, detail: str, export=None) -> None:
        CustodyEntry.objects.create(
            actor=by, action=action, records_request=self, export=export, detail=detail
        )

    def _archive(self, *, event: str) -> None:
        from retention.archive import append

        append(kind="records_request", payload={"records_request": self.archive_payload(event)})

    def archive_payload(self, event: str) -> dict:
        """The request as a public record. Redacted passages stay out: they are the exempt text."""
        exports = self.exports.order_by("pk")
        exemptions = self.exemptions.select_related("record", "by").order_by("pk")
        return {
            "id": self.pk,
            "reference": self.reference,
            "event": event,
            "requester": {"name": self.requester_name, "contact": self.requester_contact},
            "received_on": self.received_on.isoformat(),
            "text": self.text,
            "scope": self.scope,
            "covered_through": self.covered_through,
            "business_days": self.business_days,
            "due_on": self.due_on.isoformat(),
            "status": self.status,
            "final_disposition": self.final_disposition,
            "final_disposition_label": self.get_final_disposition_display(),
            "disposition_note": self.disposition_note,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "logged_by": person(self.logged_by),
            "logged_at": self.logged_at.isoformat(),
            "closed_by": person(self.closed_by),
            "records_produced": self.records_produced,
            "exports": [
                {
                    "id": e.pk,
                    "query": e.query,
                    "status": e.status,
                    "records": e.records_total,
                    "tag_manifest_sha256": e.tag_manifest_sha256,
                    "released_at": e.released_at.isoformat() if e.released_at else None,
                }
                for e in exports
            ],
            "exemptions": [
                {
                    "record": x.record.sequence,
                    "record_digest": x.record.digest,
                    "action": x.action,
                    "exemption": x.exemption,
                    "explanation": x.explanation,
                    "by": person(x.by),
                    "at": x.at.isoformat(),
                }
                for x in exemptions
            ],
        }


def _empty_scope(scope: dict) -> bool:
    return not any(value not in (None, "", []) for value in scope.values())


class Exemption(models.Model):
    """One record of a request redacted or withheld, with the statute that exempts it and a brief
    explanation of how it applies (RCW 42.56.210(3))."""

    class Action(models.TextChoices):
        REDACTED = "redacted", "Redacted"
        WITHHELD = "withheld", "Withheld in full"

    records_request = models.ForeignKey(
        RecordsRequest, on_delete=models.PROTECT, related_name="exemptions"
    )
    record = models.ForeignKey(ArchiveRecord, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    exemption = models.CharField(
        max_length=200, help_text="The statute that exempts it, e.g. RCW 42.56.250(4)."
    )
    explanation = models.TextField(help_text="How the exemption applies to this record.")
    passages = models.TextField(
        blank=True, help_text="Redactions: the exact passages to black out, one per line."
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["record__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["records_request", "record"], name="records_one_exemption_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"Record {self.record.sequence} {self.get_action_display().lower()}"

    @property
    def is_redaction(self) -> bool:
        return self.action == self.Action.REDACTED

    def passage_list(self) -> list[str]:
        return [line.strip() for line in self.passages.splitlines() if line.strip()]

    def clean(self):
        if not self.exemption.strip():
            raise ValidationError({"exemption": "Name the statute that exempts the record."})
        if not self.explanation.strip():
            raise ValidationError({"explanation": "Explain briefly how the exemption applies."})
        if self.is_redaction:
            self._check_passages()

    def _check_passages(self) -> None:
        passages = self.passage_list()
        if not passages:
            raise ValidationError({"passages": "Give the passages to redact, one per line."})
        text = self.record.canonical
        values = "\n".join(_strings_in(json.loads(text).get("payload"))) if text else ""
        missing = [p for p in passages if p not in values]
        if missing:
            raise ValidationError(
                {"passages": f"Not found in record {self.record.sequence}: " + "; ".join(missing)}
            )


def _strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


# --- The custody log ---------------------------------------------------------------


class CustodyEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CustodyIsPermanent("Custody entries cannot be changed.")

    def delete(self):
        raise CustodyIsPermanent("Custody entries cannot be deleted.")


class CustodyEntry(models.Model):
    """Who exported, downloaded, redacted, withheld or released what, when. Append-only."""

    class Action(models.TextChoices):
        LOGGED = "logged", "Request logged"
        EXPORTED = "exported", "Exported"
        DOWNLOADED = "downloaded", "Downloaded"
        REDACTED = "redacted", "Redacted"
        WITHHELD = "withheld", "Withheld"
        RELEASED = "released", "Released to the requester"
        CLOSED = "closed", "Request closed"

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(
        max_length=200, blank=True, help_text="Who acted, when not a person with an account."
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    records_request = models.ForeignKey(
        RecordsRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="custody"
    )
    export = models.ForeignKey(
        ExportJob, null=True, blank=True, on_delete=models.PROTECT, related_name="custody"
    )
    detail = models.TextField()

    objects = CustodyEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "custody entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.who} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CustodyIsPermanent("Custody entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CustodyIsPermanent("Custody entries cannot be deleted.")

    @property
    def who(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label or "CitySocial"
