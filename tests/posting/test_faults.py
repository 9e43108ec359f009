"""Publishing when the outside world fails: an approved post reaches each channel once (702.2).

A real Celery worker process publishes to the fake platforms on 127.0.0.1, which fail on cue:
errors, rate limits with each platform's own reset signal, answers lost after the write, a
platform that is down. The tests that kill workers or stop the broker do it on a Redis and
workers of their own (tests/posting/conftest.py), never on the machine's shared services.
"""

import json
import math
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from posting.models import PostState, Publication
from posting.sandbox.facebook import THROTTLE_MESSAGES, graph_error
from posting.tasks import STALLED_AFTER, sweep_stalled_publications
from retention.models import ArchiveRecord
from tests.conftest import wait_for
from tests.posting.conftest import spare_port, wait_until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def settled(post):
    def check():
        post.refresh_from_db()
        return post.state in {PostState.PUBLISHED, PostState.FAILED}

    return check


def approved(city, channels, **kwargs):
    post = city.submitted(channels=channels, **kwargs)
    city.approve(post)
    return post


def publication(post, platform) -> Publication:
    return post.publications.get(channel=platform.channel)


def assert_published_once(post, platform):
    """The platform holds exactly one post, the one the publication recorded, archived once."""
    delivery = publication(post, platform)
    assert delivery.status == Publication.Status.PUBLISHED, delivery.last_error
    assert platform.remote_ids() == [delivery.remote_id], platform.name
    assert ArchiveRecord.objects.filter(post=post, channel=platform.channel).count() == 1  # 702.7


def sweep_when_stalled():
    """The beat's sweeper, run once the rows have waited untouched past STALLED_AFTER."""
    later = timezone.now() + STALLED_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        return sweep_stalled_publications()


def sleep_until(moment: float):
    time.sleep(max(0.0, moment - time.time()))


# --- Errors, rate limits, lost answers ------------------------------------------------


def test_a_platform_that_fails_twice_then_takes_the_post_holds_it_once(city, platforms, worker):
    bluesky, facebook, x = platforms.bluesky, platforms.facebook, platforms.x
    bluesky.fake.fail_next(500, count=2)  # InternalServerError, the PDS's own body
    facebook.fake.fail_next(500, count=2)  # Graph code 2, "An unexpected error has occurred"
    x.fake.fail_next(500, count=2)

    post = approved(city, [bluesky.channel, facebook.channel, x.channel])
    wait_for(settled(post), timeout=60, message="the retries to publish")

    assert post.state == PostState.PUBLISHED
    for platform in (bluesky, facebook, x):
        assert_published_once(post, platform)
        assert len(platform.post_requests()) == 3
        assert publication(post, platform).attempts == 3


def test_a_rate_limit_waits_for_each_platforms_own_reset_and_the_website_does_not(
    city, platforms, worker
):
    bluesky, facebook, x = platforms.bluesky, platforms.facebook, platforms.x
    # Bluesky and X give the reset in epoch seconds; four seconds ahead is well past the first
    # backoff (at most 2 s), so a retry that ignored the reset would come before it.
    reset_at = math.ceil(time.time()) + 4
    bluesky.fake.fail_next(
        429, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset_at)}
    )
    x.fake.fail_next(
        429, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset_at)}
    )
    # Facebook throttles with an error code, and its usage headers say in how many minutes it
    # serves again. It counts whole minutes; a fifteenth of one keeps the test short.
    usage = {"type": "pages", "call_count": 100, "total_cputime": 30, "total_time": 30}
    regain = {facebook.fake.page_id: [{**usage, "estimated_time_to_regain_access": 1 / 15}]}
    facebook.fake.fail_next(
        400,
        body=graph_error(80001, THROTTLE_MESSAGES[80001]).payload,
        headers={"X-Business-Use-Case-Usage": json.dumps(regain)},
    )

    post = approved(city, [city.website, bluesky.channel, facebook.channel, x.channel])
    facebook_reset_at = not_after_the_first_post_request(facebook) + 4

    # Looked at half a second early, so that a slow test process does not see the retry
    # that rightly came after the reset.
    sleep_until(reset_at - 0.5)
    assert len(bluesky.post_requests()) == len(x.post_requests()) == 1
    sleep_until(facebook_reset_at - 0.5)
    assert len(facebook.post_requests()) == 1

    wait_for(settled(post), timeout=30, message="the rate-limited channels to publish")
    assert post.state == PostState.PUBLISHED
    website = post.publications.get(channel=city.website)
    assert website.published_at.timestamp() < reset_at  # it did not wait for the others
    for platform in (bluesky, facebook, x):
        assert_published_once(post, platform)
        assert len(platform.post_requests()) == 2


def not_after_the_first_post_request(platform, timeout=10.0) -> float:
    """A moment at or before the platform received its first post request: the last time
    the test saw it without one."""
    deadline = time.monotonic() + timeout
    seen_without = time.time()
    while time.monotonic() < deadline:
        moment = time.time()
        if platform.post_requests():
            return seen_without
        seen_without = moment
        time.sleep(0.01)
    raise AssertionError(f"{platform.name} received no post within {timeout}s.")


def test_an_answer_lost_after_the_platform_made_the_post_does_not_make_a_second(
    city, platforms, worker
):
    for platform in platforms.all:
        platform.fake.drop_next()  # the write is carried out, then the connection is closed

    post = approved(city, [platform.channel for platform in platforms.all])
    wait_for(settled(post), timeout=30, message="the retries to publish")

    assert post.state == PostState.PUBLISHED
    for platform in platforms.all:
        assert_published_once(post, platform)
        assert publication(post, platform).attempts == 2
    mastodon, bluesky, facebook, x = platforms.all
    # Mastodon was sent the post again under the same Idempotency-Key and gave back the first.
    keys = [request.headers["Idempotency-Key"] for request in mastodon.post_requests()]
    assert len(keys) == 2 and keys[0] == keys[1]
    # Bluesky: the record key chosen before sending found the post (getRecord); its thread
    # gate was added then (702.5.1: nobody may reply).
    assert len(bluesky.post_requests()) == 1
    assert bluesky.fake.posts[0]["threadgate"]["allow"] == []
    # Facebook and X have no idempotency key: the retry read the recent posts and found it.
    assert len(facebook.post_requests()) == len(x.post_requests()) == 1


def test_a_503_with_requests_left_in_the_window_is_retried_after_a_short_backoff(
    city, platforms, worker
):
    bluesky, x = platforms.bluesky, platforms.x
    window_resets_at = str(math.ceil(time.time()) + 600)
    bluesky.fake.fail_next(
        503, headers={"RateLimit-Remaining": "2999", "RateLimit-Reset": window_resets_at}
    )
    x.fake.fail_next(
        503, headers={"x-rate-limit-remaining": "99", "x-rate-limit-reset": window_resets_at}
    )

    post = approved(city, [bluesky.channel, x.channel])
    wait_for(
        lambda: (
            set(post.publications.values_list("status", flat=True)) == {Publication.Status.RETRYING}
        ),
        message="the first attempts to fail",
    )

    waits = {
        str(delivery.channel): delivery.next_attempt_at - delivery.updated_at
        for delivery in post.publications.all()
    }
    assert all(wait < timedelta(seconds=30) for wait in waits.values()), waits


@pytest.mark.parametrize("outage", ["answers 503 to everything", "refuses connections"])
def test_a_platform_down_for_minutes_does_not_hold_up_the_other_channels(
    city, platforms, worker, outage
):
    down = platforms.facebook
    if outage == "answers 503 to everything":
        for method, path in [("POST", "/:id/feed"), ("GET", "/:id/posts"), ("GET", "/:id")]:
            down.fake.fail_next(503, count=1000, method=method, path=path)
    else:
        down.channel.api_base_url = f"http://127.0.0.1:{spare_port()}/v21.0"
        down.channel.save(update_fields=["api_base_url"])

    post = approved(city, [city.website, city.mastodon, down.channel])
    approved_at = post.transitions.get(to_state=PostState.PUBLISHING).at
    wait_for(
        lambda: publication(post, down).attempts >= 2,
        message=f"the channel that {outage} to be retried",
    )
    second = approved(
        city, [city.mastodon], title="Library hours", body="The library opens at 10 AM today."
    )
    second_approved_at = second.transitions.get(to_state=PostState.PUBLISHING).at
    wait_for(settled(second), timeout=10, message="the second post to publish")

    assert second.state == PostState.PUBLISHED
    assert (second.published_at - second_approved_at).total_seconds() < 5
    for channel in (city.website, city.mastodon):
        on_time = post.publications.get(channel=channel)
        assert on_time.status == Publication.Status.PUBLISHED
        assert (on_time.published_at - approved_at).total_seconds() < 5
    waiting = publication(post, down)
    assert waiting.status in Publication.IN_FLIGHT and waiting.last_error
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    assert down.fake.posts == []


# --- A worker killed mid-publish, a broker stopped during approval ---------------------


@pytest.mark.parametrize("moment", ["before the platforms answer", "after they answered"])
def test_a_worker_killed_mid_publish_is_replaced_and_each_platform_gets_the_post_once(
    city, platforms, private_broker, moment
):
    mastodon, x = platforms.mastodon, platforms.x  # an idempotency key; a look at recent posts
    for platform in (mastodon, x):
        platform.fake.set_latency(3)
    first = private_broker.start_worker()
    wait_until_listening()

    post = approved(city, [mastodon.channel, x.channel])
    wait_for(
        lambda: mastodon.post_requests() and x.post_requests(),
        interval=0.05,
        message="both platforms to receive the post",
    )
    if moment == "before the platforms answer":
        private_broker.kill_worker(first)
        wait_for(
            lambda: mastodon.remote_ids() and x.remote_ids(),
            message="the platforms to make the posts nobody waits for any more",
        )
    else:
        with transaction.atomic():
            # Holding the rows keeps the worker from recording the platforms' answers.
            list(Publication.objects.filter(post=post).order_by("pk").select_for_update())
            wait_for(lambda: mastodon.remote_ids() and x.remote_ids(), message="the answers")
            time.sleep(0.5)  # the worker reads them and waits for the rows
            private_broker.kill_worker(first)
    assert set(post.publications.values_list("status", flat=True)) == {
        Publication.Status.PUBLISHING
    }

    for platform in (mastodon, x):
        platform.fake.set_latency(0)
    private_broker.start_worker()
    wait_until_listening()
    assert sweep_when_stalled() == 2
    wait_for(settled(post), message="the new worker to publish")

    assert post.state == PostState.PUBLISHED
    for platform in (mastodon, x):
        assert_published_once(post, platform)


def test_an_approval_while_the_broker_is_down_commits_and_goes_out_once_it_is_back(
    city, fake_mastodon, private_broker
):
    private_broker.start_worker()
    wait_until_listening()
    private_broker.redis.stop()

    post = city.submitted()
    started = time.monotonic()
    city.approve(post)
    # Not kept waiting on the broker: a refused connection is given up on within seconds.
    assert time.monotonic() - started < 5

    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    assert set(post.publications.values_list("status", flat=True)) == {Publication.Status.QUEUED}

    private_broker.redis.start()
    assert sweep_when_stalled() == 2
    wait_for(settled(post), timeout=60, message="the post to go out once the broker is back")

    assert post.state == PostState.PUBLISHED
    mastodon = post.publications.get(channel=city.mastodon)
    assert [status["id"] for status in fake_mastodon.statuses] == [mastodon.remote_id]
