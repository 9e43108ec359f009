"""702.7: drafts returned for changes, rejected or withdrawn are captured as transitory records
and filed under the TRANSITORY series (CORE's transitory records), kept their short time.

The series' record kinds gain `draft_set_aside`, with a history row that says why; its
description is brought up to date only where the City Clerk has not reworded it.
"""

from django.db import migrations, models
from django.utils import timezone

KIND = "draft_set_aside"
OLD_DESCRIPTION_END = (
    "The archive captures none of these today: a published post's approvals and checks stay "
    "with its published record."
)


def file_drafts_under_transitory(apps, schema_editor):
    from retention.schedule_defaults import DEFAULT_SERIES

    series_model = apps.get_model("retention", "RetentionSeries")
    history_model = apps.get_model("retention", "HistoricalRetentionSeries")
    series = series_model.objects.filter(code="TRANSITORY").first()
    if series is None or KIND in series.record_kinds:
        return
    series.record_kinds = [*series.record_kinds, KIND]
    if series.description.endswith(OLD_DESCRIPTION_END):
        default = next(s for s in DEFAULT_SERIES if s["code"] == "TRANSITORY")
        series.description = default["description"]
    series.save(update_fields=["record_kinds", "description"])
    names = [field.attname for field in series_model._meta.concrete_fields]
    history_model.objects.create(
        **{name: getattr(series, name) for name in names},
        history_date=timezone.now(),
        history_type="~",
        history_change_reason="Drafts returned, rejected or withdrawn are filed here (702.7)",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0009_archive_privileges"),
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
                    ("draft_set_aside", "Draft returned, rejected or withdrawn (transitory)"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(file_drafts_under_transitory, migrations.RunPython.noop),
    ]
