"""Public-posting prevention check (702.5.1): "City social media sites shall be designed and
maintained to prevent posting of content by the public." Each channel's platform is asked what
it says about replies and comments; the answer is recorded with its date and shown on the
channel page, beside what CitySocial does on every post.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from posting.platforms.bluesky import forget_sessions
from review import tasks
from review.oversight_models import PublicPostingCheck
from review.reports import check_public_posting, latest_public_posting_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_sessions():
    forget_sessions()
    yield
    forget_sessions()


def test_702_5_1_the_check_records_what_each_platform_says(city, platforms):
    platforms.bluesky.fake.post_as_account("Gated.", allow=[])
    platforms.x.fake.post_as_account("Only mentioned accounts.", reply_settings="mentionedUsers")

    for channel in [city.website, *(p.channel for p in platforms.all)]:
        check_public_posting(channel.pk)

    answers = {
        check.channel.slug: check.prevented
        for check in PublicPostingCheck.objects.select_related("channel")
    }
    assert answers == {
        "city-website": True,
        "sandbox-mastodon": False,
        "city-bluesky": True,
        "city-facebook": False,
        "city-x": True,
    }
    mastodon = latest_public_posting_check(city.mastodon)
    assert "Mastodon cannot turn replies off through its API" in mastodon.detail


def test_702_5_1_a_post_open_to_replies_makes_the_channel_not_compliant(city, platforms):
    platforms.x.fake.post_as_account("Made in the X app, open to everyone.")
    check = check_public_posting(platforms.x.channel.pk)
    assert check.prevented is False
    assert "let the public reply" in check.detail


def test_702_5_1_a_platform_that_cannot_be_asked_is_recorded_as_not_known(city, fake_mastodon):
    fake_mastodon.fail_next(503, method="GET", path="/api/v1/accounts/verify_credentials")
    tasks.record_public_posting_check(city.mastodon.pk)  # the worker's task, run here
    check = latest_public_posting_check(city.mastodon)
    assert check.prevented is None
    assert check.detail.startswith("Mastodon could not be asked")


def test_702_5_1_the_channel_page_shows_the_latest_check_with_its_date(client, city):
    assert settings.CELERY_BEAT_SCHEDULE["check-public-posting"]["task"] == (
        "review.tasks.check_public_posting"
    )
    city.sign_in_client(client, "mayor")
    page = client.get(reverse("posting:channel", args=[city.website.pk])).content.decode()
    assert "Not checked yet" in page
    check = check_public_posting(city.website.pk)
    page = client.get(reverse("posting:channel", args=[city.website.pk])).content.decode()
    assert 'id="compliance"' in page  # what CitySocial does on every post, as before
    assert "Public posting prevented" in page
    assert check.checked_at.strftime("%Y") in page and check.detail in page
    listing = client.get(reverse("posting:channels")).content.decode()
    assert "Public posting prevented" in listing
