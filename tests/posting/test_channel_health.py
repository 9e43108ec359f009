"""Delivery that spares a struggling platform and never guesses (702.2).

A channel's pace is shared by every worker; a platform that keeps failing is given a rest
while the other channels go on; when a platform's answer is lost and nothing can tell
whether the post was made, a person decides; permanent errors are told to the author and
the channel's owner in plain words. The publishing code runs for real against the fake
platforms on 127.0.0.1; only the clock is moved.
"""

import json
from datetime import timedelta

import pytest
import requests
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Authorization
from posting.models import Channel, ChannelHealth, PostState, Publication
from posting.platforms.facebook import DEFAULT_THROTTLE_WAIT, usage_pause
from posting.publishing import claim, deliver, mark_sent
from posting.sandbox.facebook import FakeFacebook
from posting.sandbox.x import FakeX
from posting.tasks import STALLED_AFTER, sweep_stalled_publications
from retention.models import ArchiveRecord


def approved(city, channels, body=None):
    post = city.submitted(channels=channels, body=body)
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    return post


def delivery(post, channel) -> Publication:
    return post.publications.get(channel=channel)


def deliver_now(publication: Publication) -> Publication:
    deliver(publication.pk)
    publication.refresh_from_db()
    return publication


def later(seconds: float):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True)


@pytest.fixture
def x_channel(city, monkeypatch, settings):
    settings.PLATFORM_HTTP_TIMEOUT = 5
    fake = FakeX(port=0, token="x-token").start()
    monkeypatch.setenv("CITY_X_TOKEN", "x-token")
    channel = Channel.objects.create(
        name="City on X",
        slug="city-x",
        platform="x",
        api_base_url=fake.base_url,
        credentials_ref="CITY_X_TOKEN",
        owner=city.mayor,
    )
    Authorization.grant(user=city.poster, channels=[channel], by=city.mayor)
    yield channel, fake
    fake.stop()


@pytest.fixture
def facebook_channel(city, monkeypatch, settings):
    settings.PLATFORM_HTTP_TIMEOUT = 5
    fake = FakeFacebook(port=0, token="fb-token").start()
    monkeypatch.setenv("CITY_FB_TOKEN", "fb-token")
    channel = Channel.objects.create(
        name="City on Facebook",
        slug="city-facebook",
        platform="facebook",
        api_base_url=fake.base_url,
        credentials_ref="CITY_FB_TOKEN",
        owner=city.mayor,
    )
    Authorization.grant(user=city.poster, channels=[channel], by=city.mayor)
    yield channel, fake
    fake.stop()


# --- The shared pace ------------------------------------------------------------------


def test_a_channels_pace_is_shared_and_a_post_over_it_waits_without_using_an_attempt(
    city, fake_mastodon
):
    Channel.objects.filter(pk=city.mastodon.pk).update(rate_limit_per_minute=2)
    posts = [
        approved(city, [city.mastodon], body=f"Leaf pickup on route {n} this week.")
        for n in range(3)
    ]
    first, second, third = (deliver_now(delivery(p, city.mastodon)) for p in posts)

    assert first.status == second.status == Publication.Status.PUBLISHED
    assert third.status == Publication.Status.RETRYING
    assert third.attempts == 0  # waiting its turn is not a failed attempt
    assert "posting pace" in third.last_error
    wait = (third.next_attempt_at - timezone.now()).total_seconds()
    assert 20 < wait <= 30  # two a minute: the next slot is half a minute after the first
    assert len(fake_mastodon.statuses) == 2

    with later(31):
        assert deliver_now(third).status == Publication.Status.PUBLISHED
    assert len(fake_mastodon.statuses) == 3


def test_a_platforms_own_reset_holds_every_post_on_that_channel(city, fake_mastodon):
    fake_mastodon.fail_next(429, count=1)  # X-RateLimit-Reset 5 seconds ahead
    limited = deliver_now(delivery(approved(city, [city.mastodon]), city.mastodon))
    assert limited.status == Publication.Status.RETRYING
    assert (limited.next_attempt_at - timezone.now()).total_seconds() >= 4

    other = approved(city, [city.mastodon, city.website], body="Library opens late Monday.")
    held = deliver_now(delivery(other, city.mastodon))
    assert held.status == Publication.Status.RETRYING  # not sent into the platform's limit
    assert deliver_now(delivery(other, city.website)).status == Publication.Status.PUBLISHED
    assert fake_mastodon.statuses == []


# --- The circuit breaker -----------------------------------------------------------------


def test_a_failing_platform_is_rested_and_a_probe_closes_the_breaker(city, fake_mastodon):
    fake_mastodon.fail_next(500, count=ChannelHealth.BREAKER_THRESHOLD)
    for n in range(ChannelHealth.BREAKER_THRESHOLD):
        post = approved(city, [city.mastodon], body=f"Water main work, block {n}.")
        assert deliver_now(delivery(post, city.mastodon)).status == Publication.Status.RETRYING
    health = ChannelHealth.objects.get(channel=city.mastodon)
    assert health.is_open

    post = approved(city, [city.mastodon, city.website], body="Farmers market moves indoors.")
    requests_before = len(fake_mastodon.requests)
    rested = deliver_now(delivery(post, city.mastodon))
    assert rested.status == Publication.Status.RETRYING
    assert "paused for a moment so the other channels are not held up" in rested.last_error
    assert len(fake_mastodon.requests) == requests_before  # the platform was left alone
    assert deliver_now(delivery(post, city.website)).status == Publication.Status.PUBLISHED

    with later(ChannelHealth.BREAKER_COOLDOWN.total_seconds() + 1):
        assert deliver_now(rested).status == Publication.Status.PUBLISHED
    health.refresh_from_db()
    assert not health.is_open and health.consecutive_failures == 0


# --- When nothing can tell whether the post was made ----------------------------------


def test_a_lost_answer_on_x_that_cannot_be_checked_waits_for_a_person(
    city, x_channel, django_capture_on_commit_callbacks
):
    channel, fake = x_channel
    fake.drop_next(1)  # X makes the post, then the connection closes without an answer
    post = approved(city, [channel])
    lost = deliver_now(delivery(post, channel))
    assert lost.status == Publication.Status.RETRYING and lost.outcome_unknown

    fake.fail_next(503, count=10, method="GET", path="/2/users/:id/tweets")
    mail.outbox.clear()
    with (
        later(lost.next_attempt_at.timestamp() - timezone.now().timestamp() + 1),
        django_capture_on_commit_callbacks(execute=True),
    ):
        parked = deliver_now(lost)
    assert parked.status == Publication.Status.NEEDS_HUMAN
    assert "could not be read" in parked.last_error
    assert len(fake.posts) == 1  # never sent a second time on a guess
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING  # not failed: someone has to look
    assert {city.poster.email, city.mayor.email} <= set(mail.outbox[0].to)
    assert "will not send it again by itself" in mail.outbox[0].body

    with pytest.raises(PermissionDenied):
        parked.confirm_on_platform(by=city.staff, remote_url="https://x.com/city/status/1")
    link = f"https://x.com/CitySandbox/status/{fake.posts[0]['id']}"
    parked.confirm_on_platform(by=city.poster, remote_url=link)
    parked.refresh_from_db()
    assert parked.status == Publication.Status.PUBLISHED and parked.remote_url == link
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    record = ArchiveRecord.objects.get(publication=parked)
    assert record.payload["platform_response"]["confirmed_by_person"] == city.poster.username


def test_a_worker_lost_mid_publish_on_facebook_is_checked_then_sent_by_a_person(
    city, facebook_channel, client
):
    channel, fake = facebook_channel
    post = approved(city, [channel])
    mark_sent(claim(delivery(post, channel).pk))  # a worker sent it, then died unanswered
    with later(STALLED_AFTER.total_seconds() + 1):
        sweep_stalled_publications()
    reclaimed = delivery(post, channel)
    assert reclaimed.status == Publication.Status.QUEUED and reclaimed.outcome_unknown

    fake.fail_next(500, count=1, method="GET", path="/:id/posts")
    assert deliver_now(reclaimed).status == Publication.Status.NEEDS_HUMAN

    resolve = reverse("posting:resolve", args=[post.pk, reclaimed.pk])
    city.sign_in_client(client, "staff")
    assert client.post(resolve, {"found": "no"}).status_code == 403
    assert delivery(post, channel).status == Publication.Status.NEEDS_HUMAN

    city.sign_in_client(client, "poster")
    page = client.get(post.get_absolute_url())
    assert b"It is not there: send it" in page.content
    assert client.post(resolve, {"found": "no"}).status_code == 302
    sent = deliver_now(delivery(post, channel))
    assert sent.status == Publication.Status.PUBLISHED
    assert len(fake.posts) == 1


def test_a_person_must_give_the_link_when_recording_a_post_as_published(
    city, facebook_channel, client
):
    channel, fake = facebook_channel
    post = approved(city, [channel])
    mark_sent(claim(delivery(post, channel).pk))
    with later(STALLED_AFTER.total_seconds() + 1):
        sweep_stalled_publications()
    fake.fail_next(500, count=1, method="GET", path="/:id/posts")
    parked = deliver_now(delivery(post, channel))

    city.sign_in_client(client, "poster")
    resolve = reverse("posting:resolve", args=[post.pk, parked.pk])
    response = client.post(resolve, {"found": "yes", "remote_url": "not a link"}, follow=True)
    assert b"Paste the link of the post on the platform." in response.content
    assert delivery(post, channel).status == Publication.Status.NEEDS_HUMAN


# --- Permanent errors are told --------------------------------------------------------


def test_a_permanent_error_is_told_to_the_author_and_the_channel_owner(
    city, fake_mastodon, django_capture_on_commit_callbacks
):
    Channel.objects.filter(pk=city.mastodon.pk).update(owner=city.supervisor2)
    fake_mastodon.fail_next(422, body={"error": "Validation failed: Text is too long"})
    post = approved(city, [city.mastodon])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        failed = deliver_now(delivery(post, city.mastodon))
    assert failed.status == Publication.Status.FAILED
    (message,) = mail.outbox
    assert set(message.to) == {city.poster.email, city.supervisor2.email}
    assert "Validation failed: Text is too long" in message.body
    assert "will not be tried again by itself" in message.body


# --- Facebook's usage headers ----------------------------------------------------------------


def test_facebook_usage_near_its_limit_slows_the_channel_before_facebook_throttles_it(
    city, facebook_channel
):
    channel, fake = facebook_channel
    # A busy hour on the Page: 170 calls of the fake's 200-call budget. Every answer, the
    # successful ones too, says how much is spent (X-App-Usage, X-Page-Usage, X-BUC-Usage).
    for _ in range(170):
        requests.get(
            f"{fake.base_url}/me", headers={"Authorization": "Bearer fb-token"}, timeout=5
        ).raise_for_status()
    first = approved(city, [channel], body="The pool is closed for cleaning today.")
    assert deliver_now(delivery(first, channel)).status == Publication.Status.PUBLISHED

    second = approved(city, [channel], body="The library opens late on Monday.")
    waiting = deliver_now(delivery(second, channel))
    assert waiting.status == Publication.Status.RETRYING
    assert waiting.attempts == 0 and "posting pace" in waiting.last_error
    rest = (waiting.next_attempt_at - timezone.now()).total_seconds()
    assert 200 < rest <= 600  # at 85% of the budget: about four minutes
    assert len(fake.posts) == 1


def test_the_rest_grows_as_facebooks_usage_nears_its_limit():
    def usage(percent, regain=0):
        page = {"call_count": percent, "total_cputime": 1, "total_time": 1}
        business = {"1": [{**page, "estimated_time_to_regain_access": regain}]}
        return {"X-Page-Usage": json.dumps(page), "X-Business-Use-Case-Usage": json.dumps(business)}

    assert usage_pause(usage(50)) is None  # far from the limit: full speed
    rests = [usage_pause(usage(p)) for p in (80, 90, 99)]
    assert rests == sorted(rests) and 0 < rests[0] < rests[-1] < DEFAULT_THROTTLE_WAIT
    assert usage_pause(usage(100)) == DEFAULT_THROTTLE_WAIT
    assert usage_pause(usage(60, regain=3)) == 180  # Facebook's own estimate wins
    assert usage_pause({"X-App-Usage": "not json"}) is None
