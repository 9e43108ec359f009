"""Take-down (702.5): a post is removed from public view on every channel it went to.

The supervisor a report reaches (or the Mayor's office, or the Mayor's designee) ensures its
removal, saying why. Each platform deletes it (the City website stops listing it); a post
already gone counts as removed; deliveries that never went out never will; one still being
sent is removed as soon as it lands. The archive keeps the published version, a copy captured
just before removal and the removal itself (702.7).
"""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import requests
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from posting import publishing, removal
from posting.models import Channel, IllegalTransition, Post, PostState, Publication, TakeDown
from posting.platforms.bluesky import forget_sessions
from posting.sandbox.bluesky import FakeBluesky
from posting.sandbox.facebook import FakeFacebook
from posting.sandbox.x import FakeX
from retention.archive import verify_chain
from tests.conftest import SANDBOX_TOKEN, wait_for

REASON = "It names a person under investigation (702.5(c))."
STATUS_PATH = "/api/v1/statuses/:id"
Status = Publication.Status


def published_everywhere(city, **kwargs):
    """Approved, then delivered to the website and the fake Mastodon by the real publish path
    (in this process: the broker only wakes workers, and none runs here)."""
    post = city.submitted(**kwargs)
    city.approve(post)
    for publication in post.publications.all():
        publishing.deliver(publication.pk)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    return post


def remove_all(post):
    """What the workers do once the take-down commits."""
    for publication in post.publications.filter(status=Status.REMOVING):
        removal.remove(publication.pk)


def statuses(post):
    return {p.channel.slug: p.status for p in post.publications.select_related("channel")}


def kinds(post):
    return sorted(post.archive_records.values_list("kind", flat=True))


def requests_to(fake, method):
    return [r for r in fake.requests if r.method == method]


# --- Who may take a post down, and why ------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "poster", "clerk", "it"])
def test_only_a_supervisor_the_mayors_office_or_a_designee_may_take_a_post_down(city, who):
    post = city.published()
    with pytest.raises(PermissionDenied, match="report it to your supervisor"):
        post.take_down(by=city.people[who], reason=REASON)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert not TakeDown.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor", "supervisor2", "mayor", "designee"])
def test_a_supervisor_the_mayors_office_and_the_designee_may_take_a_post_down(city, who):
    post = city.published()
    take_down = post.take_down(by=city.people[who], reason=REASON)
    assert (take_down.requested_by, take_down.reason) == (city.people[who], REASON)
    move = post.transitions.last()
    assert (move.from_state, move.to_state, move.actor) == (
        "published",
        "removed",
        take_down.requested_by,
    )
    assert move.reason == f"Taken down (702.5): {REASON}"


@pytest.mark.django_db
def test_the_designee_acts_only_within_the_designations_scope(city):
    """The demo designee acts for Public Works; the supervisor works in Communications."""
    post = city.submitted(author=city.supervisor, channels=[city.website])
    city.approve(post, by=city.supervisor2)
    publishing.deliver(post.publications.get().pk)
    with pytest.raises(PermissionDenied):
        post.take_down(by=city.designee, reason=REASON)


@pytest.mark.django_db
def test_a_take_down_needs_a_reason_and_saves_nothing_without_one(city):
    post = city.published()
    with pytest.raises(ValidationError, match="say why"):
        post.take_down(by=city.mayor, reason="   ")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.publications.get().status == Status.PUBLISHED
    assert not TakeDown.objects.exists()


@pytest.mark.django_db
def test_a_post_that_has_not_gone_out_or_is_already_down_cannot_be_taken_down(city):
    waiting = city.submitted()
    with pytest.raises(IllegalTransition, match="nothing to take down. Withdraw it instead"):
        waiting.take_down(by=city.mayor, reason=REASON)
    post = city.published(title="Library hours")
    post.take_down(by=city.mayor, reason=REASON)
    with pytest.raises(IllegalTransition, match="already been taken down"):
        post.take_down(by=city.supervisor, reason="Again.")
    assert TakeDown.objects.count() == 1


# --- Deliveries that never went out ------------------------------------------------------------
@pytest.mark.django_db
def test_queued_deliveries_are_cancelled_and_never_sent(city, fake_mastodon):
    post = city.submitted()
    city.approve(post)  # released: both deliveries are queued, waiting for a worker
    take_down = post.take_down(by=city.supervisor, reason=REASON)

    assert statuses(post) == {
        "city-website": Status.CANCELLED,
        "sandbox-mastodon": Status.CANCELLED,
    }
    for publication in post.publications.all():
        publishing.deliver(publication.pk)  # a wake-up already in the broker finds nothing to do
    assert statuses(post) == {
        "city-website": Status.CANCELLED,
        "sandbox-mastodon": Status.CANCELLED,
    }
    assert fake_mastodon.requests == []
    take_down.refresh_from_db()
    assert take_down.completed_at is not None
    assert kinds(post) == []  # nothing was ever public, so there is nothing to capture


@pytest.mark.django_db
def test_a_send_refused_because_of_the_take_down_is_cancelled_by_the_sweeper(city, fake_mastodon):
    """A worker claimed the delivery just before the take-down and refuses it just after."""
    post = city.submitted()
    city.approve(post)
    mastodon = post.publications.get(channel=city.mastodon)
    claimed = publishing.claim(mastodon.pk)
    post.take_down(by=city.supervisor, reason=REASON)
    assert statuses(post)["sandbox-mastodon"] == Status.PUBLISHING  # in flight: left to land
    claimed.post.refresh_from_db()  # the worker reads the post after the take-down committed

    with pytest.raises(publishing.PublishRefused) as refused:
        publishing.check_still_allowed(claimed)
    publishing.record_failure(claimed, str(refused.value))
    removal.sweep()

    assert statuses(post)["sandbox-mastodon"] == Status.CANCELLED
    assert post.take_downs.get().completed_at is not None
    assert fake_mastodon.statuses == []


@pytest.mark.django_db
def test_a_send_refused_because_of_the_take_down_is_cancelled_and_no_one_is_told_to_retry(
    city, fake_mastodon, django_capture_on_commit_callbacks
):
    """A worker claimed the delivery just before the take-down and reads the post just after:
    the take-down's own path decides (702.5), not a "could not be published, use Retry"."""
    from django.core import mail

    post = city.submitted()
    city.approve(post)
    claimed = publishing.claim(post.publications.get(channel=city.mastodon).pk)
    post.take_down(by=city.supervisor, reason=REASON)
    claimed.post.refresh_from_db()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publishing.deliver_claimed(claimed)

    mastodon = post.publications.get(channel=city.mastodon)
    assert mastodon.status == Status.CANCELLED
    assert "702.5: the post was taken down before it went out" in mastodon.last_error
    assert not [m for m in mail.outbox if "could not be published" in m.body]
    assert post.take_downs.get().completed_at is not None
    assert fake_mastodon.statuses == []


# --- Removal on each platform ----------------------------------------------------------------
@pytest.mark.django_db
def test_the_removal_captures_the_post_then_deletes_it_and_records_who_and_why(city, fake_mastodon):
    post = published_everywhere(city)
    mastodon = post.publications.get(channel=city.mastodon)
    take_down = post.take_down(by=city.supervisor, reason=REASON)
    assert statuses(post) == {"city-website": Status.REMOVING, "sandbox-mastodon": Status.REMOVING}

    remove_all(post)

    assert statuses(post) == {"city-website": Status.REMOVED, "sandbox-mastodon": Status.REMOVED}
    assert fake_mastodon.statuses == []
    take_down.refresh_from_db()
    assert take_down.completed_at is not None
    captured = post.archive_records.get(channel=city.mastodon, kind="captured_before_removal")
    assert captured.payload["platform_copy"]["id"] == mastodon.remote_id
    assert captured.payload["post"]["body"] == post.body
    assert captured.payload["take_down"]["reason"] == REASON
    removed = post.archive_records.get(channel=city.mastodon, kind="removed")
    assert removed.payload["take_down"]["requested_by"]["username"] == "supervisor"
    assert removed.payload["publication"]["remote_id"] == mastodon.remote_id
    assert removed.payload["platform_response"]["result"] == "Deleted through the platform's API."
    assert removed.sequence > captured.sequence
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_permanent_error_leaves_the_removal_to_a_person_who_can_try_again(
    city, fake_mastodon, mailoutbox
):
    post = published_everywhere(city)
    city.mastodon.owner = city.mayor
    city.mastodon.save()
    post.take_down(by=city.supervisor, reason=REASON)
    fake_mastodon.fail_next(403, method="DELETE", path=STATUS_PATH, body={"error": "Forbidden"})

    remove_all(post)

    mastodon = post.publications.get(channel=city.mastodon)
    assert mastodon.status == Status.REMOVING and mastodon.removal_needs_person
    assert "Mastodon answered 403: Forbidden" in mastodon.last_error
    assert "delete it there by hand and confirm it here" in mastodon.last_error
    assert len(fake_mastodon.statuses) == 1  # still up
    assert post.take_downs.get().completed_at is None
    [mail] = mailoutbox
    assert sorted(mail.to) == ["mayor@riverton.example", "supervisor@riverton.example"]
    assert mail.subject.startswith("Not yet removed from Sandbox (Mastodon API)")
    removal.remove(mastodon.pk)  # a stray wake-up does not touch a row that waits for a person
    assert len(requests_to(fake_mastodon, "DELETE")) == 1

    with pytest.raises(PermissionDenied):
        mastodon.retry_removal(by=city.poster)
    mastodon.retry_removal(by=city.supervisor)
    remove_all(post)

    assert post.publications.get(channel=city.mastodon).status == Status.REMOVED
    assert fake_mastodon.statuses == []
    assert post.take_downs.get().completed_at is not None
    assert post.archive_records.filter(kind="captured_before_removal").count() == 2  # one each


@pytest.mark.django_db
def test_a_person_may_confirm_a_removal_done_by_hand(city, fake_mastodon):
    post = published_everywhere(city)
    post.take_down(by=city.supervisor, reason=REASON)
    fake_mastodon.fail_next(401, method="DELETE", path=STATUS_PATH)
    remove_all(post)
    mastodon = post.publications.get(channel=city.mastodon)
    with pytest.raises(ValidationError):
        mastodon.confirm_removed_by_hand(by=city.mayor, note=" ")

    mastodon.confirm_removed_by_hand(by=city.mayor, note="Deleted in the Mastodon app at 3 PM.")

    mastodon.refresh_from_db()
    assert mastodon.status == Status.REMOVED
    removed = post.archive_records.get(channel=city.mastodon, kind="removed")
    assert removed.payload["removed_by"]["username"] == "mayor"
    assert removed.payload["platform_response"] == {
        "removed_by_hand": "Deleted in the Mastodon app at 3 PM."
    }
    assert post.take_downs.get().completed_at is not None


@pytest.mark.django_db
def test_a_transient_error_is_retried_with_backoff_not_before_the_platforms_reset(
    city, fake_mastodon
):
    post = published_everywhere(city)
    post.take_down(by=city.supervisor, reason=REASON)
    fake_mastodon.fail_next(429, method="DELETE", path=STATUS_PATH)  # resets in 5 seconds

    remove_all(post)

    mastodon = post.publications.get(channel=city.mastodon)
    assert mastodon.status == Status.REMOVING and not mastodon.removal_needs_person
    assert mastodon.next_attempt_at > timezone.now() + timedelta(seconds=3)
    assert "Mastodon answered 429" in mastodon.last_error
    assert "Trying again at" in mastodon.last_error
    removal.remove(mastodon.pk)  # a wake-up before the time is a no-op
    assert len(requests_to(fake_mastodon, "DELETE")) == 1

    with time_machine.travel(mastodon.next_attempt_at, tick=False):
        removal.remove(mastodon.pk)
    assert post.publications.get(channel=city.mastodon).status == Status.REMOVED
    assert fake_mastodon.statuses == []


@pytest.mark.django_db
def test_the_news_page_and_feed_stop_showing_a_post_as_soon_as_it_is_taken_down(client, city):
    post = city.published(title="Library hours")
    assert client.get(reverse("news:item", args=[post.pk])).status_code == 200

    post.take_down(by=city.mayor, reason=REASON)

    assert client.get(reverse("news:item", args=[post.pk])).status_code == 404
    assert "Library hours" not in client.get(reverse("news:index")).content.decode()
    assert b"Library hours" not in client.get(reverse("news:feed")).content


# --- Bluesky, Facebook and X ----------------------------------------------------------------
@pytest.fixture
def other_platforms(city, monkeypatch, settings):
    """The three other fakes, a channel on each, and the poster authorized for them."""
    from accounts.models import Authorization

    settings.PLATFORM_HTTP_TIMEOUT = 5
    forget_sessions()
    bluesky = FakeBluesky(port=0, identifier="city.bsky.social", app_password="app-pass").start()
    facebook = FakeFacebook(port=0, token="fb-page-token").start()
    x = FakeX(port=0, token="x-user-token").start()
    monkeypatch.setenv(
        "TEST_BSKY", json.dumps({"identifier": "city.bsky.social", "app_password": "app-pass"})
    )
    monkeypatch.setenv("TEST_FB", "fb-page-token")
    monkeypatch.setenv("TEST_X", "x-user-token")
    channels = [
        Channel.objects.create(
            name="City on Bluesky", slug="city-bluesky", platform="bluesky",
            api_base_url=bluesky.base_url, credentials_ref="TEST_BSKY",
        ),
        Channel.objects.create(
            name="City on Facebook", slug="city-facebook", platform="facebook",
            api_base_url=f"{facebook.base_url}/v21.0", credentials_ref="TEST_FB",
        ),
        Channel.objects.create(
            name="City on X", slug="city-x", platform="x", handle="@CitySandbox",
            api_base_url=x.base_url, credentials_ref="TEST_X",
        ),
    ]  # fmt: skip
    Authorization.grant(user=city.poster, channels=channels, by=city.mayor)
    yield channels, {"city-bluesky": bluesky, "city-facebook": facebook, "city-x": x}
    for fake in (bluesky, facebook, x):
        fake.stop()
    forget_sessions()


@pytest.mark.django_db
def test_bluesky_facebook_and_x_posts_are_deleted_through_their_apis(city, other_platforms):
    channels, fakes = other_platforms
    post = published_everywhere(city, channels=channels)
    assert all(len(fake.posts) == 1 for fake in fakes.values())

    post.take_down(by=city.mayor, reason=REASON)
    remove_all(post)

    assert set(statuses(post).values()) == {Status.REMOVED}
    assert {slug: fake.posts for slug, fake in fakes.items()} == {slug: [] for slug in fakes}
    assert post.archive_records.filter(kind="captured_before_removal").count() == 3
    assert post.archive_records.filter(kind="removed").count() == 3
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_post_already_deleted_on_bluesky_facebook_or_x_counts_as_removed(city, other_platforms):
    channels, fakes = other_platforms
    post = published_everywhere(city, channels=channels)
    for publication in post.publications.select_related("channel"):
        publication.channel.adapter.delete(publication)  # someone deleted it in the app
    post.take_down(by=city.mayor, reason=REASON)
    remove_all(post)

    assert set(statuses(post).values()) == {Status.REMOVED}
    for record in post.archive_records.filter(kind="removed"):
        assert record.payload["platform_response"]["result"].startswith(
            "The platform no longer had the post"
        ), record.payload
    assert post.take_downs.get().completed_at is not None


# --- The page --------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "poster"])
def test_the_take_down_page_refuses_staff_and_the_author(client, city, who):
    post = city.published()
    city.sign_in_client(client, who)
    url = reverse("posting:take_down", args=[post.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


@pytest.mark.django_db
def test_the_post_page_offers_the_take_down_only_to_those_who_may(client, city):
    post = city.published()
    city.sign_in_client(client, "poster")
    assert "Take down (702.5)" not in client.get(post.get_absolute_url()).content.decode()
    city.sign_in_client(client, "supervisor")
    assert "Take down (702.5)" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_confirmation_page_needs_a_reason(client, city):
    post = city.published()
    city.sign_in_client(client, "mayor")
    url = reverse("posting:take_down", args=[post.pk])
    page = client.get(url).content.decode()
    assert "Why is this post being taken down? (702.5)" in page
    assert "Taken off the news page and the feed at once." in page

    response = client.post(url, {"reason": "  "})

    assert response.status_code == 400
    assert "Say why the post is being taken down." in response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert not TakeDown.objects.exists()


@pytest.mark.django_db
def test_the_mayor_takes_a_post_down_and_the_page_shows_who_why_and_each_channel(client, city):
    post = published_everywhere(city)
    city.sign_in_client(client, "mayor")
    response = client.post(
        reverse("posting:take_down", args=[post.pk]), {"reason": "<b>Wrong date</b> (702.5(d))"}
    )
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    remove_all(post)

    detail = client.get(post.get_absolute_url()).content.decode()
    assert "Removed from public view" in detail
    assert "Taken down (702.5): &lt;b&gt;Wrong date&lt;/b&gt; (702.5(d))" in detail
    assert "Removed from Sandbox (Mastodon API) (702.5)" in detail
    assert "Removed from public view on every channel (702.5)" in detail
    page = client.get(reverse("posting:take_down", args=[post.pk])).content.decode()
    assert "By Morgan Reyes" in page and "&lt;b&gt;Wrong date&lt;/b&gt;" in page
    assert page.count('data-status="removed"') == 2


@pytest.mark.django_db
def test_the_designee_takes_a_post_down_from_the_take_down_page(client, city):
    """A designee whose scope covers the post may open it and follow the removal there."""
    post = city.published()
    city.sign_in_client(client, "designee")
    url = reverse("posting:take_down", args=[post.pk])
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_stuck_removal_can_be_retried_and_confirmed_from_the_page(client, city, fake_mastodon):
    post = published_everywhere(city)
    post.take_down(by=city.supervisor, reason=REASON)
    fake_mastodon.fail_next(401, method="DELETE", path=STATUS_PATH, count=2)
    remove_all(post)
    mastodon = post.publications.get(channel=city.mastodon)
    city.sign_in_client(client, "supervisor")
    url = reverse("posting:take_down", args=[post.pk])
    assert "Try removing it from Sandbox (Mastodon API) again" in client.get(url).content.decode()

    client.post(reverse("posting:take_down_retry", args=[post.pk]), {"publication": mastodon.pk})
    remove_all(post)  # refused again
    assert (
        client.post(
            reverse("posting:take_down_by_hand", args=[post.pk]), {"publication": "x"}
        ).status_code
        == 404
    )
    client.post(
        reverse("posting:take_down_by_hand", args=[post.pk]),
        {"publication": mastodon.pk, "note": "Deleted in the app."},
    )

    assert post.publications.get(channel=city.mastodon).status == Status.REMOVED
    assert post.take_downs.get().completed_at is not None


# --- With a real worker ------------------------------------------------------------------------
def settled(post, states):
    def check():
        post.refresh_from_db()
        return post.state in states

    return check


def everything_removed(post):
    def check():
        take_down = post.take_downs.first()
        return take_down is not None and take_down.completed_at is not None

    return check


def mastodon_status_exists(publication) -> bool:
    response = requests.get(
        f"{publication.channel.api_base_url}/api/v1/statuses/{publication.remote_id}",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        timeout=5,
    )
    return response.status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_post_published_to_the_website_and_mastodon_is_taken_down_everywhere(
    client, city, fake_mastodon, celery_worker_process
):
    post = city.submitted(title="Hydrant flushing on Elm Street")
    city.approve(post)
    wait_for(settled(post, {PostState.PUBLISHED}), message="the worker to publish")
    mastodon = post.publications.get(channel=city.mastodon)
    assert mastodon_status_exists(mastodon)
    assert "Hydrant flushing" in client.get(reverse("news:index")).content.decode()

    post.take_down(by=city.mayor, reason=REASON)
    wait_for(everything_removed(post), message="the worker to remove the post")

    assert statuses(post) == {"city-website": Status.REMOVED, "sandbox-mastodon": Status.REMOVED}
    assert not mastodon_status_exists(mastodon)
    assert fake_mastodon.statuses == []
    assert "Hydrant flushing" not in client.get(reverse("news:index")).content.decode()
    assert client.get(reverse("news:item", args=[post.pk])).status_code == 404
    feed = ET.fromstring(client.get(reverse("news:feed")).content)
    assert list(feed.iter("{http://www.w3.org/2005/Atom}entry")) == []
    assert kinds(post) == sorted(["published", "captured_before_removal", "removed"] * 2)
    published = post.archive_records.get(channel=city.mastodon, kind="published")
    assert published.payload["platform_response"]["id"] == mastodon.remote_id  # kept as it was
    assert published.digest_matches()
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_post_already_deleted_on_mastodon_counts_as_removed(
    city, fake_mastodon, celery_worker_process
):
    post = city.submitted()
    city.approve(post)
    wait_for(settled(post, {PostState.PUBLISHED}), message="the worker to publish")
    mastodon = post.publications.get(channel=city.mastodon)
    requests.delete(  # someone deleted it in the Mastodon app
        f"{fake_mastodon.base_url}/api/v1/statuses/{mastodon.remote_id}",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        timeout=5,
    ).raise_for_status()

    post.take_down(by=city.supervisor, reason=REASON)
    wait_for(everything_removed(post), message="the take-down to complete")

    assert statuses(post) == {"city-website": Status.REMOVED, "sandbox-mastodon": Status.REMOVED}
    captured = post.archive_records.get(channel=city.mastodon, kind="captured_before_removal")
    assert captured.payload["platform_copy"] is None
    assert "404" in captured.payload["platform_note"]
    removed = post.archive_records.get(channel=city.mastodon, kind="removed")
    assert removed.payload["platform_response"]["result"].startswith(
        "The platform no longer had the post"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_take_down_during_a_slow_publish_is_applied_as_soon_as_it_lands(
    city, fake_mastodon, celery_worker_process
):
    fake_mastodon.set_latency(3)
    post = city.submitted()
    city.approve(post)
    mastodon = post.publications.get(channel=city.mastodon)

    def sending():
        mastodon.refresh_from_db()
        return mastodon.status == Status.PUBLISHING and requests_to(fake_mastodon, "POST")

    wait_for(sending, message="the worker to be sending to Mastodon")
    post.take_down(by=city.supervisor, reason=REASON)
    mastodon.refresh_from_db()
    assert mastodon.status == Status.PUBLISHING  # left to land
    fake_mastodon.set_latency(0)

    wait_for(everything_removed(post), timeout=45, message="the removal after the send lands")

    mastodon.refresh_from_db()
    assert mastodon.status == Status.REMOVED and mastodon.published_at < mastodon.removed_at
    post.refresh_from_db()
    assert post.state == PostState.REMOVED
    assert len(requests_to(fake_mastodon, "POST")) == 1
    assert len(requests_to(fake_mastodon, "DELETE")) == 1
    assert fake_mastodon.statuses == []
    assert post.archive_records.filter(channel=city.mastodon).count() == 3
    assert verify_chain().intact
    assert Post.objects.get(pk=post.pk).state == PostState.REMOVED
