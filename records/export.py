"""The City Clerk's export (702.7): archived records as a signed BagIt package.

The package holds every selected record in the exact bytes that were hashed (so each file's
SHA-256 in the bag's manifest is the record's digest in the archive), a CSV index, a readable
rendering of what the public saw, media in original bytes, and a custody log; bag-info.txt
says who asked, for what, when, from which version of the software and at which head of the
archive's chain; the tag manifest is signed with the city's Ed25519 key.

Records are read a chunk at a time and written as they come: nothing is held for the whole
export, so memory stays flat however many records are selected.
"""

import csv
import functools
import getpass
import importlib.metadata
import json
import re
import shutil
import tomllib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import get_template
from django.utils import timezone

from retention.archive import append
from retention.models import ArchiveHead, ArchiveRecord, DispositionCertificate, canonical_json
from retention.search import find_saved

from . import signing
from .bag import SIGNATURE, TAG_MANIFEST, BagWriter
from .models import CustodyEntry, Exemption, describe_query, person

CHUNK_SIZE = 500
INDEX_COLUMNS = [
    "sequence",
    "kind",
    "recorded_at",
    "channel",
    "category",
    "author",
    "post_title",
    "digest",
    "status",
    "file",
    "html",
    "media_files",
]
CUSTODY_COLUMNS = ["at", "who", "action", "records_request", "export", "detail"]
MEDIA_COLUMNS = ["sequence", "name", "outcome", "sha256", "file", "alt_text"]
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Exporter:
    """Who asks for the export: a person with an account, or whoever runs the command."""

    name: str
    username: str
    email: str = ""
    user: object = None

    @classmethod
    def of(cls, user) -> "Exporter":
        return cls(str(user), user.username, user.email, user)

    @classmethod
    def command_line(cls) -> "Exporter":
        account = getpass.getuser()
        return cls(f"{account} (command line)", account)

    def as_record(self) -> dict:
        if self.user is not None:
            return person(self.user)
        return {"id": None, "username": self.username, "name": self.name}


@dataclass
class ExportResult:
    bag_path: Path
    bag_name: str
    records: int
    exported: int
    destroyed: int
    withheld: int
    redacted: int
    media_files: int
    media_missing: int
    tag_manifest_sha256: str
    chain_head: tuple[int, str]
    archive_record: ArchiveRecord | None = None


@functools.cache
def system_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return importlib.metadata.version("citysocial")


def selected_records(query: dict, through: int):
    """The records the query selects, oldest first, as the archive stood at record `through`."""
    return (
        find_saved(query)
        .filter(sequence__lte=through)
        .select_related("post__author", "channel")
        .defer("payload")  # the canonical text holds it, and it is what was hashed
        .order_by("sequence")
    )


def export_records(
    *,
    query: dict,
    out_dir: Path,
    exporter: Exporter,
    records_request=None,
    job=None,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ExportResult:
    """Write the bag for `query` under `out_dir`, archive the export, log its custody."""
    head = ArchiveHead.objects.filter(pk=1).first()
    chain_head = (head.sequence, head.digest) if head else (0, "0" * 64)
    started_at = timezone.now()
    bag_path = _new_bag_path(out_dir, started_at, job)
    try:
        writer = BagWriter(bag_path)
        # A request covers the records that existed when it was received and logged.
        through = records_request.covered_through if records_request else chain_head[0]
        records = selected_records(query, min(through, chain_head[0]))
        payload = _write_payload(writer, records, records_request, progress, chunk_size)
        _write_custody_log(writer, exporter, query, records_request, job, payload, chain_head)
        key = signing.city_signing_key()
        bag_info = _bag_info(exporter, query, records_request, job, payload, chain_head, key)
        tag_digest = writer.finish(bag_info, signing.public_key_pem(key), key)
    except BaseException:
        shutil.rmtree(bag_path, ignore_errors=True)
        raise
    result = ExportResult(
        bag_path=bag_path,
        bag_name=bag_path.name,
        records=payload.records,
        exported=payload.exported,
        destroyed=payload.destroyed,
        withheld=payload.withheld,
        redacted=payload.redacted,
        media_files=payload.media_files,
        media_missing=payload.media_missing,
        tag_manifest_sha256=tag_digest,
        chain_head=chain_head,
    )
    result.archive_record = _archive_export(
        result, exporter, query, records_request, job, started_at, signing.fingerprint(key)
    )
    _log_custody(result, exporter, query, records_request, job)
    return result


def _write_payload(writer, records, records_request, progress, chunk_size) -> "_Payload":
    total = records.count()
    if progress:
        progress(0, total)
    with _Payload(writer, records_request) as payload:
        for done, record in enumerate(records.iterator(chunk_size=chunk_size), start=1):
            payload.add(record)
            if progress and (done % chunk_size == 0 or done == total):
                progress(done, total)
    return payload


def _log_custody(result, exporter, query, records_request, job) -> None:
    CustodyEntry.objects.create(
        actor=exporter.user,
        actor_label="" if exporter.user else exporter.name,
        action=CustodyEntry.Action.EXPORTED,
        records_request=records_request,
        export=job,
        detail=(
            f"Exported {result.records} records ({describe_query(query)}) as {result.bag_name}; "
            f"tag manifest SHA-256 {result.tag_manifest_sha256}; archive record "
            f"{result.archive_record.sequence}."
        ),
    )


def _new_bag_path(out_dir: Path, moment, job) -> Path:
    stamp = timezone.localtime(moment).strftime("%Y%m%dT%H%M%S")
    name = f"records-export-{stamp}" + (f"-{job.pk}" if job is not None else "")
    path, attempt = out_dir / name, 1
    while path.exists():
        attempt += 1
        path = out_dir / f"{name}-{attempt}"
    return path


# --- The payload, record by record --------------------------------------------------


class _Payload:
    """The payload under data/, one record at a time; index.csv and media.csv stay open and
    grow row by row while it is written."""

    def __init__(self, writer: BagWriter, records_request):
        self.writer = writer
        self.template = get_template("records/bag_record.html")
        self.exemptions = _exemptions_of(records_request)
        self.records = self.exported = self.destroyed = self.withheld = self.redacted = 0
        self.media_files = self.media_missing = 0
        self._files = ExitStack()
        self._certificates: dict[int, dict] = {}

    def __enter__(self) -> "_Payload":
        self._index = csv.writer(self._files.enter_context(self.writer.open("index.csv", True)))
        self._index.writerow(INDEX_COLUMNS)
        self._media = csv.writer(self._files.enter_context(self.writer.open("media.csv", True)))
        self._media.writerow(MEDIA_COLUMNS)
        return self

    def __exit__(self, *exc_info):
        return self._files.__exit__(*exc_info)

    def add(self, record: ArchiveRecord) -> None:
        self.records += 1
        tombstone = self._tombstone_of(record)
        exemption = self.exemptions.get(record.pk)
        if tombstone is not None:
            self.destroyed += 1
            self._add_tombstone(record, tombstone)
        elif exemption is not None and not exemption.is_redaction:
            self.withheld += 1
            self._add_withheld(record, exemption)
        elif exemption is not None:
            self.redacted += 1
            self._add_redacted(record, exemption)
        else:
            self.exported += 1
            self._add_record(record)

    def _add_record(self, record: ArchiveRecord) -> None:
        name = f"records/{record.sequence}.json"
        # The stored bytes, exactly as hashed: the manifest's SHA-256 is the record's digest.
        self.writer.write(name, record.canonical.encode("utf-8"))
        payload = json.loads(record.canonical)["payload"]
        media = self._add_media(record, payload)
        html = self._render(record, payload, status="record", file=name, media=media)
        self._index_row(record, payload, "record", name, html, len(media))

    def _tombstone_of(self, record: ArchiveRecord) -> dict | None:
        """What disposition left of a destroyed record: its place in the chain, its digest and
        the certificate it was destroyed under."""
        if record.canonical and not record.is_destroyed:
            return None
        tombstone = {
            "sequence": record.sequence,
            "kind": record.kind,
            "recorded_at": record.recorded_at.isoformat(),
            "previous_digest": record.previous_digest,
            "digest": record.digest,
            "destroyed": True,
        }
        if record.certificate_id:
            tombstone["certificate"] = self._certificate(record.certificate_id)
        return tombstone

    def _certificate(self, number: int) -> dict:
        # A few certificates cover thousands of tombstones: each is read once.
        if number not in self._certificates:
            certificate = DispositionCertificate.objects.select_related("approved_by").get(
                pk=number
            )
            self._certificates[number] = {
                "number": certificate.pk,
                "series": f"{certificate.series_code} {certificate.series_title}",
                "authority": certificate.authority,
                "retention": certificate.retention,
                "method": certificate.method,
                "approved_by": str(certificate.approved_by),
                "approved_at": certificate.approved_at.isoformat(),
            }
        return self._certificates[number]

    def _add_tombstone(self, record: ArchiveRecord, tombstone: dict) -> None:
        name = f"tombstones/{record.sequence}.json"
        self.writer.write(name, _json_bytes(tombstone))
        certificate = tombstone.get("certificate")
        notice = (
            "This record was destroyed on schedule; only its tombstone remains, with the "
            "digest it had (702.7)."
        )
        if certificate:
            notice += (
                f" Certificate of destruction {certificate['number']}, series "
                f"{certificate['series']}, approved by {certificate['approved_by']} on "
                f"{certificate['approved_at'][:10]} under {certificate['authority']}."
            )
        html = self._render(record, {}, status="destroyed", file=name, notice=notice)
        self._index_row(record, {}, "destroyed", name, html, 0)

    def _add_withheld(self, record: ArchiveRecord, exemption: Exemption) -> None:
        name = f"withheld/{record.sequence}.json"
        self.writer.write(name, _json_bytes(_withholding(record, exemption)))
        notice = f"Withheld in full under {exemption.exemption}: {exemption.explanation}"
        html = self._render(record, {}, status="withheld", file=name, notice=notice)
        self._index_row(record, {}, "withheld", name, html, 0)

    def _add_redacted(self, record: ArchiveRecord, exemption: Exemption) -> None:
        name = f"redacted/{record.sequence}.json"
        payload = json.loads(record.canonical)["payload"]
        mark = f"[REDACTED: {exemption.exemption}]"
        redacted = _redact(payload, exemption.passage_list(), mark)
        self.writer.write(
            name, _json_bytes({**_withholding(record, exemption), "payload": redacted})
        )
        notice = (
            f"Redacted under {exemption.exemption}: {exemption.explanation} The original's "
            "digest is given; the redacted copy cannot match it."
        )
        html = self._render(record, redacted, status="redacted", file=name, notice=notice)
        self._index_row(record, redacted, "redacted", name, html, 0)

    def _render(self, record, payload: dict, *, status, file, notice="", media=()) -> str:
        name = f"html/{record.sequence}.html"
        post = payload.get("post") or {}
        channel = payload.get("channel") or {}
        publication = payload.get("publication") or {}
        copy = payload.get("platform_copy")
        context = {
            "city": settings.CITY_NAME,
            "sequence": record.sequence,
            "heading": post.get("title") or record.get_kind_display(),
            "kind_label": record.get_kind_display(),
            "recorded_at": timezone.localtime(record.recorded_at),
            "digest": record.digest,
            "file": file,
            "status": status,
            "notice": notice,
            "channel": channel.get("name") or (record.channel.name if record.channel else ""),
            "category": post.get("category_label") or post.get("category", ""),
            "author": (post.get("author") or {}).get("name", ""),
            "published_at": publication.get("published_at", ""),
            "remote_url": publication.get("remote_url", ""),
            "title": post.get("title", ""),
            "body": post.get("body", ""),
            "platform_copy": _readable(copy) if copy else "",
            "take_down": payload.get("take_down"),
            "approvals": payload.get("approvals") or [],
            "media": media,
            "pretty": json.dumps(payload, indent=2, ensure_ascii=False) if payload else "",
        }
        self.writer.write(name, self.template.render(context).encode("utf-8"))
        return name

    def _index_row(self, record, payload: dict, status, file, html, media_files: int) -> None:
        post = payload.get("post") or {}
        channel = (payload.get("channel") or {}).get("name")
        if not channel and record.channel_id:
            channel = record.channel.name
        author = (post.get("author") or {}).get("username")
        if not author and record.post_id:
            author = record.post.author.username
        self._index.writerow(
            [
                record.sequence,
                record.kind,
                record.recorded_at.isoformat(),
                channel or "",
                post.get("category") or (record.post.category if record.post_id else ""),
                author or "",
                post.get("title") or (record.post.title if record.post_id else ""),
                record.digest,
                status,
                f"data/{file}",
                f"data/{html}",
                media_files,
            ]
        )

    def _add_media(self, record, payload: dict) -> list[dict]:
        """Media in original bytes, where the record names stored files; what is missing, said."""
        entries = list(payload.get("media") or (payload.get("post") or {}).get("media") or [])
        # 702.3: a posting request's attachment, as the employee sent it.
        attachment = (payload.get("posting_request") or {}).get("attachment")
        if attachment:
            entries.append(attachment)
        added = []
        for number, entry in enumerate(entries, start=1):
            item = _media_item(entry)
            stored = item["stored"]
            safe = SAFE_NAME.sub("_", Path(item["name"] or f"media-{number}").name)[:100]
            target = f"media/{record.sequence}/{number}-{safe}"
            if stored and default_storage.exists(stored):
                with default_storage.open(stored, "rb") as source:
                    digest = self.writer.copy(target, source)
                self.media_files += 1
                expected = item["sha256"]
                outcome = "copied" if not expected or expected == digest else "copied; differs"
                self._media.writerow(
                    [record.sequence, item["name"], outcome, digest, f"data/{target}", item["alt"]]
                )
            else:
                self.media_missing += 1
                outcome = "missing: not stored by CitySocial"
                self._media.writerow(
                    [record.sequence, item["name"], outcome, item["sha256"], "", item["alt"]]
                )
            added.append({"name": item["name"], "alt_text": item["alt"], "outcome": outcome})
        return added


def _media_item(entry) -> dict:
    if isinstance(entry, str):
        entry = {"name": entry}
    stored = entry.get("stored_as") or entry.get("path") or entry.get("file") or ""
    return {
        "name": str(entry.get("name") or entry.get("filename") or stored or entry.get("url", "")),
        "stored": str(stored),
        "sha256": str(entry.get("sha256", "")),
        "alt": str(entry.get("alt_text") or entry.get("alt") or ""),
    }


def _exemptions_of(records_request) -> dict[int, Exemption]:
    """A request's redactions and withholdings: a handful, typed in by the Clerk."""
    if records_request is None:
        return {}
    return {x.record_id: x for x in records_request.exemptions.all()}


def _withholding(record: ArchiveRecord, exemption: Exemption) -> dict:
    return {
        "sequence": record.sequence,
        "kind": record.kind,
        "recorded_at": record.recorded_at.isoformat(),
        "digest": record.digest,
        "action": exemption.action,
        "exemption": exemption.exemption,
        "explanation": exemption.explanation,
    }


def _redact(value, passages: list[str], mark: str):
    if isinstance(value, str):
        for passage in passages:
            value = value.replace(passage, mark)
        return value
    if isinstance(value, dict):
        return {key: _redact(item, passages, mark) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item, passages, mark) for item in value]
    return value


def _readable(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def _json_bytes(value) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- Custody, bag-info and the archive ------------------------------------------------


def _write_custody_log(writer, exporter, query, records_request, job, payload, chain_head):
    """Who handled these records before this export, and this export itself."""
    with writer.open("custody-log.csv", text=True) as file:
        log = csv.writer(file)
        log.writerow(CUSTODY_COLUMNS)
        if records_request is not None:
            entries = records_request.custody.select_related("actor", "records_request")
            for entry in entries.iterator():
                log.writerow(
                    [
                        entry.at.isoformat(),
                        entry.who,
                        entry.get_action_display(),
                        records_request.reference,
                        entry.export_id or "",
                        entry.detail,
                    ]
                )
        log.writerow(
            [
                timezone.now().isoformat(),
                exporter.name,
                CustodyEntry.Action.EXPORTED.label,
                records_request.reference if records_request else "",
                job.pk if job else "",
                f"Exported {payload.records} records ({describe_query(query)}) at archive "
                f"record {chain_head[0]}: {payload.exported} in their stored bytes, "
                f"{payload.redacted} redacted, {payload.withheld} withheld, "
                f"{payload.destroyed} destroyed on schedule (tombstones).",
            ]
        )


def _bag_info(exporter, query, records_request, job, payload, chain_head, key) -> dict:
    now = timezone.localtime()
    info = {
        "Source-Organization": settings.CITY_NAME,
        "Contact-Name": exporter.name,
        "External-Description": (
            f"Public records of the {settings.CITY_NAME}'s social media, kept under Policy "
            "702.7 (Use of Social Media) and exported by the City Clerk."
        ),
        "External-Identifier": f"export-{job.pk}" if job else "command-line export",
        "Bagging-Date": now.date().isoformat(),
        "Bag-Software-Agent": f"CitySocial {system_version()}",
        "Requester": f"{exporter.name} ({exporter.username})",
        "Query": canonical_json(query),
        "Query-Description": describe_query(query),
        "Export-Time": now.isoformat(),
        "System-Version": f"CitySocial {system_version()}",
        "Archive-Chain-Head-Sequence": str(chain_head[0]),
        "Archive-Chain-Head-Digest": chain_head[1],
        "Records-Through-Sequence": str(
            min(records_request.covered_through, chain_head[0])
            if records_request
            else chain_head[0]
        ),
        "Records-Selected": str(payload.records),
        "Records-In-Stored-Bytes": str(payload.exported),
        "Records-Redacted": str(payload.redacted),
        "Records-Withheld": str(payload.withheld),
        "Records-Destroyed": str(payload.destroyed),
        "Media-Files": str(payload.media_files),
        "Media-Missing": str(payload.media_missing),
        "Media-Note": (
            "Media the records name (a post's files, a posting request's attachment) are under "
            "data/media/ in their original bytes; any the city does not hold are listed in "
            "data/media.csv as missing."
        ),
        "Signature-Algorithm": signing.ALGORITHM,
        "Signature-File": f"{SIGNATURE} (signs {TAG_MANIFEST})",
        "Public-Key-SHA256": signing.fingerprint(key),
    }
    if exporter.email:
        info["Contact-Email"] = exporter.email
    if records_request is not None:
        info["Records-Request"] = f"{records_request.reference} ({records_request.requester_name})"
    return info


def _archive_export(result, exporter, query, records_request, job, started_at, key_print):
    """702.7: an export is itself a record: who exported what, how many, which package, when."""
    return append(
        kind="exported",
        payload={
            "export": {
                "id": job.pk if job else None,
                "bag": result.bag_name,
                "exported_by": exporter.as_record(),
                "query": query,
                "records_request": (
                    {"id": records_request.pk, "reference": records_request.reference}
                    if records_request
                    else None
                ),
                "records": result.records,
                "records_in_stored_bytes": result.exported,
                "records_redacted": result.redacted,
                "records_withheld": result.withheld,
                "records_destroyed": result.destroyed,
                "media_files": result.media_files,
                "media_missing": result.media_missing,
                "tag_manifest_sha256": result.tag_manifest_sha256,
                "public_key_sha256": key_print,
                "chain_head": {"sequence": result.chain_head[0], "digest": result.chain_head[1]},
                "started_at": started_at.isoformat(),
                "finished_at": timezone.now().isoformat(),
            }
        },
    )
