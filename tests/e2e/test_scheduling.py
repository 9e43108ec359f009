"""Scheduling in a real browser: the poster schedules a post in city time, finds it on the
Scheduled page under its day with the zone's abbreviation, and moves it with the keyboard alone."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from posting.models import Post, PostState
from posting.scheduling import clock_label, day_label, in_city, instant_of, moment_label
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TITLE = "Indoor pool opens for winter swim"


def city_time(days: int, hour: int) -> datetime:
    return instant_of(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def focused(page) -> str:
    return page.evaluate("(document.activeElement.name || document.activeElement.textContent)")


def test_the_poster_schedules_a_post_and_reschedules_it_with_the_keyboard(city, live_server, page):
    base = live_server.url
    when, later = city_time(3, 9), city_time(4, 15)

    # The poster writes the post and schedules it on the city's clock.
    sign_in(page, base, "poster")
    page.goto(f"{base}/posts/new/")
    page.get_by_label("Headline").fill(TITLE)
    page.get_by_label("Content category (702.4)").select_option("announcement")
    page.locator("label", has_text="City website").click()
    page.get_by_label("Text of the post").fill("The indoor pool opens for winter swim hours.")
    page.get_by_label("Publish at (optional)").fill(in_city(when).strftime("%Y-%m-%dT%H:%M"))
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted. A supervisor has been asked to approve it.").wait_for()
    post = Post.objects.get(title=TITLE)
    assert post.scheduled_for == when
    city.approve(post)

    # The Scheduled page shows it under its day, at its time with the zone (PST or PDT).
    page.get_by_role("link", name="Scheduled", exact=True).click()
    page.get_by_role("heading", name=day_label(when)).wait_for()
    entry = page.locator(f"#scheduled-{post.pk}")
    assert clock_label(when) in entry.inner_text()
    assert entry.locator(".usa-tag").text_content() == "Approved"
    assert axe_violations(page) == []

    # Keyboard alone: open Reschedule, type the new date, then the new time, and send.
    entry.locator("summary", has_text="Reschedule").focus()
    page.keyboard.press("Enter")
    assert axe_violations(page) == []  # with the form open
    entry.locator("summary", has_text="Reschedule").focus()
    page.keyboard.press("Tab")
    assert focused(page) == "when"
    local = in_city(later)
    page.keyboard.type(local.strftime("%m%d%Y"))
    page.keyboard.press("Tab")  # from the date to the time, inside the same field
    page.keyboard.type(local.strftime("%I%M") + local.strftime("%p")[0])
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page).startswith("Reschedule"):
            break
    assert focused(page).startswith("Reschedule")
    page.keyboard.press("Enter")

    page.get_by_text(f"Rescheduled: it goes out {moment_label(later)}.").wait_for()
    post.refresh_from_db()
    assert post.scheduled_for == later
    assert post.state == PostState.APPROVED
    assert post.current_approval() is not None
    page.get_by_role("heading", name=day_label(later)).wait_for()
    assert clock_label(later) in page.locator(f"#scheduled-{post.pk}").inner_text()
    assert axe_violations(page) == []
