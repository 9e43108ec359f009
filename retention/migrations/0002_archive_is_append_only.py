"""702.7: on PostgreSQL the database itself refuses to change or delete an archive record."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION retention_archive_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'retention_archiverecord is append-only (702.7): % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_archive_no_update_or_delete
    BEFORE UPDATE OR DELETE ON retention_archiverecord
    FOR EACH ROW EXECUTE FUNCTION retention_archive_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS retention_archive_no_update_or_delete ON retention_archiverecord;
DROP FUNCTION IF EXISTS retention_archive_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
