"""Helpers for the City Clerk's exports and the log of public records requests."""

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from records.export import Exporter, export_records


def bulk_archive(count: int, *, channel=None, start=None, title="Notice") -> None:
    """`count` published records chained onto the archive in bulk, as append() would chain
    them one by one: thousands in a second, for tests of size (never for real records)."""
    from retention.models import ArchiveHead, ArchiveRecord, sha256_hex

    head, _ = ArchiveHead.objects.get_or_create(pk=1)
    sequence, previous = head.sequence, head.digest
    moment = start or timezone.now() - timedelta(days=1)
    batch = []
    for number in range(1, count + 1):
        sequence += 1
        payload = {
            "post": {
                "title": f"{title} {number}",
                "body": f"Street sweeping on route {number} from 9 AM to 3 PM. " * 4,
                "category": "announcement",
                "author": {"username": "poster", "name": "Pat Poster"},
            },
            "channel": {"name": channel.name if channel else "City website"},
        }
        recorded_at = moment + timedelta(seconds=number)
        canonical = ArchiveRecord.envelope(
            sequence=sequence,
            kind="published",
            recorded_at=recorded_at,
            payload=payload,
            previous_digest=previous,
        )
        digest = sha256_hex(canonical)
        batch.append(
            ArchiveRecord(
                sequence=sequence,
                kind="published",
                recorded_at=recorded_at,
                channel=channel,
                payload=payload,
                canonical=canonical,
                previous_digest=previous,
                digest=digest,
            )
        )
        previous = digest
        if len(batch) == 1000:
            ArchiveRecord.objects.bulk_create(batch)
            batch = []
    ArchiveRecord.objects.bulk_create(batch)
    head.sequence, head.digest = sequence, previous
    head.save(update_fields=["sequence", "digest"])


def export(query=None, *, to: Path, by=None, **kwargs):
    exporter = Exporter.of(by) if by is not None else Exporter.command_line()
    return export_records(query=query or {}, out_dir=to, exporter=exporter, **kwargs)


def unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as bundle:
        bundle.extractall(into)
    (folder,) = [child for child in into.iterdir() if child.is_dir()]
    return folder


@pytest.fixture
def exports_dir(tmp_path, settings):
    settings.RECORDS_EXPORT_DIR = tmp_path / "exports"
    return tmp_path / "out"


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))
