"""702.7: the City Clerk's export is a BagIt package holding exactly the selected records, in the
bytes the archive hashed, signed with the city's key, and itself kept as a record."""

import csv
import hashlib
import json

import bagit
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from records import signing
from records.bag import TAG_MANIFEST, check_bag
from records.models import CustodyEntry, ExportJob
from records.tasks import run_export
from retention.archive import append, verify_chain
from retention.models import ArchiveHead, ArchiveRecord

from .conftest import bulk_archive, export, unzip

pytestmark = pytest.mark.django_db


def payload_files(bag, folder):
    return sorted(int(path.stem) for path in (bag / "data" / folder).glob("*"))


def index_rows(bag):
    with open(bag / "data" / "index.csv", newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def bag_info(bag):
    return dict(bagit.Bag(str(bag)).info)


@pytest.fixture
def website_and_mastodon(city):
    """Two posts on the city website, one on the fake Mastodon, and an emergency stop."""
    library = city.published(title="Library hours")
    pool = city.published(title="Pool <closed> & drained", body="<script>alert(1)</script>")
    other = append(
        kind="published", payload={"post": {"title": "Elsewhere"}}, channel=city.mastodon
    )
    append(kind="emergency_stop", payload={"emergency_stop": {"reason": "Storm"}})
    website = [r.sequence for p in (library, pool) for r in p.archive_records.all()]
    return {"website": sorted(website), "mastodon": [other.sequence]}


def test_the_bag_validates_and_holds_exactly_the_selected_records(
    city, tmp_path, website_and_mastodon
):
    result = export({"channel": "city-website"}, to=tmp_path, by=city.clerk)

    bagit.Bag(str(result.bag_path)).validate()
    assert payload_files(result.bag_path, "records") == website_and_mastodon["website"]
    assert payload_files(result.bag_path, "html") == website_and_mastodon["website"]
    rows = index_rows(result.bag_path)
    assert [int(row["sequence"]) for row in rows] == website_and_mastodon["website"]
    assert {row["channel"] for row in rows} == {"City website"}
    assert {row["post_title"] for row in rows} == {"Library hours", "Pool <closed> & drained"}
    assert result.records == result.exported == 2


def test_each_record_is_the_stored_bytes_whose_sha256_is_its_digest(
    city, tmp_path, website_and_mastodon
):
    result = export({}, to=tmp_path, by=city.clerk)
    records = ArchiveRecord.objects.filter(sequence__lte=result.chain_head[0])
    assert payload_files(result.bag_path, "records") == sorted(r.sequence for r in records)
    for record in records:
        stored = (result.bag_path / "data" / "records" / f"{record.sequence}.json").read_bytes()
        assert stored == record.canonical.encode("utf-8")
        assert hashlib.sha256(stored).hexdigest() == record.digest
    manifest = (result.bag_path / "manifest-sha256.txt").read_text()
    assert f"{records.get(sequence=1).digest}  data/records/1.json" in manifest


def test_the_readable_page_escapes_what_was_typed(city, tmp_path, website_and_mastodon):
    result = export({"words": "drained"}, to=tmp_path, by=city.clerk)
    (sequence,) = payload_files(result.bag_path, "html")
    page = (result.bag_path / "data" / "html" / f"{sequence}.html").read_text()
    assert "Pool &lt;closed&gt; &amp; drained" in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bag_info_names_the_requester_the_query_the_version_and_the_chain_head(
    city, tmp_path, website_and_mastodon
):
    head = ArchiveHead.objects.get()
    result = export({"channel": "city-website", "words": "library"}, to=tmp_path, by=city.clerk)
    info = bag_info(result.bag_path)
    assert info["Requester"] == "Casey Morgan (clerk)"
    assert info["Contact-Email"] == "clerk@riverton.example"
    assert json.loads(info["Query"]) == {"channel": "city-website", "words": "library"}
    assert info["Archive-Chain-Head-Sequence"] == str(head.sequence)
    assert info["Archive-Chain-Head-Digest"] == head.digest
    assert info["System-Version"] == "CitySocial 0.1.0"
    assert info["Export-Time"].startswith(info["Bagging-Date"])
    assert info["Records-Selected"] == "1"
    assert info["Public-Key-SHA256"] == signing.fingerprint(signing.city_signing_key())


def test_the_signature_verifies_with_the_public_key_in_the_bag(
    city, tmp_path, website_and_mastodon
):
    result = export({}, to=tmp_path, by=city.clerk)
    public_key = signing.load_public_key((result.bag_path / "public-key.pem").read_bytes())
    signature = (result.bag_path / f"{TAG_MANIFEST}.sig").read_bytes()
    tag_manifest = (result.bag_path / TAG_MANIFEST).read_bytes()
    assert signing.signature_holds(public_key, tag_manifest, signature)
    assert hashlib.sha256(tag_manifest).hexdigest() == result.tag_manifest_sha256
    assert check_bag(result.bag_path, signing.city_signing_key().public_key()).valid


def test_changing_a_record_breaks_the_bag(city, tmp_path, website_and_mastodon):
    result = export({}, to=tmp_path, by=city.clerk)
    record = result.bag_path / "data" / "records" / "1.json"
    record.write_text(record.read_text().replace("Library", "Liberty"))
    report = check_bag(result.bag_path)
    assert not report.valid
    assert "data/records/1.json" in report.problems[0]


def test_tampering_that_rewrites_the_manifests_still_fails_the_signature(
    city, tmp_path, website_and_mastodon
):
    result = export({}, to=tmp_path, by=city.clerk)
    info = result.bag_path / "bag-info.txt"
    info.write_text(info.read_text().replace("Casey Morgan (clerk)", "Someone Else (x)"))
    # A forger recomputes the tag manifest so that bagit is satisfied again...
    bag = bagit.Bag(str(result.bag_path))
    bag.save()
    bag.validate()
    # ...but cannot sign it with the city's key.
    report = check_bag(result.bag_path)
    assert report.problems == [
        f"the signature in {TAG_MANIFEST}.sig does not match {TAG_MANIFEST}: "
        "the bag was altered after it was signed"
    ]


def test_a_bag_signed_with_another_key_is_not_the_citys(
    city, tmp_path, website_and_mastodon, settings
):
    result = export({}, to=tmp_path, by=city.clerk)
    stranger = Ed25519PrivateKey.generate().public_key()
    report = check_bag(result.bag_path, trusted_key=stranger)
    assert not report.valid
    assert "is not the trusted one" in report.problems[0]


def test_the_export_is_itself_archived_and_logged(city, tmp_path, website_and_mastodon):
    result = export({"channel": "city-website"}, to=tmp_path, by=city.clerk)
    record = result.archive_record
    assert record.kind == "exported"
    assert record.sequence == result.chain_head[0] + 1
    exported = record.payload["export"]
    assert exported["exported_by"]["username"] == "clerk"
    assert exported["query"] == {"channel": "city-website"}
    assert exported["records"] == 2
    assert exported["tag_manifest_sha256"] == result.tag_manifest_sha256
    assert exported["chain_head"]["digest"] == result.chain_head[1]
    assert verify_chain().intact
    entry = CustodyEntry.objects.get(action="exported")
    assert entry.actor == city.clerk
    assert result.bag_name in entry.detail
    with open(result.bag_path / "data" / "custody-log.csv", newline="") as file:
        (row,) = list(csv.DictReader(file))
    assert (row["who"], row["action"]) == ("Casey Morgan", "Exported")


def test_media_are_copied_in_original_bytes_and_missing_media_are_named(city, tmp_path):
    photo = b"\x89PNG\r\n\x1a\n original bytes"
    stored = default_storage.save("media/posts/flyer.png", ContentFile(photo))
    try:
        record = append(
            kind="published",
            payload={
                "post": {
                    "title": "Flyer",
                    "media": [
                        {
                            "name": "flyer.png",
                            "stored_as": stored,
                            "sha256": hashlib.sha256(photo).hexdigest(),
                            "alt_text": "Fair on Saturday",
                        },
                        {"name": "video.mp4", "url": "https://video.example/1"},
                    ],
                }
            },
        )
        result = export({}, to=tmp_path, by=city.clerk)
    finally:
        default_storage.delete(stored)
    copied = result.bag_path / "data" / "media" / str(record.sequence) / "1-flyer.png"
    assert copied.read_bytes() == photo
    assert (result.media_files, result.media_missing) == (1, 1)
    with open(result.bag_path / "data" / "media.csv", newline="") as file:
        outcomes = {row["name"]: row["outcome"] for row in csv.DictReader(file)}
    assert outcomes == {"flyer.png": "copied", "video.mp4": "missing: not stored by CitySocial"}
    assert bag_info(result.bag_path)["Media-Missing"] == "1"
    bagit.Bag(str(result.bag_path)).validate()


def test_702_3_a_posting_requests_attachment_is_exported_in_its_original_bytes(
    city, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from posting.models import PostingRequest

    settings.MEDIA_ROOT = tmp_path / "media"
    flyer = b"%PDF-1.4\n% the fair's flyer, as the employee sent it\n"
    PostingRequest.file(
        requester=city.staff,
        what="The street fair is on Saturday from noon.",
        why="Vendors need to know where to set up.",
        audience="Residents and vendors",
        urgency="routine",
        attachment=SimpleUploadedFile("fair-flyer.pdf", flyer, content_type="application/pdf"),
    )
    record = ArchiveRecord.objects.get(kind="posting_request")
    attachment = record.payload["posting_request"]["attachment"]
    result = export({"kind": "posting_request"}, to=tmp_path / "out", by=city.clerk)
    copied = result.bag_path / "data" / "media" / str(record.sequence) / "1-fair-flyer.pdf"
    assert copied.read_bytes() == flyer
    assert (result.media_files, result.media_missing) == (1, 0)
    with open(result.bag_path / "data" / "media.csv", newline="") as file:
        (row,) = list(csv.DictReader(file))
    assert (row["name"], row["outcome"]) == ("fair-flyer.pdf", "copied")
    assert row["sha256"] == attachment["sha256"] == hashlib.sha256(flyer).hexdigest()
    bagit.Bag(str(result.bag_path)).validate()


def test_a_destroyed_record_is_exported_as_its_tombstone(city, tmp_path, destroyed_record):
    result = export({}, to=tmp_path, by=city.clerk)
    assert result.destroyed == 1
    tombstone = json.loads(
        (result.bag_path / "data" / "tombstones" / f"{destroyed_record.sequence}.json").read_text()
    )
    assert tombstone["digest"] == destroyed_record.digest
    assert tombstone["destroyed"] is True
    assert not (result.bag_path / "data" / "records" / f"{destroyed_record.sequence}.json").exists()
    (row,) = [
        r for r in index_rows(result.bag_path) if r["sequence"] == str(destroyed_record.sequence)
    ]
    assert row["status"] == "destroyed"
    bagit.Bag(str(result.bag_path)).validate()


@pytest.fixture
def destroyed_record(city):
    """A transitory record destroyed on schedule, through the Clerk's approval of its batch."""
    import datetime

    import time_machine

    from retention.disposition import propose_batches
    from retention.models import RetentionSeries

    RetentionSeries.objects.create(
        code="TEST-TRANSITORY",
        title="Transitory notices",
        retention_days=1,
        clock_event="captured",
        final_action="destroy",
        authority="CORE GS50-02-04",
        record_kinds=["platform_version"],
    )
    record = append(kind="platform_version", payload={"text": "fetched back"})
    later = record.recorded_at + datetime.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        (batch,) = propose_batches()
        batch.approve(by=city.clerk)
    record.refresh_from_db()
    assert record.is_destroyed
    return record


def test_the_worker_task_zips_the_bag_and_tells_the_clerk(city, exports_dir, website_and_mastodon):
    job = ExportJob.request(by=city.clerk, query={"channel": "city-website"})
    run_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.records_total, job.records_done, job.percent) == ("done", 2, 2, 100)
    assert job.archive_record.kind == "exported"
    bag = unzip(job.zip_path, exports_dir)
    assert check_bag(bag).valid
    assert payload_files(bag, "records") == website_and_mastodon["website"]
    (message,) = mail.outbox
    assert message.to == ["clerk@riverton.example"]
    assert f"/records/exports/{job.pk}/" in message.body
    run_export(job.pk)  # a second delivery of the message does nothing
    assert ExportJob.objects.get(pk=job.pk).archive_record == job.archive_record


def test_a_failed_export_says_so_and_tells_the_clerk(city, tmp_path, settings):
    settings.RECORDS_EXPORT_DIR = tmp_path / "not-a-folder"
    settings.RECORDS_EXPORT_DIR.write_text("a file where the exports should go")
    job = ExportJob.request(by=city.clerk, query={})
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "not-a-folder" in job.error
    (message,) = mail.outbox
    assert message.subject == f"Export {job.pk} of public records failed"
    assert not ArchiveRecord.objects.filter(kind="exported").exists()


def test_a_large_export_is_written_as_it_is_read(city, tmp_path):
    """Streaming: records are read a chunk at a time (CHUNK_SIZE) and each is on disk before the
    next chunk is read, so memory does not grow with the export (the figures are measured by
    tests/bench/bench_export.py, in a process of their own)."""
    bulk_archive(250, channel=city.website)
    on_disk_at_each_chunk = []

    def progress(done, total):
        (bag,) = tmp_path.iterdir()
        written = list((bag / "data" / "records").glob("*.json"))
        on_disk_at_each_chunk.append((done, total, len(written)))

    result = export({}, to=tmp_path, by=city.clerk, progress=progress, chunk_size=100)
    assert result.records == 250
    assert on_disk_at_each_chunk == [(0, 250, 0), (100, 250, 100), (200, 250, 200), (250, 250, 250)]
