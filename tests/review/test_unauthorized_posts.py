"""Unauthorized-post detection (702.5, 702.5(g)): CitySocial reads each channel's recent posts
back from the platform; a post that did not come through CitySocial, or whose text is no longer
what was approved, opens a report for the channel's supervisor, once per post, and removing it
deletes it on the platform after the archive captures it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from posting import publishing
from posting.models import PostState, Publication
from posting.platforms.bluesky import forget_sessions
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from review import tasks
from review.oversight_models import ContentReport
from review.reports import GRACE, check_channel_posts, file_report

pytestmark = pytest.mark.django_db

REASON = "Nobody in the City posted this: the account's password was used (702.5(g))."


def later():
    """Past the grace period left for posts our own worker has just made."""
    return time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1), tick=False)


def detect(channel, times=1):
    with later():
        for _ in range(times):
            check_channel_posts(channel.pk)
    return ContentReport.objects.filter(channel=channel, source=ContentReport.Source.DETECTED)


@pytest.fixture
def fresh_sessions():
    forget_sessions()
    yield
    forget_sessions()


def test_702_5_g_a_post_made_outside_citysocial_is_reported_once_on_every_platform(
    platforms, django_capture_on_commit_callbacks, fresh_sessions
):
    for platform in platforms.all:
        platform.fake.post_as_account(f"Free concert tickets from the City on {platform.name}!")

    with django_capture_on_commit_callbacks(execute=True):
        found = {
            platform.name: list(detect(platform.channel, times=3)) for platform in platforms.all
        }

    for platform in platforms.all:
        [report] = found[platform.name]
        assert (report.concern, report.state, report.post) == ("unauthorized", "open", None)
        assert report.remote_id == platform.remote_ids()[0]
        assert report.remote_text.startswith("Free concert tickets from the City")
        assert "did not come through CitySocial" in report.reason
        assert report.assigned_to is not None
    assert len(mail.outbox) == 4  # one alert per post, however often the job ran
    assert all("possibly unauthorized post (702.5(g))" in m.body for m in mail.outbox)
    filed = ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.CONTENT_REPORT)
    assert filed.count() == 4


def test_702_5_removing_a_detected_post_deletes_it_on_the_platform_after_capturing_it(
    platforms, fresh_sessions
):
    for platform in (platforms.mastodon, platforms.bluesky, platforms.facebook, platforms.x):
        platform.fake.post_as_account("Not the City's words.")
        [report] = detect(platform.channel)
        report.remove_from_public_view(by=report.assigned_to, reason=REASON)

        report.refresh_from_db()
        assert report.state == ContentReport.State.REMOVED
        assert platform.remote_ids() == [], platform.name
        records = ArchiveRecord.objects.filter(
            channel=platform.channel, payload__content_report__id=report.pk
        ).order_by("sequence")
        assert [r.kind for r in records] == [
            "content_report",
            "captured_before_removal",
            "removed",
            "content_report",
        ]
        captured = records[1].payload
        assert captured["platform_copy"] is not None, platform.name
        assert records[2].payload["platform_response"]["result"] == (
            "Deleted through the platform's API."
        )
        assert records[1].retention.series.code == "OVERSIGHT"
    assert verify_chain().intact


def test_702_5_g_a_text_edited_on_the_platform_after_approval_is_flagged(city, fake_mastodon):
    post = city.submitted(channels=[city.mastodon])
    city.approve(post)
    publication = post.publications.get()
    publishing.deliver(publication.pk)
    publication.refresh_from_db()
    assert not detect(city.mastodon).exists()  # the same words as approved: nothing to report

    fake_mastodon.edit_post(publication.remote_id, "Potholes? Not our problem. Call the state.")
    [report] = detect(city.mastodon, times=2)

    assert (report.post, report.remote_id) == (post, publication.remote_id)
    assert "changed there after approval" in report.reason
    assert report.remote_text == "Potholes? Not our problem. Call the state."
    assert report.assigned_to == city.supervisor  # the author's supervisor


def test_a_post_our_worker_is_still_sending_is_not_reported(city, fake_mastodon):
    post = city.submitted(channels=[city.mastodon])
    city.approve(post)
    publication = post.publications.get()
    # The platform made it, but its answer was lost: the publication waits for a person.
    fake_mastodon.post_as_account(post.body)
    Publication.objects.filter(pk=publication.pk).update(status=Publication.Status.NEEDS_HUMAN)
    assert not detect(city.mastodon).exists()


def test_a_post_an_employee_already_reported_by_its_link_is_not_reported_again(city, fake_mastodon):
    made = fake_mastodon.post_as_account("Posted in the app.")
    file_report(by=city.staff, concern="unauthorized", reason="Who posted this?", link=made["url"])
    assert not detect(city.mastodon).exists()
    assert ContentReport.objects.count() == 1


def test_a_post_made_just_now_waits_for_the_next_round(city, fake_mastodon):
    fake_mastodon.post_as_account("Made a moment ago.")
    check_channel_posts(city.mastodon.pk)
    assert not ContentReport.objects.exists()
    assert detect(city.mastodon).count() == 1


def test_what_the_account_posted_before_it_was_entered_into_citysocial_is_not_reported(
    city, fake_mastodon
):
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        fake_mastodon.post_as_account("An old post from before CitySocial.")
    assert not detect(city.mastodon).exists()


def test_the_beat_job_reads_every_active_channel_through_the_worker_tasks(city, fake_mastodon):
    assert settings.CELERY_BEAT_SCHEDULE["detect-unauthorized-posts"]["task"] == (
        "review.tasks.detect_unauthorized_posts"
    )
    fake_mastodon.post_as_account("Posted in the app.")
    with later():
        assert tasks.check_channel_posts(city.mastodon.pk) == 1
        assert tasks.check_channel_posts(city.mastodon.pk) == 0
    city.mastodon.is_active = False
    city.mastodon.save()
    assert tasks.check_channel_posts(city.mastodon.pk) == 0


def test_a_platform_that_cannot_be_read_opens_no_report(city, fake_mastodon):
    fake_mastodon.post_as_account("Posted in the app.")
    fake_mastodon.fail_next(503, method="GET", path="/api/v1/accounts/verify_credentials")
    assert not detect(city.mastodon).exists()
    post = city.published()  # the website holds only what CitySocial published
    assert post.state == PostState.PUBLISHED and not detect(city.website).exists()
