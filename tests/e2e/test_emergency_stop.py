"""Emergency stop in the browser (702.4.1): the Mayor stops every channel with the keyboard,
every page says so, and the Mayor resumes publishing."""

import pytest

from posting.models import EmergencyStop
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REASON = "A tragedy in the city this morning: nothing goes out until the Mayor speaks."


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_the_mayor_stops_every_channel_with_the_keyboard_and_resumes(city, live_server, page):
    base = live_server.url
    sign_in(page, base, "mayor")
    page.get_by_role("link", name="Emergency stop").click()
    page.get_by_role("heading", name="Emergency stop", level=1).wait_for()
    assert axe_violations(page) == []

    # Stop: choose the scope, say why, confirm, press the button: keys only.
    page.get_by_label("Every channel").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the reason
    page.keyboard.type(REASON)
    page.keyboard.press("Tab")  # the confirmation
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_text(page) == "Stop publishing now"
    page.keyboard.press("Enter")
    page.get_by_text("Publishing is stopped on every channel.").wait_for()
    stop = EmergencyStop.objects.active().get()
    assert (stop.channel, stop.reason, stop.started_by) == (None, REASON, city.mayor)

    # Every page says so: this one, the dashboard, a post.
    alert = page.locator("#emergency-stop-alert")
    assert REASON in alert.inner_text()
    assert "Morgan Reyes" in alert.inner_text()
    assert axe_violations(page) == []
    post = city.submitted()
    for path in ("/dashboard/", f"/posts/{post.pk}/"):
        page.goto(base + path)
        assert "Publishing on every channel is stopped since" in alert.inner_text()
    assert axe_violations(page) == []

    # Resume, with a note and the confirmation, from the banner's link.
    alert.get_by_role("link", name="See the emergency stop and resume publishing").click()
    page.get_by_label("Note").focus()
    page.keyboard.type("The family was told; routine posts may resume.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_text(page) == "Resume publishing on every channel"
    page.keyboard.press("Enter")
    page.get_by_text("Publishing resumed on every channel.").wait_for()
    assert alert.count() == 0
    stop.refresh_from_db()
    assert stop.ended_by == city.mayor
    assert "The family was told" in page.locator("#stop-history").inner_text()
    page.goto(f"{base}/dashboard/")
    assert alert.count() == 0
    assert axe_violations(page) == []


def test_the_stop_form_with_errors_passes_axe(city, live_server, page):
    sign_in(page, live_server.url, "designee")
    page.goto(f"{live_server.url}/posts/emergency/")
    page.get_by_role("button", name="Stop publishing now").click()
    page.get_by_text("Publishing was not stopped").wait_for()
    assert "Say why publishing is stopped." in page.content()
    assert axe_violations(page) == []
    assert not EmergencyStop.objects.exists()


def test_staff_see_the_banner_but_not_the_stop_page(city, live_server, page):
    EmergencyStop.start(by=city.designee, reason=REASON, channel=city.mastodon)
    sign_in(page, live_server.url, "staff")
    alert = page.locator("#emergency-stop-alert")
    assert "Publishing on Sandbox (Mastodon API) is stopped since" in alert.inner_text()
    assert alert.get_by_role("link").count() == 0
    assert page.get_by_role("link", name="Emergency stop").count() == 0
    assert axe_violations(page) == []
    response = page.goto(f"{live_server.url}/posts/emergency/")
    assert response.status == 403
