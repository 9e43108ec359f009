"""In a real browser: a resident writes to the city with the keyboard alone (702.5.1), through an
error and its summary, with an axe-core scan of the page and of its error state; then the
department's inbox member finds the message in CitySocial."""

import time

import pytest

from contact.models import ContactMessage
from tests.conftest import axe_violations, sign_in
from tests.contact.conftest import own_rate_limit_counts  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

MESSAGE = "The street light at Elm Street and 5th has been out since Monday."


def tab_until(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until `predicate` (JavaScript, given the focused element `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"The keyboard never reached an element where {predicate}.")


def focused(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def test_702_5_1_a_resident_writes_to_the_city_with_the_keyboard_and_the_department_reads_it(
    city, live_server, page, mailoutbox
):
    opened = time.monotonic()
    page.goto(f"{live_server.url}/news/")
    tab_until(page, "el.textContent.trim() === 'Contact the city'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Contact the city", level=1).wait_for()
    assert axe_violations(page) == []

    # Sent empty: the error summary names each problem and links to its field.
    tab_until(page, "el.textContent.trim() === 'Send your message'")
    page.keyboard.press("Enter")
    page.get_by_text("Your message has not been sent yet").wait_for()
    assert page.title().startswith("Error:")
    summary = page.locator("#error-summary")
    assert (
        summary.get_by_role("link", name="What is your message about?").get_attribute("href")
        == "#id_topic_0"
    )
    assert (
        summary.get_by_role("link", name="Your message", exact=True).get_attribute("href")
        == "#id_body"
    )
    assert axe_violations(page) == []

    # The topic with the space bar, then the message and contact details, Tab by Tab.
    tab_until(page, "el.name === 'topic'")
    page.keyboard.press("Space")
    assert page.locator("#id_topic_0").is_checked()
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "id_body"
    page.keyboard.type(MESSAGE, delay=10)
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "id_name"
    page.keyboard.type("Lee Park")
    page.keyboard.press("Tab")
    page.keyboard.type("lee.park@example.org")
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "id_phone"
    page.keyboard.press("Tab")  # the honeypot is never reached: straight to the button
    assert focused(page, "el.textContent.trim()") == "Send your message"
    time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))  # a person takes a few seconds
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Your message was sent").wait_for()
    reference = page.locator("#reference").text_content()
    message = ContactMessage.objects.get(reference=reference)
    assert message.state == ContactMessage.State.WAITING and message.body == MESSAGE
    assert message.archive_records().count() == 1
    assert {tuple(m.to) for m in mailoutbox} >= {("lee.park@example.org",)}
    assert axe_violations(page) == []

    # The Public Works inbox member sees it from the dashboard.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "robin")
    page.get_by_text("1 message waiting for an answer").wait_for()
    tab_until(page, "el.textContent.trim() === 'Open the inbox'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Messages from the public").wait_for()
    tab_until(page, f"el.textContent.trim() === '{reference}'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Message {reference}").wait_for()
    assert page.locator("#message-body").text_content() == MESSAGE
    assert "Lee Park" in page.locator("#message-sender").text_content()
    assert axe_violations(page) == []
