"""Record kinds for exports, records requests and platform versions; archive search.

On PostgreSQL the database fills each record's `search_vector` from the strings of its payload
when the record is inserted (a trigger, so every writer, COPY included, gets it), and a GIN
index covers it for retention.search.find_records. Records already in the archive get theirs
here, with the append-only trigger set aside for that one derived column.
"""

import django.contrib.postgres.search
from django.db import migrations, models

CREATE_WORDS = """
CREATE OR REPLACE FUNCTION retention_archive_words() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := jsonb_to_tsvector('english'::regconfig, NEW.payload, '["string"]'::jsonb);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_archive_words
    BEFORE INSERT ON retention_archiverecord
    FOR EACH ROW EXECUTE FUNCTION retention_archive_words();
ALTER TABLE retention_archiverecord DISABLE TRIGGER retention_archive_no_update_or_delete;
UPDATE retention_archiverecord
    SET search_vector = jsonb_to_tsvector('english'::regconfig, payload, '["string"]'::jsonb);
ALTER TABLE retention_archiverecord ENABLE TRIGGER retention_archive_no_update_or_delete;
"""

CREATE_WORDS_INDEX = """
CREATE INDEX IF NOT EXISTS retention_record_words ON retention_archiverecord
    USING gin (search_vector);
"""

DROP_WORDS = """
DROP INDEX IF EXISTS retention_record_words;
DROP TRIGGER IF EXISTS retention_archive_words ON retention_archiverecord;
DROP FUNCTION IF EXISTS retention_archive_words();
"""


def create_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_WORDS, params=None)
        schema_editor.execute(CREATE_WORDS_INDEX, params=None)


def drop_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_WORDS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_publishing_governance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="archiverecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("published", "Published version"),
                    ("captured_before_removal", "Captured before removal (702.5)"),
                    ("removed", "Removed from public view (702.5)"),
                    ("emergency_stop", "Emergency stop"),
                    ("emergency_resume", "Emergency stop lifted"),
                    ("exported", "Export of records (custody)"),
                    ("records_request", "Public records request"),
                    ("platform_version", "Fetched back from the platform"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="archiverecord",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="archiverecord",
            index=models.Index(
                fields=["recorded_at", "sequence"], name="retention_record_recorded"
            ),
        ),
        migrations.RunPython(create_words, drop_words),
    ]
