"""702.7: public records are captured once, never changed, and any tampering shows."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from retention.archive import append, verify_chain
from retention.models import ArchiveIsImmutable, ArchiveRecord

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
