"""702.7: PostgreSQL itself refuses to change, delete or truncate the archive for the role the
web app, the worker and beat connect as, and that role cannot switch the archive's triggers
off. `manage.py secure_database` sets the role up; disposition still works through the owner's
function that checks the certificate.
"""

import base64
import hashlib
import hmac
import os
import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from retention.archive import append, verify_chain
from retention.database_roles import scram_verifier
from retention.disposition import propose_batches
from retention.models import ArchiveRecord
from tests.retention.conftest import years_later

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="privileges are PostgreSQL's; on SQLite the model code alone refuses (test_archive)",
)

REFUSED_OF_THE_APP = [
    "UPDATE retention_archiverecord SET canonical = 'x'",
    "DELETE FROM retention_archiverecord",
    "TRUNCATE retention_archiverecord",
    "ALTER TABLE retention_archiverecord DISABLE TRIGGER retention_archive_no_update_or_delete",
    "ALTER TABLE retention_archiverecord DISABLE TRIGGER ALL",
    "DROP TRIGGER retention_archive_no_update_or_delete ON retention_archiverecord",
    "UPDATE retention_certificateentry SET digest = 'x'",
    "DELETE FROM retention_dispositioncertificate",
    "TRUNCATE retention_certificateentry",
    "UPDATE records_custodyentry SET detail = 'x'",
    "DELETE FROM records_custodyentry",
]


def app_role_name() -> str:
    """A role of this test run only: roles are shared by every database of the server."""
    return f"cs_app_{connection.settings_dict['NAME']}_{os.getpid()}"[:63]


def drop_role(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


@pytest.mark.django_db(transaction=True)
def test_702_7_the_apps_role_cannot_change_delete_truncate_or_unguard_the_archive():
    role, password = app_role_name(), secrets.token_urlsafe(16)
    append(kind="published", payload={"text": "the record as it was published"})
    drop_role(role)  # what an interrupted run may have left
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD %s', [password])
        call_command("secure_database", app_role=role)
        call_command("secure_database", app_role=role)  # again: nothing changes, nothing fails
        database = connection.settings_dict
        with psycopg.connect(
            host=database.get("HOST") or "127.0.0.1",
            port=database.get("PORT") or 5432,
            dbname=database["NAME"],
            user=role,
            password=password,
            autocommit=True,
        ) as as_the_app:
            (count,) = as_the_app.execute("SELECT count(*) FROM retention_archiverecord").fetchone()
            assert count == 1  # it reads the archive
            for statement in REFUSED_OF_THE_APP:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    as_the_app.execute(statement)
            # The owner's function it may call erases only under a certificate listing it.
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="no certificate"):
                as_the_app.execute(
                    "SELECT retention_erase_under_certificate(0, ARRAY[%s]::bigint[])",
                    [ArchiveRecord.objects.get().pk],
                )
            # And it cannot take the owner's rights.
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                as_the_app.execute(f'SET ROLE "{database.get("USER") or "postgres"}"')
        record = ArchiveRecord.objects.get()
        assert record.payload == {"text": "the record as it was published"}
        assert verify_chain().intact
    finally:
        drop_role(role)


def test_702_7_disposition_still_works_as_the_apps_role(city, publish, take_down, capsys):
    post = publish(title="Main Street closed", category="traffic")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    role = app_role_name()
    call_command("secure_database", app_role=role)
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        take_down(post)  # the worker's part, as the app's role
        records = list(post.archive_records.order_by("sequence"))
        with years_later():
            (batch,) = propose_batches()
            certificate = batch.approve(by=city.clerk)
        assert certificate.record_count == len(records) == 3
        assert all(record.is_destroyed for record in post.archive_records.all())
        assert verify_chain().intact
        # Still nothing else: the erasure is the owner's function's, not the role's.
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE retention_archiverecord SET kind = 'x'")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (owner,)


def test_secure_database_refuses_to_make_the_owner_the_apps_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="set DATABASE_OWNER_URL"):
        call_command("secure_database", app_role=owner)


def test_secure_database_refuses_a_role_that_owns_tables(db):
    role = app_role_name()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}"')
        cursor.execute("CREATE TABLE owned_by_the_app (id int)")
        cursor.execute(f'ALTER TABLE owned_by_the_app OWNER TO "{role}"')
    with pytest.raises(CommandError, match="REASSIGN OWNED BY"):
        call_command("secure_database", app_role=role)


def test_the_archive_refuses_truncate_even_from_its_owner(db):
    append(kind="published", payload={"text": "one"})
    with connection.cursor() as cursor:
        # The test database lets Django's flush truncate (tests/conftest.py); not here.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE retention_archiverecord ENABLE TRIGGER retention_archive_no_truncate"
        )
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE retention_archiverecord CASCADE")
    assert ArchiveRecord.objects.count() == 1


# RFC 7677's example exchange: user "user", password "pencil".
RFC_7677 = {
    "salt": "W22ZaJ0SNY7soEsUEjb6gQ==",
    "auth_message": (
        "n=user,r=rOprNGfwEbeRWgbNEkqO,"
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    ),
    "client_proof": "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    "server_signature": "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
}


def test_the_apps_password_reaches_postgresql_only_as_a_scram_verifier(db):
    """secure_database sets DATABASE_URL's password hashed, so that the server's log never
    holds it. The verifier answers RFC 7677's example exchange as the server would."""
    salt = base64.b64decode(RFC_7677["salt"])
    verifier = scram_verifier("pencil", salt=salt)
    assert "pencil" not in verifier
    method, rest = verifier.split("$", 1)
    counts, keys = rest.split("$")
    assert (method, counts) == ("SCRAM-SHA-256", f"4096:{RFC_7677['salt']}")
    stored_key, server_key = (base64.b64decode(key) for key in keys.split(":"))
    message = RFC_7677["auth_message"].encode()
    signature = hmac.new(server_key, message, "sha256").digest()
    assert base64.b64encode(signature).decode() == RFC_7677["server_signature"]
    # The client's proof, undone with the stored key, gives a key that hashes to it.
    proof = base64.b64decode(RFC_7677["client_proof"])
    client_signature = hmac.new(stored_key, message, "sha256").digest()
    client_key = bytes(a ^ b for a, b in zip(proof, client_signature, strict=True))
    assert hashlib.sha256(client_key).digest() == stored_key
    role = app_role_name()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{verifier}'")
        cursor.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [role])
        assert cursor.fetchone() == (verifier,)  # kept as given: PostgreSQL took it as a hash
