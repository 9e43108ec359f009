"""702.3, 702.7: posting requests become archive records, filed under their own series."""

from django.db import migrations, models

SERIES_CODE = "POSTING-REQUESTS"


def add_posting_requests_series(apps, schema_editor):
    from retention.schedule_defaults import add_default_series

    add_default_series(apps, SERIES_CODE, "Default for posting requests (702.3)")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0006_incident_record_kinds"),
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
                    ("disposition", "Certificate of destruction"),
                    ("incident_opened", "Incident opened (702.4.1)"),
                    ("incident_update", "Incident update: source and verification (702.4.1)"),
                    ("incident_closed", "Incident closed, with its after-action timeline"),
                    ("posting_request", "Posting request (702.3)"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(add_posting_requests_series, migrations.RunPython.noop),
    ]
