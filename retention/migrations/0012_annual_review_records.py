"""702.6, 702.7: the signed annual review becomes an archive record, filed under its own series."""

from django.db import migrations, models


def add_annual_reviews_series(apps, schema_editor):
    from retention.schedule_defaults import add_default_series

    add_default_series(apps, "ANNUAL-REVIEWS", "Default for annual reviews (702.6)")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0011_report_records"),
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
                    ("annual_review", "Annual review of social media use (702.6)"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(add_annual_reviews_series, migrations.RunPython.noop),
    ]
