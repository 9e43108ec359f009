"""702.4.1, 702.7: incident records are filed under a series of their own."""

from django.db import migrations


def add_incidents_series(apps, schema_editor):
    from retention.schedule_defaults import add_default_series

    add_default_series(apps, "INCIDENTS", "Default for incident records (702.4.1)")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0007_posting_request_records"),
    ]

    operations = [
        migrations.RunPython(add_incidents_series, migrations.RunPython.noop),
    ]
