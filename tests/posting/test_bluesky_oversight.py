"""Reading the City's Bluesky account back (702.5) and checking each post's thread gate
(702.5.1), against the sandbox PDS over real HTTP."""

import pytest

from posting.platforms.bluesky import forget_sessions
from posting.sandbox.bluesky import THREADGATE

pytestmark = pytest.mark.django_db

MENTIONS_ONLY = [{"$type": "app.bsky.feed.threadgate#mentionRule"}]
FOLLOWING = [{"$type": "app.bsky.feed.threadgate#followingRule"}]


@pytest.fixture
def bluesky(platforms):
    forget_sessions()
    yield platforms.bluesky
    forget_sessions()


def test_recent_posts_come_from_the_author_feed_newest_first(bluesky):
    first = bluesky.fake.post_as_account("Leaf pickup starts Monday.")
    second = bluesky.fake.post_as_account("Bring bags to the curb.")

    posts = bluesky.channel.adapter.recent_posts(limit=10)

    assert [p.remote_id for p in posts] == [second["uri"], first["uri"]]
    assert posts[1].text == "Leaf pickup starts Monday."
    assert posts[1].url.endswith(f"/profile/{bluesky.fake.did}/post/{first['uri'][-13:]}")
    feed = [r for r in bluesky.fake.requests if r.nsid == "app.bsky.feed.getAuthorFeed"][-1]
    assert feed.query == {"actor": bluesky.fake.did, "limit": "10", "filter": "posts_with_replies"}


def test_every_post_gated_against_replies_prevents_public_posting_702_5_1(bluesky):
    bluesky.fake.post_as_account("Gated for nobody.", allow=[])
    bluesky.fake.post_as_account("Gated for mentions only.", allow=MENTIONS_ONLY)
    policy = bluesky.channel.adapter.reply_policy()
    assert policy.prevented is True
    assert "Each of the last 2 posts has a thread gate" in policy.detail
    lists = [r for r in bluesky.fake.requests if r.nsid == "com.atproto.repo.listRecords"]
    assert lists[-1].query["collection"] == THREADGATE


def test_a_post_without_a_closing_gate_lets_the_public_reply_702_5_1(bluesky):
    bluesky.fake.post_as_account("Gated.", allow=[])
    open_post = bluesky.fake.post_as_account("Made in the app, no gate.")
    bluesky.fake.post_as_account("Followers may reply.", allow=FOLLOWING)
    policy = bluesky.channel.adapter.reply_policy()
    assert policy.prevented is False
    assert policy.detail.startswith("2 of the last 3 posts let the public reply")
    assert open_post["uri"][-13:] in policy.detail


def test_an_account_with_no_posts_cannot_say_702_5_1(bluesky):
    assert bluesky.channel.adapter.reply_policy().prevented is None


def test_a_post_found_by_its_link_is_edited_fetched_and_deleted_by_its_uri(bluesky):
    made = bluesky.fake.post_as_account("Original words.")
    bluesky.fake.edit_post(made["uri"], "Changed in the app.")
    adapter = bluesky.channel.adapter
    [post] = adapter.recent_posts()
    assert post.text == "Changed in the app."
    remote_id = adapter.remote_id_from_url(post.url)
    assert remote_id == made["uri"]
    assert adapter.fetch_remote(remote_id)["value"]["text"] == "Changed in the app."
    adapter.delete_remote(remote_id)
    assert bluesky.fake.posts == []
