"""702.5, 702.7: reports of content and their investigations become archive records, filed with
the posts found that did not come through CitySocial under a series of their own."""

from django.db import migrations, models


def add_oversight_series(apps, schema_editor):
    from retention.schedule_defaults import add_default_series

    add_default_series(
        apps, "OVERSIGHT", "Default for reports of content and investigations (702.5)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0010_transitory_drafts"),
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
                    ("content_report", "Report of content (702.5)"),
                    ("investigation", "Investigation of reported content (702.5)"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(add_oversight_series, migrations.RunPython.noop),
    ]
