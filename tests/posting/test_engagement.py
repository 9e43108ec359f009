"""702.6, the effectiveness of the content: each platform's own counts of a published post,
read through its adapter from the fake servers (which answer in the platform's documented
format), and the beat job that keeps them as snapshots on a schedule that tapers as posts age.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from posting import publishing
from posting.models import Publication
from posting.platforms.bluesky import forget_sessions
from review import engagement
from review.models import EngagementSchedule, EngagementSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(city, platforms):
    """One post published on the City website and on Mastodon, Bluesky, Facebook and X."""
    forget_sessions()
    post = city.submitted(
        title="Library hours",
        body="The Central Library opens at 9 AM on weekdays from Monday.",
        channels=[city.website, *[platform.channel for platform in platforms.all]],
    )
    city.approve(post)
    for publication in post.publications.all():
        publishing.deliver(publication.pk)
    rows = {p.channel.platform: p for p in post.publications.select_related("channel")}
    assert {p.status for p in rows.values()} == {Publication.Status.PUBLISHED}
    return rows


def test_702_6_each_platform_reports_its_own_counts_through_its_adapter(published, platforms):
    platforms.mastodon.fake.set_engagement(
        published["mastodon"].remote_id, likes=7, shares=3, replies=2
    )
    platforms.bluesky.fake.set_engagement(
        published["bluesky"].remote_id, likes=5, shares=4, quotes=1, replies=0
    )
    platforms.facebook.fake.set_engagement(
        published["facebook"].remote_id, views=120, likes=9, shares=2, replies=4
    )
    platforms.x.fake.set_engagement(
        published["x"].remote_id, views=300, likes=11, shares=6, quotes=2, replies=1
    )

    def counts(platform):
        publication = published[platform]
        got = publication.channel.adapter.engagement(publication)
        return got.views, got.likes, got.shares, got.replies

    # Mastodon counts favourites, boosts and replies, never views.
    assert counts("mastodon") == (None, 7, 3, 2)
    # Bluesky: likeCount, repostCount + quoteCount, replyCount; no views either.
    assert counts("bluesky") == (None, 5, 5, 0)
    # Facebook: reactions and comments summaries, shares, and the post's insights for views.
    assert counts("facebook") == (120, 9, 2, 4)
    # X: public_metrics, impressions included; a quote is a share with words.
    assert counts("x") == (300, 11, 8, 1)
    # The City website tracks no readers.
    assert counts("website") == (None, None, None, None)


def test_702_6_the_adapters_ask_each_platform_in_its_documented_way(published, platforms):
    for platform in ("mastodon", "bluesky", "facebook", "x"):
        published[platform].channel.adapter.engagement(published[platform])
    mastodon = platforms.mastodon.fake.requests[-1]
    assert (mastodon.method, mastodon.path) == (
        "GET",
        f"/api/v1/statuses/{published['mastodon'].remote_id}",
    )
    bluesky = platforms.bluesky.fake.requests[-1]
    assert bluesky.nsid == "app.bsky.feed.getPosts"
    assert bluesky.query["uris"] == published["bluesky"].remote_id
    facebook = [r for r in platforms.facebook.fake.requests if r.method == "GET"][-2:]
    assert "reactions.summary(total_count)" in facebook[0].query["fields"]
    assert facebook[1].query["metric"] == "post_impressions"
    x = platforms.x.fake.requests[-1]
    assert x.query["tweet.fields"] == "public_metrics"


def test_702_6_facebook_views_come_only_where_the_page_token_allows(published, platforms):
    publication = published["facebook"]
    fake = platforms.facebook.fake
    fake.set_engagement(publication.remote_id, views=80, likes=3)
    fake.set_insights(allowed=False)  # a Page token without pages_read_insights
    counts = publication.channel.adapter.engagement(publication)
    assert (counts.views, counts.likes) == (None, 3)
    assert "refused" in counts.raw["insights"]

    # Meta retired the impressions metric: the unique media views stand in for it.
    fake.set_insights(allowed=True, impressions_retired=True)
    counts = publication.channel.adapter.engagement(publication)
    assert counts.views == 80
    assert counts.raw["insights"] == {"metric": "post_total_media_view_unique"}


def test_702_6_a_deleted_post_is_a_permanent_refusal(published, platforms):
    from posting.platforms.base import PlatformError

    publication = published["bluesky"]
    platforms.bluesky.fake.reset()
    forget_sessions()
    with pytest.raises(PlatformError) as refused:
        publication.channel.adapter.engagement(publication)
    assert refused.value.permanent and "deleted" in refused.value.message


def test_702_6_engagement_is_fetched_on_a_tapering_schedule_and_kept_as_snapshots(
    published, platforms
):
    platforms.x.fake.set_engagement(published["x"].remote_id, views=10, likes=1)
    assert engagement.fetch_all_due() == 4  # every platform but the website, which counts none
    assert EngagementSnapshot.objects.count() == 4
    assert engagement.fetch_all_due() == 0  # nothing is due again yet

    platforms.x.fake.set_engagement(published["x"].remote_id, views=25, likes=2)
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert engagement.fetch_all_due() == 4  # hourly on the post's first day
    latest = EngagementSnapshot.objects.filter(publication=published["x"]).first()
    assert (latest.views, latest.likes) == (25, 2)

    # Then every six hours in the first week, daily in the first month, weekly until 90 days.
    assert engagement.interval_for(timedelta(hours=30)) == timedelta(hours=6)
    assert engagement.interval_for(timedelta(days=10)) == timedelta(days=1)
    assert engagement.interval_for(timedelta(days=60)) == timedelta(days=7)
    assert engagement.interval_for(timedelta(days=90)) is None
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        assert engagement.claim_due() == []


def test_702_6_one_platform_failing_does_not_stop_the_others(published, platforms):
    platforms.x.fake.fail_next(503, method="GET", path="/2/tweets/:id")
    platforms.mastodon.fake.fail_next(404, method="GET", path="/api/v1/statuses/:id")
    assert engagement.fetch_all_due() == 2
    fetched = set(
        EngagementSnapshot.objects.values_list("publication__channel__platform", flat=True)
    )
    assert fetched == {"bluesky", "facebook"}
    x = EngagementSchedule.objects.get(publication=published["x"])
    assert "X could not take the post's counts just now" in x.last_error
    assert EngagementSchedule.objects.get(publication=published["mastodon"]).last_error
