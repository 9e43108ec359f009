"""In a real browser: the Mayor's office takes a published post down (702.5) with the keyboard.

A real worker publishes to the website and the fake Mastodon, then removes the post from both;
the post page follows each channel until it is removed from public view.
"""

import pytest

from posting.models import Post, PostState
from tests.conftest import axe_violations, sign_in, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]

REASON = "The detour map shows a resident's home address (702.5(b))."


def tab_to(page, text: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"The keyboard never reached {text!r}.")


def test_the_mayor_takes_a_published_post_down_with_the_keyboard(
    city, live_server, page, fake_mastodon, celery_worker_process
):
    post = city.submitted(title="Detour on Oak Avenue")
    city.approve(post)
    wait_for(
        lambda: Post.objects.get(pk=post.pk).state == PostState.PUBLISHED,
        message="the worker to publish",
    )
    sign_in(page, live_server.url, "mayor")
    page.goto(f"{live_server.url}{post.get_absolute_url()}")

    tab_to(page, "Take down (702.5)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Take down: Detour on Oak Avenue").wait_for()
    assert axe_violations(page) == []

    tab_to(page, "Take down from every channel")  # without a reason first
    page.keyboard.press("Enter")
    page.get_by_text("The post was not taken down").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Why is this post being taken down? (702.5)").focus()
    page.keyboard.type(REASON)
    tab_to(page, "Take down from every channel")
    page.keyboard.press("Enter")

    page.get_by_text("Taken down (702.5).").wait_for()
    assert page.locator("#post-state").text_content() == "Removed from public view"
    for channel in ("city-website", "sandbox-mastodon"):
        page.locator(f'tr[data-channel="{channel}"][data-status="removed"]').wait_for(timeout=30000)
    assert fake_mastodon.statuses == []
    page.reload()
    timeline = page.locator(".timeline").inner_text()
    assert "Removed from public view on every channel (702.5)" in timeline
    assert REASON in timeline

    tab_to(page, "Take-down and removal on each channel")
    page.keyboard.press("Enter")
    page.get_by_text("Removed from public view on every channel at").wait_for()
    assert page.locator('tr[data-status="removed"]').count() == 2
    assert axe_violations(page) == []
