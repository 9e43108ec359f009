"""702.7: public records are captured once, never changed, and any tampering shows."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from retention.archive import append, verify_chain
from retention.models import ArchiveIsImmutable, ArchiveRecord
from tests.retention.conftest import tamper

pytestmark = pytest.mark.django_db


def test_records_chain_to_the_record_before_them(db):
    first = append(kind="published", payload={"text": "one"})
    second = append(kind="published", payload={"text": "two"})
    assert first.previous_digest == "0" * 64
    assert second.previous_digest == first.digest
    assert verify_chain().intact


def test_a_record_cannot_be_updated_or_deleted_through_the_orm(db):
    record = append(kind="published", payload={"text": "one"})
    record.payload = {"text": "changed"}
    with pytest.raises(ArchiveIsImmutable):
        record.save()
    with pytest.raises(ArchiveIsImmutable):
        record.delete()
    with pytest.raises(ArchiveIsImmutable):
        ArchiveRecord.objects.filter(pk=record.pk).update(payload={})
    with pytest.raises(ArchiveIsImmutable):
        ArchiveRecord.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_postgresql_refuses_raw_sql_updates_to_the_archive(db):
    from django.db import DatabaseError, transaction

    append(kind="published", payload={"text": "one"})
    for statement in (
        "UPDATE retention_archiverecord SET canonical = 'x'",
        "DELETE FROM retention_archiverecord",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_verify_archive_names_the_first_broken_record(db):
    append(kind="published", payload={"text": "one"})
    second = append(kind="published", payload={"text": "two"})
    append(kind="published", payload={"text": "three"})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tampering as the database owner would, bypassing the trigger (rolled back after).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE retention_archiverecord "
                "DISABLE TRIGGER retention_archive_no_update_or_delete"
            )
        cursor.execute(
            "UPDATE retention_archiverecord SET canonical = REPLACE(canonical, 'two', 'TWO') "
            "WHERE id = %s",
            [second.pk],
        )
    report = verify_chain()
    assert report.broken_at == second.sequence
    with pytest.raises(CommandError, match=f"broken at record {second.sequence}"):
        call_command("verify_archive")


def test_verify_archive_reports_an_intact_chain(db, capsys):
    append(kind="published", payload={"text": "one"})
    call_command("verify_archive")
    assert "Archive intact: 1 record(s) verified." in capsys.readouterr().out


# --- The columns search reads are the ones that were hashed -----------------------------------


@pytest.fixture
def published_record(city):
    """A post's published record: filed under its post, publication and channel."""
    post = city.published(title="Library hours", body="The library opens at nine.")
    return post.archive_records.get()


def test_a_records_links_are_part_of_what_is_hashed(published_record):
    hashed = json.loads(published_record.canonical)
    assert hashed["links"] == {
        "post": published_record.post_id,
        "publication": published_record.publication_id,
        "channel": published_record.channel_id,
    }
    assert hashed["recorded_at"] == published_record.recorded_at.isoformat()
    assert verify_chain().intact


@pytest.mark.parametrize(
    "column, change, problem",
    [
        ("recorded_at", "recorded_at - interval '1 year'", "its recorded time differs"),
        ("post_id", "(SELECT max(id) FROM posting_post WHERE id <> post_id)", "its post differs"),
        (
            "channel_id",
            "(SELECT min(id) FROM posting_channel WHERE id <> channel_id)",
            "its channel",
        ),
        ("publication_id", "NULL", "its publication differs"),
    ],
)
def test_moving_a_record_in_time_or_to_another_post_or_channel_is_detected(
    city, published_record, column, change, problem
):
    if connection.vendor != "postgresql" and "interval" in change:
        change = "datetime(recorded_at, '-1 year')"
    city.published(title="Pool closed", body="The pool is closed for repairs.")
    tamper(
        f"UPDATE retention_archiverecord SET {column} = {change} WHERE id = %s",
        [published_record.pk],
    )
    report = verify_chain()
    assert report.broken_at == published_record.sequence
    assert report.problem.startswith(problem)
    with pytest.raises(CommandError, match=f"broken at record {published_record.sequence}"):
        call_command("verify_archive")


def test_a_record_captured_before_links_were_hashed_is_checked_against_its_payload(city):
    """Records captured before the links joined the hashed form name their post in their
    payload: moving one to another post shows."""
    from retention.models import ArchiveHead, sha256_hex

    library = city.published(title="Library hours")
    pool = city.published(title="Pool closed")
    head = ArchiveHead.objects.get(pk=1)
    payload = {"post": {"id": library.pk, "title": "Library hours"}}
    recorded_at = timezone.now()
    canonical = ArchiveRecord.envelope(  # the form records had before: no links
        sequence=head.sequence + 1,
        kind="published",
        recorded_at=recorded_at,
        payload=payload,
        previous_digest=head.digest,
    )
    older = ArchiveRecord.objects.create(
        sequence=head.sequence + 1,
        kind="published",
        recorded_at=recorded_at,
        post=library,
        payload=payload,
        canonical=canonical,
        previous_digest=head.digest,
        digest=sha256_hex(canonical),
    )
    head.sequence, head.digest = older.sequence, older.digest
    head.save()
    assert "links" not in json.loads(older.canonical)
    assert verify_chain().intact
    tamper("UPDATE retention_archiverecord SET post_id = %s WHERE id = %s", [pool.pk, older.pk])
    report = verify_chain()
    assert (report.broken_at, report.problem) == (
        older.sequence,
        "its post differs from the one its payload names",
    )


def test_the_record_page_says_when_a_records_columns_were_changed(city, client, published_record):
    tamper(
        "UPDATE retention_archiverecord SET channel_id = NULL WHERE id = %s", [published_record.pk]
    )
    city.sign_in_client(client, "clerk")
    page = client.get(published_record.get_absolute_url())
    assert page.status_code == 200
    assert page.context["digest_ok"] is False


# --- 702.4.1: the published record names its incident -----------------------------------------


def test_702_4_1_a_published_update_names_its_incident(city):
    from tests.retention.test_search import open_incident, published_update

    gas = open_incident(city, "Gas leak")
    update = published_update(city, gas, "Crews are still working on the gas leak.")
    record = update.post.archive_records.get(kind="published")
    assert record.payload["post"]["incident"] == {
        "id": gas.pk,
        "title": "Gas leak",
        "kind": gas.kind,
        "kind_label": gas.get_kind_display(),
        "severity": "severe",
        "update": {"number": update.number, "purpose": update.purpose, "corrects": None},
    }
    other = city.published(title="Library hours").archive_records.get()
    assert other.payload["post"]["incident"] is None
