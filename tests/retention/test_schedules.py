"""702.7: records are kept under the established retention schedules, which the City Clerk keeps.

The defaults come from Washington's common schedule (CORE): GS50-01-12 keeps social networking
posts 2 years after the communication was provided, and a post is provided until it is taken
down; announcements and media releases then go to the State Archives for appraisal.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from retention.archive import append
from retention.models import ArchiveRecord, RecordRetention, RetentionSeries
from retention.schedules import due_records

pytestmark = pytest.mark.django_db


def series_of(record) -> str:
    record = ArchiveRecord.objects.get(pk=record.pk)
    return record.retention.series.code if record.retention.series else None


# --- The defaults -------------------------------------------------------------------------------
def test_the_defaults_follow_core_gs50_01_12():
    routine = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    assert routine.retention_label == "2 years after the post is taken down, then destroy"
    assert "GS50-01-12" in routine.authority
    statements = RetentionSeries.objects.get(code="SOCIAL-STATEMENTS")
    assert statements.retention_label == (
        "2 years after the post is taken down, then appraisal by the state archives"
    )
    assert sorted(statements.categories) == ["announcement", "media_release"]
    assert not statements.destroys


def test_transitory_records_have_a_short_period_that_says_where_it_comes_from():
    transitory = RetentionSeries.objects.get(code="TRANSITORY")
    assert transitory.period_label == "90 days"
    assert "GS50-02-04" in transitory.authority
    assert "the city's choice, not a state figure" in transitory.description


def test_what_no_state_series_is_cited_for_is_never_destroyed_automatically():
    for code in ("SOCIAL-ADMINISTRATION", "RECORDS-CUSTODY"):
        series = RetentionSeries.objects.get(code=code)
        assert not series.destroys
        assert "To be confirmed by the City Clerk" in series.authority


# --- Filing at capture ----------------------------------------------------------------------------
def test_a_post_is_filed_under_the_series_of_its_category(publish):
    traffic = publish(title="Road closed", category="traffic").archive_records.get()
    release = publish(title="Budget adopted", category="media_release").archive_records.get()
    assert series_of(traffic) == "SOCIAL-POSTS"
    assert series_of(release) == "SOCIAL-STATEMENTS"


def test_a_post_still_up_has_no_disposition_date(publish):
    record = publish(category="traffic").archive_records.get()
    retention = RecordRetention.objects.get(record=record)
    assert retention.clock_started_at is None
    assert retention.disposition_due is None
    assert retention.waiting_for == "The retention period starts when the post is taken down."


def test_taking_a_post_down_starts_the_clock_of_every_record_of_it(publish, take_down):
    post = take_down(publish(category="traffic"))
    publication = post.publications.get()
    rows = RecordRetention.objects.filter(record__post=post).select_related("series", "record")
    assert sorted(row.record.kind for row in rows) == [
        "captured_before_removal",
        "published",
        "removed",
    ]
    for row in rows:
        assert row.clock_started_at == publication.removed_at
        assert row.disposition_due.date() == (
            publication.removed_at.date().replace(year=publication.removed_at.year + 2)
        )


def test_a_record_of_a_kind_no_series_covers_is_kept_without_a_date(db):
    RetentionSeries.objects.filter(code="SOCIAL-ADMINISTRATION").update(is_active=False)
    record = append(kind="emergency_stop", payload={"reason": "storm"})
    retention = RecordRetention.objects.get(record=record)
    assert retention.series is None
    assert "kept until the Clerk files it" in retention.waiting_for


def test_records_captured_before_the_schedules_existed_are_filed_by_the_migration(publish):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("retention.migrations.0005_schedules_holds_disposition")
    record = publish(category="traffic").archive_records.get()
    RecordRetention.objects.all().delete()
    migration.seed_series_and_file_records(apps, None)
    assert series_of(record) == "SOCIAL-POSTS"


# --- The Clerk keeps the schedules --------------------------------------------------------------
SERIES_FORM = {
    "code": "SOCIAL-POSTS",
    "title": "Social media posts: routine information",
    "description": "GS50-01-12.",
    "authority": "CORE GS50-01-12 (edition 4.2)",
    "retention_years": "3",
    "retention_months": "0",
    "retention_days": "0",
    "clock_event": "taken_down",
    "final_action": "destroy",
    "record_kinds": ["published", "captured_before_removal", "removed", "platform_version"],
    "categories": ["crime_prevention", "traffic"],
    "is_active": "on",
}


def test_the_clerk_edits_a_series_and_its_history_keeps_every_version(city, client):
    series = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    city.sign_in_client(client, "clerk")
    response = client.post(reverse("retention:series_edit", args=[series.pk]), SERIES_FORM)
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.period_label == "3 years"
    assert series.changed_by == city.clerk
    assert series.history.count() == 2
    page = client.get(reverse("retention:series", args=[series.pk])).content.decode()
    assert "CORE GS50-01-12 (edition 4.2)" in page
    assert "3 years after the post is taken down, then destroy" in page
    assert "2 years after the post is taken down, then destroy" in page  # the earlier version


@pytest.mark.parametrize("who", ["mayor", "supervisor", "poster", "designee"])
def test_only_the_clerk_changes_a_series(city, client, who):
    series = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    with pytest.raises(PermissionDenied):
        series.change(by=city.people[who], retention_years=1)
    city.sign_in_client(client, who)
    response = client.post(reverse("retention:series_edit", args=[series.pk]), SERIES_FORM)
    assert response.status_code == 403
    series.refresh_from_db()
    assert series.retention_years == 2


def test_the_mayors_office_reads_the_schedules(city, client):
    city.sign_in_client(client, "mayor")
    page = client.get(reverse("retention:series_list")).content.decode()
    assert "SOCIAL-STATEMENTS" in page
    assert "Add a series" not in page


def test_two_series_may_not_claim_the_same_records(city, client):
    city.sign_in_client(client, "clerk")
    form = {**SERIES_FORM, "code": "SOCIAL-TRAFFIC", "categories": ["traffic"]}
    response = client.post(reverse("retention:series_new"), form)
    assert response.status_code == 400
    assert "already covers some of these records" in response.content.decode()
    assert not RetentionSeries.objects.filter(code="SOCIAL-TRAFFIC").exists()


def test_a_series_names_only_kinds_and_categories_that_exist(city):
    series = RetentionSeries.objects.get(code="TRANSITORY")
    with pytest.raises(ValidationError, match="Unknown kinds of record: drafts"):
        series.change(by=city.clerk, record_kinds=["drafts"])


def test_a_new_period_moves_every_due_date_at_once(city, publish, take_down):
    record = take_down(publish(category="traffic")).archive_records.get(kind="published")
    series = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    assert not due_records(series).filter(pk=record.pk).exists()
    series.change(by=city.clerk, retention_years=0)
    assert due_records(series).filter(pk=record.pk).exists()


def test_a_new_clock_event_restarts_the_clocks_from_each_records_own_event(city, publish):
    record = publish(category="traffic").archive_records.get()
    series = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    series.change(by=city.clerk, clock_event="published")
    retention = RecordRetention.objects.get(record=record)
    assert retention.clock_started_at == record.publication.published_at
    series.change(by=city.clerk, clock_event="captured")
    retention.refresh_from_db()
    assert retention.clock_started_at == record.recorded_at
    series.change(by=city.clerk, clock_event="taken_down")
    retention.refresh_from_db()
    assert retention.clock_started_at is None
    assert timezone.now() - record.recorded_at < timedelta(minutes=5)


def test_702_4_1_incident_records_are_filed_under_the_incidents_series(db):
    from retention.archive import append

    record = append(kind="incident_opened", payload={"incident": {"id": 1, "title": "Gas leak"}})
    assert record.retention.series.code == "INCIDENTS"
    assert record.retention.series.final_action == "appraisal"  # never destroyed automatically
    assert record.retention.clock_started_at is None  # the clock starts when it closes
