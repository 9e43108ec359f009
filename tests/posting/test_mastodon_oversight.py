"""Reading the City's Mastodon account back (702.5) and what Mastodon says about replies
(702.5.1), against the sandbox Mastodon over real HTTP."""

import pytest
import requests

from posting.platforms.base import PlatformError

pytestmark = pytest.mark.django_db


def test_recent_posts_are_the_accounts_statuses_newest_first_as_plain_text(city, fake_mastodon):
    first = fake_mastodon.post_as_account(
        "Library closed Monday.\n\nSee https://riverton.example/library"
    )
    reply = fake_mastodon.post_as_account("Open again Tuesday.", in_reply_to_id=first["id"])

    posts = city.mastodon.adapter.recent_posts(limit=10)

    assert [p.remote_id for p in posts] == [reply["id"], first["id"]]
    assert posts[1].text == "Library closed Monday.\n\nSee https://riverton.example/library"
    assert (posts[0].is_reply, posts[1].is_reply) == (True, False)
    assert posts[1].url == first["url"] and posts[1].created_at is not None
    listing = [r for r in fake_mastodon.requests if "/statuses?" in r.path][-1]
    assert "/api/v1/accounts/1/statuses?" in listing.path and "exclude_reblogs=true" in listing.path


def test_an_edit_made_in_the_app_is_what_is_read_back(city, fake_mastodon):
    made = fake_mastodon.post_as_account("Pool opens at 9.")
    fake_mastodon.edit_post(made["id"], "Pool opens at 10.")
    adapter = city.mastodon.adapter
    [post] = adapter.recent_posts()
    assert post.text == "Pool opens at 10."
    assert post.raw["edited_at"] is not None
    assert not adapter.same_text("Pool opens at 9.", post.text)
    assert adapter.same_text("Pool  opens at\n10.", post.text)


def test_mastodon_says_plainly_that_replies_cannot_be_closed_702_5_1(city, fake_mastodon):
    policy = city.mastodon.adapter.reply_policy()
    assert policy.prevented is False
    assert "Mastodon cannot turn replies off through its API" in policy.detail
    assert policy.raw["default_privacy"] == "public"


def test_a_status_found_by_its_link_is_fetched_and_deleted_by_its_id(city, fake_mastodon):
    made = fake_mastodon.post_as_account("Not posted through CitySocial.")
    adapter = city.mastodon.adapter
    remote_id = adapter.remote_id_from_url(made["url"])
    assert remote_id == made["id"]
    assert adapter.fetch_remote(remote_id)["content"] == "<p>Not posted through CitySocial.</p>"
    adapter.delete_remote(remote_id)
    assert fake_mastodon.statuses == []
    adapter.delete_remote(remote_id)  # already gone counts as removed
    assert adapter.remote_id_from_url("https://example.org/about") == ""


def test_the_sandbox_makes_a_post_on_the_account_through_its_control_surface(fake_mastodon):
    answer = requests.post(
        f"{fake_mastodon.base_url}/_sandbox/external_post", json={"text": "Hacked!"}, timeout=5
    )
    assert answer.status_code == 200
    assert answer.json()["post"]["application"]["name"] == "Web"
    assert [s["content"] for s in fake_mastodon.statuses] == ["<p>Hacked!</p>"]
    refused = requests.post(f"{fake_mastodon.base_url}/_sandbox/external_post", json={}, timeout=5)
    assert refused.status_code == 422


def test_an_unreachable_account_is_a_platform_error(city, fake_mastodon):
    fake_mastodon.fail_next(503, method="GET", path="/api/v1/accounts/verify_credentials")
    with pytest.raises(PlatformError):
        city.mastodon.adapter.reply_policy()
