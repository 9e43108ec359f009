"""702.3, 702.7: posting requests become archive records, filed under their own series."""

import django.utils.timezone
from django.db import migrations, models

SERIES_CODE = "POSTING-REQUESTS"


def add_posting_requests_series(apps, schema_editor):
    """The series from the defaults, unless the City Clerk already has one by that code."""
    from retention.schedule_defaults import DEFAULT_SERIES

    series_model = apps.get_model("retention", "RetentionSeries")
    history_model = apps.get_model("retention", "HistoricalRetentionSeries")
    values = dict(next(s for s in DEFAULT_SERIES if s["code"] == SERIES_CODE))
    series, created = series_model.objects.get_or_create(code=values.pop("code"), defaults=values)
    if not created:
        return
    names = [field.attname for field in series_model._meta.concrete_fields]
    history_model.objects.create(
        **{name: getattr(series, name) for name in names},
        history_date=django.utils.timezone.now(),
        history_type="+",
        history_change_reason="Default for posting requests (702.3)",
    )


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
