"""End to end, in a real browser: a post travels from a draft to the public news page and the archive.

staff drafts and submits -> supervisor approves -> a real Celery worker publishes to
the website channel and the fake Mastodon -> the archive record verifies -> the news
page and the Atom feed show the post.
"""

import re
import xml.etree.ElementTree as ET

import pytest
import requests

from posting.models import Post, PostState
from retention.archive import verify_chain
from tests.conftest import sign_in, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]

TITLE = "Main Street bridge reopens Friday"
BODY = (
    "The Main Street bridge reopens to all traffic on Friday at 6 AM after repairs. "
    "Details: https://www.riverton.example/public-works/bridge"
)


def test_a_post_travels_from_draft_to_the_public_news_page(
    city, live_server, page, fake_mastodon, celery_worker_process
):
    base = live_server.url

    # The authorized poster drafts and submits.
    sign_in(page, base, "poster")
    page.get_by_role("link", name="Write a new post").click()
    page.get_by_label("Headline").fill(TITLE)
    page.get_by_label("Content category (702.4)").select_option("announcement")
    # USWDS draws its own checkbox: a person clicks the label.
    page.locator("label", has_text="City website").click()
    page.locator("label", has_text="Sandbox (Mastodon API)").click()
    page.get_by_label("Text of the post").fill(BODY)
    counts = page.locator("#char-counts")
    counts.get_by_text("Sandbox (Mastodon API): 111 of 500 characters").wait_for()
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted. A supervisor has been asked to approve it.").wait_for()
    assert page.locator("#post-state").text_content() == "Awaiting approval"
    post = Post.objects.get(title=TITLE)
    page.get_by_role("button", name=re.compile("Sign out")).click()

    # The supervisor approves from the queue.
    sign_in(page, base, "supervisor")
    page.get_by_role("link", name="Approval queue").first.click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Comment to the author").fill("Good, clear notice.")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved.", exact=True).wait_for()

    # A real worker publishes; the post page shows each channel live.
    page.goto(f"{base}/posts/{post.pk}/")
    page.locator('tr[data-channel="sandbox-mastodon"][data-status="published"]').wait_for(
        timeout=30000
    )
    page.locator('tr[data-channel="city-website"][data-status="published"]').wait_for()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    (status,) = fake_mastodon.statuses
    assert status["content"].startswith("<p>The Main Street bridge reopens to all traffic")
    assert 'href="https://www.riverton.example/public-works/bridge"' in status["content"]

    # The archive holds a record per channel, whose digest verifies.
    assert verify_chain().intact
    record = post.archive_records.get(channel=city.mastodon)
    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in(page, base, "clerk")
    page.goto(f"{base}/archive/{record.sequence}/")
    assert "Verified" in page.locator("#digest-status").inner_text()
    assert page.locator("#record-digest").inner_text() == record.digest

    # The public news page and the Atom feed show the post, no login needed.
    page.context.clear_cookies()
    page.goto(f"{base}/news/")
    page.get_by_role("heading", name=TITLE).wait_for()
    feed = ET.fromstring(requests.get(f"{base}/news/feed/", timeout=5).content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == [TITLE]


def test_a_failed_channel_shows_why_and_can_be_retried_in_the_browser(
    city, live_server, page, fake_mastodon, celery_worker_process
):
    fake_mastodon.fail_next(422, count=1, body={"error": "Validation failed: Text is too long"})
    post = city.submitted(title="Water main flushing")
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
    sign_in(page, live_server.url, "poster")
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    failed = page.locator('tr[data-channel="sandbox-mastodon"][data-status="failed"]')
    failed.wait_for(timeout=30000)
    page.reload()
    assert (
        "Validation failed: Text is too long"
        in page.locator('tr[data-channel="sandbox-mastodon"]').inner_text()
    )
    page.get_by_role("button", name="Retry the failed channels").click()
    page.locator('tr[data-channel="sandbox-mastodon"][data-status="published"]').wait_for(
        timeout=30000
    )
    wait_for(lambda: Post.objects.get(pk=post.pk).state == PostState.PUBLISHED)
    assert len(fake_mastodon.statuses) == 1
