"""702.7: on PostgreSQL the archive is guarded by privileges, not only by triggers.

The web app, the worker and beat connect as a role that owns nothing (`manage.py
secure_database` creates it and grants what it needs): it may read and append archive rows but
never UPDATE, DELETE or TRUNCATE them, and, not owning the table, it cannot disable its
triggers. The one change an archive row takes, its content erased under a certificate of
destruction, goes through `retention_erase_under_certificate()`, a SECURITY DEFINER function
owned by the tables' owner that checks the certificate; `retention_lock_for_disposition()`
lets disposition lock the rows it is about to destroy (SELECT ... FOR UPDATE needs the UPDATE
privilege the app's role lacks). Both are closed to PUBLIC: only the roles
`secure_database` names may call them.

A statement-level trigger refuses TRUNCATE too, which skips row triggers.
"""

from django.db import migrations

NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION retention_archive_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'retention_archiverecord is append-only (702.7): TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_archive_no_truncate
    BEFORE TRUNCATE ON retention_archiverecord
    FOR EACH STATEMENT EXECUTE FUNCTION retention_archive_no_truncate();
"""

# {schema} is the schema the tables are in, so that the functions never resolve a name
# through a search path the caller chose.
ERASE_UNDER_CERTIFICATE = """
CREATE OR REPLACE FUNCTION retention_erase_under_certificate(certificate bigint, records bigint[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = {schema}, pg_temp
AS $$
DECLARE
    wanted integer;
    listed integer;
    erased integer;
BEGIN
    -- 702.7: a record's content is erased only under a certificate of destruction that lists
    -- it with the digest it has, once, and only if the certificate lists as many records as
    -- it says it destroys. The append-only trigger checks the rows again.
    SELECT count(DISTINCT wanted_id) INTO wanted FROM unnest(records) AS wanted_id;
    IF wanted = 0 OR NOT EXISTS (
        SELECT 1 FROM retention_dispositioncertificate issued
        WHERE issued.id = certificate
            AND issued.record_count = (
                SELECT count(*) FROM retention_certificateentry entry
                WHERE entry.certificate_id = issued.id
            )
    ) THEN
        RAISE EXCEPTION 'no certificate of destruction % that can be carried out', certificate
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT count(*) INTO listed
        FROM retention_archiverecord kept
        JOIN retention_certificateentry entry
            ON entry.record_id = kept.id
            AND entry.certificate_id = certificate
            AND entry.digest = kept.digest
        WHERE kept.id = ANY(records) AND kept.certificate_id IS NULL;
    IF listed <> wanted THEN
        RAISE EXCEPTION 'certificate % does not list every record to erase (702.7)', certificate
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE retention_archiverecord
        SET payload = '{{}}'::jsonb, canonical = '', search_vector = NULL,
            certificate_id = certificate
        WHERE id = ANY(records);
    GET DIAGNOSTICS erased = ROW_COUNT;
    RETURN erased;
END;
$$;
REVOKE ALL ON FUNCTION retention_erase_under_certificate(bigint, bigint[]) FROM PUBLIC;
"""

LOCK_FOR_DISPOSITION = """
CREATE OR REPLACE FUNCTION retention_lock_for_disposition(records bigint[])
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = {schema}, pg_temp
AS $$
BEGIN
    PERFORM 1 FROM retention_archiverecord
        WHERE id = ANY(records) ORDER BY sequence FOR UPDATE;
END;
$$;
REVOKE ALL ON FUNCTION retention_lock_for_disposition(bigint[]) FROM PUBLIC;
"""

DROP = """
DROP FUNCTION IF EXISTS retention_lock_for_disposition(bigint[]);
DROP FUNCTION IF EXISTS retention_erase_under_certificate(bigint, bigint[]);
DROP TRIGGER IF EXISTS retention_archive_no_truncate ON retention_archiverecord;
DROP FUNCTION IF EXISTS retention_archive_no_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        (schema,) = cursor.fetchone()
    schema_editor.execute(NO_TRUNCATE, params=None)
    schema_editor.execute(ERASE_UNDER_CERTIFICATE.format(schema=schema), params=None)
    schema_editor.execute(LOCK_FOR_DISPOSITION.format(schema=schema), params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0008_incident_series"),
    ]

    operations = [migrations.RunPython(create, drop)]
