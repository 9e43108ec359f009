"""Reading the City's Facebook Page back (702.5) and what the Graph API says about comments
(702.5.1), against the sandbox Graph API over real HTTP."""

import pytest

pytestmark = pytest.mark.django_db


def test_recent_posts_are_the_pages_own_posts_newest_first(platforms):
    facebook = platforms.facebook
    first = facebook.fake.post_as_account("Farmers market opens Saturday.")
    second = facebook.fake.post_as_account("Parking on Elm Street.")

    posts = facebook.channel.adapter.recent_posts(limit=10)

    assert [p.remote_id for p in posts] == [second["id"], first["id"]]
    assert posts[1].text == "Farmers market opens Saturday."
    assert posts[1].url == first["permalink_url"] and posts[1].created_at is not None
    listing = [r for r in facebook.fake.requests if r.path.split("?")[0].endswith("/posts")][-1]
    assert listing.query["fields"] == "id,message,created_time,permalink_url"


def test_facebook_says_plainly_that_comments_cannot_be_closed_702_5_1(platforms):
    policy = platforms.facebook.channel.adapter.reply_policy()
    assert policy.prevented is False
    assert "Facebook cannot turn comments off" in policy.detail
    assert policy.raw["page"]["id"] == platforms.facebook.fake.page_id


def test_a_post_found_by_its_link_is_edited_fetched_and_deleted_by_its_id(platforms):
    facebook = platforms.facebook
    made = facebook.fake.post_as_account("Original words.")
    facebook.fake.edit_post(made["id"], "Changed on Facebook.")
    adapter = facebook.channel.adapter
    remote_id = adapter.remote_id_from_url(made["permalink_url"])
    assert remote_id == made["id"]
    assert adapter.fetch_remote(remote_id)["message"] == "Changed on Facebook."
    story = f"https://www.facebook.com/permalink.php?story_fbid=77&id={facebook.fake.page_id}"
    assert adapter.remote_id_from_url(story) == f"{facebook.fake.page_id}_77"
    adapter.delete_remote(remote_id)
    assert facebook.fake.posts == []
