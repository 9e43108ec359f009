"""Retention schedules, legal holds and disposition (702.7).

Seeds the default series (retention.schedule_defaults), files every record already in the
archive under its series, and on PostgreSQL lets the append-only trigger accept exactly one
change: a record's content erased under a certificate of destruction that lists it.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

ALLOW_ERASURE_UNDER_CERTIFICATE = """
CREATE OR REPLACE FUNCTION retention_archive_append_only() RETURNS trigger AS $$
BEGIN
    -- 702.7: the only change an archive row takes is disposition: its content erased under
    -- a certificate of destruction that lists it with its digest, every identity column as
    -- it was. Everything else (any other UPDATE, every DELETE) is refused.
    IF TG_OP = 'UPDATE'
        AND OLD.certificate_id IS NULL
        AND NEW.certificate_id IS NOT NULL
        AND NEW.id = OLD.id
        AND NEW.sequence = OLD.sequence
        AND NEW.kind = OLD.kind
        AND NEW.recorded_at = OLD.recorded_at
        AND NEW.digest = OLD.digest
        AND NEW.previous_digest = OLD.previous_digest
        AND NEW.post_id IS NOT DISTINCT FROM OLD.post_id
        AND NEW.publication_id IS NOT DISTINCT FROM OLD.publication_id
        AND NEW.channel_id IS NOT DISTINCT FROM OLD.channel_id
        AND NEW.payload = '{}'::jsonb
        AND NEW.canonical = ''
        AND NEW.search_vector IS NULL
        AND EXISTS (
            SELECT 1 FROM retention_certificateentry entry
            WHERE entry.certificate_id = NEW.certificate_id
                AND entry.record_id = OLD.id
                AND entry.digest = OLD.digest
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'retention_archiverecord is append-only (702.7): % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_EVERY_CHANGE = """
CREATE OR REPLACE FUNCTION retention_archive_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'retention_archiverecord is append-only (702.7): % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_erasure_under_certificate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_ERASURE_UNDER_CERTIFICATE, params=None)


def refuse_every_change(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_EVERY_CHANGE, params=None)


def seed_series_and_file_records(apps, schema_editor):
    from retention.schedule_defaults import choose_series, load_default_series

    series_model = apps.get_model("retention", "RetentionSeries")
    retention_model = apps.get_model("retention", "RecordRetention")
    record_model = apps.get_model("retention", "ArchiveRecord")
    load_default_series(series_model)
    _record_first_versions(apps, series_model)
    active = list(series_model.objects.filter(is_active=True))
    records = record_model.objects.select_related("post", "publication").order_by("sequence")
    batch = []
    for record in records.iterator(chunk_size=2000):
        category = record.post.category if record.post_id else None
        series = choose_series(record.kind, category, active)
        batch.append(
            retention_model(
                record=record, series=series, clock_started_at=_clock_start(record, series)
            )
        )
        if len(batch) >= 2000:
            retention_model.objects.bulk_create(batch)
            batch = []
    retention_model.objects.bulk_create(batch)


def _record_first_versions(apps, series_model):
    """The seeded values as each series' first version in its history (the Clerk's edits
    are compared with them)."""
    history_model = apps.get_model("retention", "HistoricalRetentionSeries")
    now = django.utils.timezone.now()
    names = [field.attname for field in series_model._meta.concrete_fields]
    for series in series_model.objects.exclude(pk__in=history_model.objects.values("id")):
        history_model.objects.create(
            **{name: getattr(series, name) for name in names},
            history_date=now,
            history_type="+",
            history_change_reason="Defaults from the state schedule",
        )


def _clock_start(record, series):
    """As retention.schedules.clock_start, on the models as they are at this migration."""
    if series is None:
        return None
    publication = record.publication
    if series.clock_event == "captured":
        return record.recorded_at
    if series.clock_event == "published":
        return (publication.published_at if publication else None) or record.recorded_at
    if series.clock_event == "taken_down":
        return publication.removed_at if publication else None
    return None


class Migration(migrations.Migration):
    dependencies = [
        ("posting", "0007_publishing_governance"),
        ("retention", "0004_record_kinds_and_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="DispositionBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Waiting for the City Clerk"),
                            ("approved", "Approved: destroyed"),
                            ("declined", "Declined"),
                        ],
                        default="proposed",
                        max_length=20,
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True)),
                ("left_out", models.JSONField(blank=True, default=list)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "records",
                    models.ManyToManyField(
                        blank=True, related_name="disposition_batches", to="retention.archiverecord"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "disposition batches",
                "ordering": ["-proposed_at"],
            },
        ),
        migrations.CreateModel(
            name="DispositionCertificate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("series_code", models.CharField(max_length=40)),
                ("series_title", models.CharField(max_length=200)),
                ("authority", models.CharField(max_length=300)),
                ("retention", models.CharField(max_length=300)),
                (
                    "method",
                    models.TextField(
                        default="Erased from the archive database: the record's content (its payload and the canonical text that was hashed) was overwritten with empty values. Its tombstone (number, kind, dates, SHA-256 digest and the link to the record before it) is kept, so the archive's hash chain still verifies."
                    ),
                ),
                ("record_count", models.PositiveIntegerField()),
                ("earliest_recorded_at", models.DateTimeField()),
                ("latest_recorded_at", models.DateTimeField()),
                ("approved_at", models.DateTimeField()),
                (
                    "approved_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "batch",
                    models.OneToOneField(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificate",
                        to="retention.dispositionbatch",
                    ),
                ),
            ],
            options={
                "ordering": ["-approved_at"],
            },
        ),
        migrations.CreateModel(
            name="CertificateEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField()),
                ("kind", models.CharField(max_length=30)),
                ("recorded_at", models.DateTimeField()),
                ("clock_started_at", models.DateTimeField(null=True)),
                ("disposition_due", models.DateTimeField(null=True)),
                ("digest", models.CharField(max_length=64)),
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificate_entry",
                        to="retention.archiverecord",
                    ),
                ),
                (
                    "certificate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="retention.dispositioncertificate",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "certificate entries",
                "ordering": ["sequence"],
            },
        ),
        migrations.AddField(
            model_name="archiverecord",
            name="certificate",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="destroyed_records",
                to="retention.dispositioncertificate",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalLegalHold",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "matter",
                    models.CharField(
                        help_text="The case, claim or matter, as named.", max_length=200
                    ),
                ),
                ("reason", models.TextField()),
                ("placed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("query", models.JSONField(blank=True, default=dict)),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                ("release_note", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical legal hold",
                "verbose_name_plural": "historical legal holds",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRetentionSeries",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        help_text="The city's code, e.g. SOCIAL-POSTS.",
                        max_length=40,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                ("retention_years", models.PositiveSmallIntegerField(default=0)),
                ("retention_months", models.PositiveSmallIntegerField(default=0)),
                ("retention_days", models.PositiveSmallIntegerField(default=0)),
                (
                    "clock_event",
                    models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("taken_down", "Taken down (the post stops being provided)"),
                            ("incident_closed", "Incident closed"),
                            ("request_resolved", "Public records request resolved"),
                            ("captured", "Captured in the archive"),
                        ],
                        help_text="The event that starts the retention period.",
                        max_length=20,
                    ),
                ),
                (
                    "final_action",
                    models.CharField(
                        choices=[
                            ("destroy", "Destroy"),
                            ("appraisal", "Appraisal by the State Archives"),
                            ("transfer", "Transfer to the State Archives"),
                            ("permanent", "Keep permanently"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "authority",
                    models.CharField(
                        help_text="The schedule and series it comes from, e.g. CORE GS50-01-12.",
                        max_length=300,
                    ),
                ),
                ("record_kinds", models.JSONField(blank=True, default=list)),
                ("categories", models.JSONField(blank=True, default=list)),
                ("is_active", models.BooleanField(default=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical retention series",
                "verbose_name_plural": "historical retention series",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LegalHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "matter",
                    models.CharField(
                        help_text="The case, claim or matter, as named.", max_length=200
                    ),
                ),
                ("reason", models.TextField()),
                ("placed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("query", models.JSONField(blank=True, default=dict)),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                ("release_note", models.TextField(blank=True)),
                (
                    "placed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "records",
                    models.ManyToManyField(
                        blank=True, related_name="legal_holds", to="retention.archiverecord"
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-placed_at"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalLegalHold_records",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "archiverecord",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.archiverecord",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="retention.historicallegalhold",
                    ),
                ),
                (
                    "legalhold",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.legalhold",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalLegalHold_records",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PlatformCheck",
            fields=[
                (
                    "publication",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="platform_check",
                        serialize=False,
                        to="posting.publication",
                    ),
                ),
                ("checked_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "indexes": [models.Index(fields=["checked_at"], name="retention_platform_checked")],
            },
        ),
        migrations.CreateModel(
            name="RetentionSeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The city's code, e.g. SOCIAL-POSTS.", max_length=40, unique=True
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                ("retention_years", models.PositiveSmallIntegerField(default=0)),
                ("retention_months", models.PositiveSmallIntegerField(default=0)),
                ("retention_days", models.PositiveSmallIntegerField(default=0)),
                (
                    "clock_event",
                    models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("taken_down", "Taken down (the post stops being provided)"),
                            ("incident_closed", "Incident closed"),
                            ("request_resolved", "Public records request resolved"),
                            ("captured", "Captured in the archive"),
                        ],
                        help_text="The event that starts the retention period.",
                        max_length=20,
                    ),
                ),
                (
                    "final_action",
                    models.CharField(
                        choices=[
                            ("destroy", "Destroy"),
                            ("appraisal", "Appraisal by the State Archives"),
                            ("transfer", "Transfer to the State Archives"),
                            ("permanent", "Keep permanently"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "authority",
                    models.CharField(
                        help_text="The schedule and series it comes from, e.g. CORE GS50-01-12.",
                        max_length=300,
                    ),
                ),
                ("record_kinds", models.JSONField(blank=True, default=list)),
                ("categories", models.JSONField(blank=True, default=list)),
                ("is_active", models.BooleanField(default=True)),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "retention series",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalRecordRetention",
            fields=[
                ("clock_started_at", models.DateTimeField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.archiverecord",
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.retentionseries",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical record retention",
                "verbose_name_plural": "historical record retentions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDispositionCertificate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("series_code", models.CharField(max_length=40)),
                ("series_title", models.CharField(max_length=200)),
                ("authority", models.CharField(max_length=300)),
                ("retention", models.CharField(max_length=300)),
                (
                    "method",
                    models.TextField(
                        default="Erased from the archive database: the record's content (its payload and the canonical text that was hashed) was overwritten with empty values. Its tombstone (number, kind, dates, SHA-256 digest and the link to the record before it) is kept, so the archive's hash chain still verifies."
                    ),
                ),
                ("record_count", models.PositiveIntegerField()),
                ("earliest_recorded_at", models.DateTimeField()),
                ("latest_recorded_at", models.DateTimeField()),
                ("approved_at", models.DateTimeField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.dispositionbatch",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.retentionseries",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical disposition certificate",
                "verbose_name_plural": "historical disposition certificates",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDispositionBatch",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Waiting for the City Clerk"),
                            ("approved", "Approved: destroyed"),
                            ("declined", "Declined"),
                        ],
                        default="proposed",
                        max_length=20,
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True)),
                ("left_out", models.JSONField(blank=True, default=list)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="retention.retentionseries",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical disposition batch",
                "verbose_name_plural": "historical disposition batches",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="dispositioncertificate",
            name="series",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="retention.retentionseries",
            ),
        ),
        migrations.AddField(
            model_name="dispositionbatch",
            name="series",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="batches",
                to="retention.retentionseries",
            ),
        ),
        migrations.CreateModel(
            name="RecordRetention",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="retention",
                        serialize=False,
                        to="retention.archiverecord",
                    ),
                ),
                ("clock_started_at", models.DateTimeField(blank=True, null=True)),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="retention.retentionseries",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("clock_started_at__isnull", False)),
                        fields=["series", "clock_started_at"],
                        name="retention_clock",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="dispositionbatch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "proposed")),
                fields=("series",),
                name="one_proposed_batch_per_series",
            ),
        ),
        migrations.RunPython(seed_series_and_file_records, migrations.RunPython.noop),
        migrations.RunPython(allow_erasure_under_certificate, refuse_every_change),
    ]
