"""Reading the City's X account back (702.5) and each post's reply setting (702.5.1), against
the sandbox X API over real HTTP."""

import pytest

pytestmark = pytest.mark.django_db


def test_recent_posts_come_back_newest_first_and_match_despite_tco_links(platforms):
    x = platforms.x
    first = x.fake.post_as_account("Road work on 5th & Main: https://riverton.example/roads")
    second = x.fake.post_as_account("Detour ends Friday.")

    posts = x.channel.adapter.recent_posts(limit=10)

    assert [p.remote_id for p in posts] == [second["id"], first["id"]]
    assert posts[1].text.startswith("Road work on 5th & Main: https://t.co/")
    assert x.channel.adapter.same_text(
        "Road work on 5th & Main: https://riverton.example/roads", posts[1].text
    )
    assert not x.channel.adapter.same_text(
        "Road work on 6th & Main: https://a.example", posts[1].text
    )
    listing = [r for r in x.fake.requests if r.route.endswith("/tweets") and r.method == "GET"][-1]
    assert listing.query["max_results"] == "10" and listing.query["exclude"] == "retweets"
    assert "reply_settings" in listing.query["tweet.fields"]


def test_posts_limited_to_mentioned_accounts_prevent_public_replies_702_5_1(platforms):
    x = platforms.x
    x.fake.post_as_account("Only mentioned accounts.", reply_settings="mentionedUsers")
    policy = x.channel.adapter.reply_policy()
    assert policy.prevented is True


def test_a_post_open_to_everyone_lets_the_public_reply_702_5_1(platforms):
    x = platforms.x
    x.fake.post_as_account("Only mentioned accounts.", reply_settings="mentionedUsers")
    opened = x.fake.post_as_account("Made in the app.")
    policy = x.channel.adapter.reply_policy()
    assert policy.prevented is False
    assert policy.raw["open"] == {opened["id"]: "everyone"}
    assert policy.detail.startswith("1 of the last 2 posts let the public reply")


def test_an_account_with_no_posts_cannot_say_702_5_1(platforms):
    assert platforms.x.channel.adapter.reply_policy().prevented is None


def test_an_edit_on_x_is_a_new_version_and_a_post_is_deleted_by_its_id(platforms):
    x = platforms.x
    made = x.fake.post_as_account("Original words.")
    x.fake.edit_post(made["id"], "Changed on X.")
    adapter = x.channel.adapter
    [post] = adapter.recent_posts()
    assert post.raw["edit_history_tweet_ids"] == [made["id"], post.remote_id]
    assert adapter.remote_id_from_url(f"https://x.com/CitySandbox/status/{post.remote_id}") == (
        post.remote_id
    )
    adapter.delete_remote(post.remote_id)
    assert x.fake.posts == []
