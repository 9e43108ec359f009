"""702.7: the City Clerk finds public records by words, dates, channel, category, author and
incident."""

import datetime

import pytest
import time_machine
from django.db import connection

from retention.archive import append
from retention.models import ArchiveRecord
from retention.search import describe_saved, find_records, find_saved, search_arguments

pytestmark = pytest.mark.django_db


def sequences(records):
    return [record.sequence for record in records]


def test_words_find_the_records_that_contain_them(city):
    library = city.published(title="Library hours", body="The library opens at nine on Monday.")
    city.published(title="Pool closed", body="The pool is closed for repairs.")
    found = find_records(words="library")
    assert sequences(found) == sequences(library.archive_records.all())


def test_every_word_must_appear(city):
    city.published(title="Library hours", body="The library opens at nine.")
    city.published(title="Library closed", body="The library is closed on Sunday.")
    assert find_records(words="library closed").count() == 1
    assert find_records(words="library").count() == 2


def test_words_are_found_in_what_a_record_says_never_in_its_field_names_or_escapes(db):
    """The stored form is JSON: its keys, the envelope's fields and its escapes (a quote, a new
    line) are not words of the record, on PostgreSQL or on SQLite."""
    said = append(
        kind="published",
        payload={"post": {"title": "Budget hearing", "body": 'The mayor said "welcome"\nopened'}},
    )
    for word in ("title", "body", "post", "payload", "sequence", "previous_digest", "published"):
        assert not find_records(words=word).exists(), word
    # The stored text has `\nopened` (an escaped new line, then "opened").
    assert not find_records(words="nopened").exists()
    for word in ("welcome", "opened", "budget", "Hearing"):
        assert sequences(find_records(words=word)) == [said.sequence], word


def test_results_come_newest_first_and_are_not_loaded_all_at_once(city):
    first = append(kind="published", payload={"text": "council meeting"})
    second = append(kind="published", payload={"text": "council agenda"})
    found = find_records(words="council")
    assert found._result_cache is None  # a lazy queryset: the caller streams it
    assert sequences(found.iterator()) == [second.sequence, first.sequence]


def test_dates_are_whole_days_in_the_city_time_zone(db):
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        early = append(kind="published", payload={"text": "a"})
    with time_machine.travel(datetime.datetime(2026, 3, 3, 12, 0, tzinfo=datetime.UTC), tick=False):
        late = append(kind="published", payload={"text": "b"})
    day = early.recorded_at.astimezone().date()
    assert early in find_records(date_from=day, date_to=day)
    assert late not in find_records(date_from=day, date_to=day)
    assert sequences(find_records(date_from=late.recorded_at)) == [late.sequence]


def test_channel_category_author_and_kind_narrow_the_search(city, publish):
    news = city.published(title="Traffic on Main", category="traffic")
    publish(title="Library hours", author=city.supervisor, approver=city.supervisor2)
    record = news.archive_records.get()
    assert list(find_records(category="traffic")) == [record]
    assert list(find_records(author=city.poster)) == [record]
    assert list(find_records(author="poster")) == [record]
    assert find_records(channel=city.website).count() == 2
    assert find_records(channel="city-website").count() == 2
    assert find_records(channel=city.mastodon).count() == 0
    assert find_records(kind=ArchiveRecord.Kind.REMOVED).count() == 0
    assert find_records(kind=[ArchiveRecord.Kind.PUBLISHED]).count() == 2


def test_a_saved_search_finds_the_same_records(city):
    city.published(title="Traffic on Main", category="traffic")
    saved = search_arguments(
        words="main", category="traffic", date_from=datetime.date(2020, 1, 1), channel=city.website
    )
    assert saved == {
        "words": "main",
        "category": "traffic",
        "date_from": "2020-01-01",
        "channel": city.website.pk,
    }
    assert list(find_saved(saved)) == list(find_records(words="main", category="traffic"))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search and its GIN index exist only on PostgreSQL; SQLite matches words",
)
def test_postgresql_matches_word_forms_phrases_and_exclusions(city):
    city.published(title="Libraries", body="Both libraries open late.")
    assert find_records(words="library").count() == 1  # stemmed: library matches libraries
    assert find_records(words='"open late"').count() == 1
    assert find_records(words="library -late").count() == 0


def test_the_archive_page_runs_as_many_queries_for_many_records_as_for_few(city, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    city.sign_in_client(client, "clerk")
    url = reverse("retention:index")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"words": "pothole"}).status_code == 200
        return len(captured)

    city.published(body="Pothole repairs on Elm.")
    few = queries()
    for street in ("Oak", "Ash", "Fir"):
        city.published(body=f"Pothole repairs on {street}.")
    assert queries() == few


def test_the_archive_page_explains_a_bad_search(city, client):
    from django.urls import reverse

    city.sign_in_client(client, "clerk")
    response = client.get(
        reverse("retention:index"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()


def test_the_archive_page_is_refused_to_staff(city, client):
    from django.urls import reverse

    city.sign_in_client(client, "staff")
    assert client.get(reverse("retention:index"), {"words": "x"}).status_code == 403


# --- By incident (702.4.1) ------------------------------------------------------------

ACCURACY = {"source": "Fire dispatch, call 26-1187", "verified_by": "Battalion Chief R. Ortiz"}


def open_incident(city, title):
    from posting.models import Incident, IncidentKind

    return Incident.open(
        by=city.mayor,
        title=title,
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="severe",
        area="Oak Street between 3rd and 5th Avenue",
        channels=[city.website],
        compilers=[city.poster],
    )


def published_update(city, incident, body):
    """A compiler's update, approved by a supervisor and published on the website."""
    from posting.models import IncidentUpdate
    from posting.platforms import PublishResult
    from posting.publishing import record_success

    update = IncidentUpdate.release_new(
        incident=incident, by=city.poster, equipment=city.kit(city.poster), body=body, **ACCURACY
    )
    post = update.post
    if not post.publications.exists():
        city.approve(post)
    publication = post.publications.get()
    record_success(publication, PublishResult(f"news-{post.pk}", "http://127.0.0.1/news/", {}))
    post.settle()
    return update


@pytest.fixture
def incidents(city):
    gas = open_incident(city, "Gas leak")
    published_update(city, gas, "Crews are still working on the gas leak near Oak Street.")
    flood = open_incident(city, "Flooding")
    city.published(title="Library hours")
    return {"gas": gas, "flood": flood}


def test_702_4_1_an_incident_finds_its_posts_records_and_its_own(incidents):
    gas = incidents["gas"]
    found = find_records(incident=gas)
    assert sorted(record.kind for record in found) == [
        ArchiveRecord.Kind.INCIDENT_OPENED,
        ArchiveRecord.Kind.INCIDENT_UPDATE,
        ArchiveRecord.Kind.PUBLISHED,
    ]
    for record in found:
        if record.post:
            assert record.post.incident == gas
        else:
            assert record.payload["incident"]["id"] == gas.pk
    assert sequences(find_records(incident=gas.pk)) == sequences(found)
    assert sequences(find_records(incident=str(gas.pk))) == sequences(found)


def test_702_4_1_another_incidents_records_and_other_posts_are_left_out(incidents):
    flood = incidents["flood"]
    (opened,) = find_records(incident=flood)
    assert opened.kind == ArchiveRecord.Kind.INCIDENT_OPENED
    assert opened.payload["incident"]["id"] == flood.pk
    assert not find_records(incident=incidents["gas"], words="library").exists()


def test_an_incident_search_narrows_with_the_other_filters(incidents):
    gas = incidents["gas"]
    (published,) = find_records(incident=gas, kind=ArchiveRecord.Kind.PUBLISHED)
    assert published.post.incident == gas
    assert find_records(incident=gas, words="crews").count() == 2  # the update and its post
    assert find_records(incident=gas, category="announcement").count() == 0


def test_a_saved_incident_search_finds_the_same_records_and_reads_in_words(incidents):
    gas = incidents["gas"]
    saved = search_arguments(incident=gas, kind=ArchiveRecord.Kind.PUBLISHED)
    assert saved == {"incident": gas.pk, "kind": "published"}
    assert list(find_saved(saved)) == list(find_records(incident=gas, kind="published"))
    assert describe_saved(saved) == "incident Gas leak; kind of record Published version"


def test_the_archive_page_searches_by_incident(incidents, client, city):
    from django.urls import reverse

    city.sign_in_client(client, "clerk")
    page = client.get(reverse("retention:index"), {"incident": incidents["gas"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 records." in html
    assert "Gas leak (opened " in html  # the incident as the filter offers it
    assert "Library hours" not in html


def test_the_archive_page_explains_an_unknown_incident(city, client):
    from django.urls import reverse

    city.sign_in_client(client, "clerk")
    response = client.get(reverse("retention:index"), {"incident": "999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_legal_hold_may_cover_an_incident(incidents, city):
    from retention.forms import LegalHoldForm

    gas = incidents["gas"]
    form = LegalHoldForm(
        {
            "matter": "Oak Street gas leak claim",
            "reason": "A claim is expected.",
            "incident": gas.pk,
        }
    )
    assert form.is_valid(), form.errors
    assert form.saved() == {"incident": gas.pk}
    assert list(find_saved(form.saved())) == list(find_records(incident=gas))
