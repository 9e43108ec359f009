"""Publishing happens in a real Celery worker process, after the approval commits (702.3, 702.7)."""

import pytest

from posting.models import PostState, Publication
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from tests.conftest import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def settled(post):
    def check():
        post.refresh_from_db()
        return post.state in {PostState.PUBLISHED, PostState.FAILED}

    return check


def test_an_approved_post_is_published_by_the_worker_and_archived(city, celery_worker_process):
    post = city.submitted()
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor), comment="Approved.")
    wait_for(settled(post), message="the worker to publish")
    assert post.state == PostState.PUBLISHED
    mastodon = post.publications.get(channel=city.mastodon)
    status = city_fake_status(mastodon)
    assert status["content"] == f"<p>{post.body}</p>"
    records = ArchiveRecord.objects.filter(post=post)
    assert records.count() == 2
    assert all(record.digest_matches() for record in records)
    record = records.get(channel=city.mastodon)
    assert record.payload["platform_response"]["id"] == mastodon.remote_id
    assert record.payload["approvals"][0]["reviewer"]["username"] == "supervisor"
    assert verify_chain().intact


def city_fake_status(publication):
    import requests

    from tests.conftest import SANDBOX_TOKEN

    response = requests.get(
        f"{publication.channel.api_base_url}/api/v1/statuses/{publication.remote_id}",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def test_a_refusal_fails_the_channel_with_its_message_and_a_retry_publishes_once(
    city, fake_mastodon, celery_worker_process
):
    fake_mastodon.fail_next(422, count=1, body={"error": "Validation failed: Text is too long"})
    post = city.submitted()
    city.approve(post)
    wait_for(settled(post), message="the publication to fail")
    assert post.state == PostState.FAILED
    failed = post.publications.get(channel=city.mastodon)
    assert failed.status == Publication.Status.FAILED
    assert "Mastodon answered 422: Validation failed: Text is too long" in failed.last_error
    assert failed.attempts == 1  # a refusal is not retried by itself
    assert post.publications.get(channel=city.website).status == Publication.Status.PUBLISHED

    post.retry_failed(by=city.poster)
    wait_for(settled(post), message="the retry to publish")
    assert post.state == PostState.PUBLISHED
    assert len(fake_mastodon.statuses) == 1


def test_a_platform_that_answers_500_twice_then_200_gets_exactly_one_post(
    city, fake_mastodon, celery_worker_process
):
    fake_mastodon.fail_next(500, count=2, body={"error": "Internal server error"})
    post = city.submitted()
    city.approve(post)
    wait_for(settled(post), timeout=60, message="the retries to publish")
    assert post.state == PostState.PUBLISHED
    mastodon = post.publications.get(channel=city.mastodon)
    assert mastodon.attempts == 3
    assert len(fake_mastodon.statuses) == 1


def test_a_429_waits_for_the_platforms_reset_and_other_channels_are_not_held_up(
    city, fake_mastodon, celery_worker_process
):
    fake_mastodon.fail_next(429, count=1)  # the fake's X-RateLimit-Reset is 5 seconds ahead
    post = city.submitted()
    city.approve(post)
    approved_at = post.transitions.get(to_state=PostState.PUBLISHING).at
    wait_for(settled(post), timeout=60, message="the rate-limited channel to publish")
    website = post.publications.get(channel=city.website)
    mastodon = post.publications.get(channel=city.mastodon)
    assert (website.published_at - approved_at).total_seconds() < 3
    assert (mastodon.published_at - approved_at).total_seconds() >= 4
    assert len(fake_mastodon.statuses) == 1


def test_the_worker_refuses_a_post_whose_author_was_revoked_while_it_waited(city, fake_mastodon):
    """702.3, re-checked at send time: approved and queued, then the author is revoked."""
    from tests.conftest import start_worker, stop_worker

    post = city.submitted()
    city.approve(post)  # released: the publications wait in the broker, no worker yet
    city.poster.authorizations.get().revoke(by=city.mayor, reason="Left the city.")
    worker = start_worker()
    try:
        wait_for(settled(post), message="the worker to refuse")
    finally:
        stop_worker(worker)
    assert post.state == PostState.FAILED
    assert all("no longer authorized" in p.last_error for p in post.publications.all())
    assert fake_mastodon.statuses == []
