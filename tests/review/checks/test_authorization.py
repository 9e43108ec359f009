"""702.5(g): content that has not been properly authorized (702.3 authorizations)."""

import pytest

from review.checks.engine import check
from review.checks.findings import Decision

pytestmark = pytest.mark.django_db

BODY = "Crews repair potholes on Main Street from 9 AM to 3 PM on Tuesday."


def test_702_5_g_authorized_poster_passes(city, config):
    result = check(
        title="Pothole repairs",
        body=BODY,
        category="announcement",
        channels=[city.website, city.mastodon],
        author=city.poster,
        config=config,
    )
    assert result.decision == Decision.ALLOW
    assert result.findings == []


def test_702_5_g_unauthorized_author_blocks_and_names_the_channels(city, config):
    result = check(
        title="Pothole repairs",
        body=BODY,
        category="announcement",
        channels=[city.website, city.mastodon],
        author=city.staff,
        config=config,
    )
    (finding,) = result.findings
    assert finding.rule == "702.5(g)/not-authorized"
    assert finding.start is None
    assert result.decision == Decision.BLOCK
    assert finding.message.startswith(
        "Blocked: 702.5(g), content that has not been properly authorized"
    )
    assert city.website.name in finding.message and city.mastodon.name in finding.message


def test_702_5_g_channels_may_be_given_by_slug(city, config):
    result = check(
        title="",
        body=BODY,
        category="announcement",
        channels=["city-website"],
        author=city.outsider,
        config=config,
    )
    assert [f.rule for f in result.findings] == ["702.5(g)/not-authorized"]


def test_702_5_g_is_not_checked_without_an_author(city, config):
    result = check(
        title="", body=BODY, category="announcement", channels=[city.website], config=config
    )
    assert result.findings == []
