"""702.7: what the public saw is kept, not only what the city sent. A post edited on the
platform after publishing is captured as a new version, with the platform's raw answer."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from posting import publishing
from posting.models import Publication
from retention import platform_versions, tasks
from retention.archive import verify_chain
from retention.models import ArchiveRecord, PlatformCheck
from tests.conftest import wait_for

PLATFORM_VERSION = ArchiveRecord.Kind.PLATFORM_VERSION


def on_mastodon(city, **kwargs):
    """A post approved and delivered to the fake Mastodon by the real publish path."""
    post = city.submitted(channels=[city.mastodon], **kwargs)
    city.approve(post)
    publication = post.publications.get()
    publishing.deliver(publication.pk)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    return publication


def edit_on_the_platform(fake, publication, text):
    """Someone edits the status on Mastodon itself (the fake keeps its statuses in memory)."""
    with fake._lock:
        status = fake._statuses[int(publication.remote_id)]
        status["text"], status["content"] = text, f"<p>{text}</p>"


@pytest.mark.django_db
def test_a_post_edited_on_the_platform_after_publishing_is_captured_as_a_new_version(
    city, fake_mastodon
):
    publication = on_mastodon(city, title="Pool hours", body="The pool opens at 9 AM.")
    assert platform_versions.check_publication(publication.pk) is None  # as published

    edit_on_the_platform(fake_mastodon, publication, "The pool opens at 10 AM.")
    version = platform_versions.check_publication(publication.pk)

    assert version.kind == PLATFORM_VERSION
    assert version.payload["public_view"]["content"] == "<p>The pool opens at 10 AM.</p>"
    assert version.payload["platform_response"]["id"] == publication.remote_id
    published = publication.archive_records.get(kind=ArchiveRecord.Kind.PUBLISHED)
    assert version.payload["previous_version"] == published.sequence
    assert (version.post, version.publication) == (publication.post, publication)
    assert version.retention.series.code == "SOCIAL-STATEMENTS"  # an announcement
    assert platform_versions.check_publication(publication.pk) is None  # nothing new since
    assert verify_chain().intact


@pytest.mark.django_db
def test_every_further_edit_is_another_version(city, fake_mastodon):
    publication = on_mastodon(city)
    edit_on_the_platform(fake_mastodon, publication, "First edit.")
    first = platform_versions.check_publication(publication.pk)
    edit_on_the_platform(fake_mastodon, publication, "Second edit.")
    second = platform_versions.check_publication(publication.pk)
    assert second.payload["previous_version"] == first.sequence
    assert publication.archive_records.filter(kind=PLATFORM_VERSION).count() == 2


@pytest.mark.django_db
def test_counters_that_change_by_the_minute_are_not_a_new_version(city):
    publication = on_mastodon(city)
    record = publication.archive_records.get()
    raw = {**record.payload["platform_response"], "favourites_count": 12, "replies_count": 3}
    assert platform_versions.public_view("mastodon", raw) == platform_versions.captured_view(record)


@pytest.mark.django_db
def test_a_refusal_from_the_platform_is_noted_and_nothing_is_captured(city, fake_mastodon):
    publication = on_mastodon(city)
    fake_mastodon.fail_next(503, method="GET", path="/api/v1/statuses/:id", count=3)
    assert platform_versions.check_publication(publication.pk) is None
    assert PlatformCheck.objects.get(publication=publication).last_error
    assert not publication.archive_records.filter(kind=PLATFORM_VERSION).exists()


@pytest.mark.django_db
def test_the_job_fetches_the_posts_checked_longest_ago_a_batch_at_a_time(city, publish):
    first, second, third = (on_mastodon(city, title=f"Post {n}") for n in range(3))
    publish(title="On the website only")  # the city's own page: nothing to fetch back
    assert platform_versions.claim_due(batch_size=2) == [first.pk, second.pk]
    assert platform_versions.claim_due(batch_size=2) == [third.pk]
    assert platform_versions.claim_due(batch_size=2) == []
    with time_machine.travel(timezone.now() + platform_versions.CHECK_EVERY, tick=False):
        PlatformCheck.objects.filter(publication=second).update(
            checked_at=timezone.now() - timedelta(hours=7)
        )
        assert platform_versions.claim_due(batch_size=1) == [second.pk]


@pytest.mark.django_db
def test_a_post_taken_down_is_no_longer_fetched(city, take_down):
    publication = on_mastodon(city)
    take_down(publication.post)
    assert platform_versions.claim_due() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_beat_job_has_a_worker_capture_the_edit(city, fake_mastodon, celery_worker_process):
    publication = on_mastodon(city, body="Leaf pickup starts Monday.")
    edit_on_the_platform(fake_mastodon, publication, "Leaf pickup starts Tuesday.")
    assert tasks.fetch_platform_versions() == 1

    def captured():
        return publication.archive_records.filter(kind=PLATFORM_VERSION).exists()

    wait_for(captured, message="the worker to capture the edited post")
    version = publication.archive_records.get(kind=PLATFORM_VERSION)
    assert "Tuesday" in version.payload["public_view"]["content"]
