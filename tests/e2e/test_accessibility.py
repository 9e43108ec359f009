"""Every page of the slice passes axe-core's WCAG 2.1 A and AA rules, for the role that uses it."""

import pytest

from retention.archive import append
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def published(city):
    return city.published(title="Farmers market opens")


PAGES = {
    None: ["/login/", "/news/", "/news/{post}/", "/nowhere/"],
    "poster": ["/dashboard/", "/posts/", "/posts/new/", "/posts/{post}/", "/posts/{draft}/edit/"],
    "supervisor": ["/dashboard/", "/review/", "/posts/{submitted}/"],
    "staff": ["/dashboard/", "/posts/new/", "/review/"],
    "mayor": ["/dashboard/"],
    "clerk": ["/dashboard/", "/archive/", "/archive/{record}/", "/archive/verify/"],
}


def test_every_page_passes_axe(city, published, live_server, page):
    draft = city.draft(title="Draft notice")
    submitted = city.submitted(title="Submitted notice")
    record = published.archive_records.first() or append(kind="published", payload={})
    ids = {
        "post": published.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "record": record.sequence,
    }
    failures = {}
    for role, paths in PAGES.items():
        page.context.clear_cookies()
        if role:
            sign_in(page, live_server.url, role)
        for path in paths:
            url = live_server.url + path.format(**ids)
            page.goto(url)
            violations = axe_violations(page)
            if violations:
                failures[f"{role or 'public'} {path}"] = violations
    assert failures == {}


def test_the_draft_form_with_errors_passes_axe(city, live_server, page):
    sign_in(page, live_server.url, "poster")
    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("The post was not saved").wait_for()
    assert axe_violations(page) == []


def test_a_draft_can_be_written_and_saved_with_the_keyboard_alone(city, live_server, page):
    from posting.models import Post

    sign_in(page, live_server.url, "poster")
    page.goto(f"{live_server.url}/posts/new/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    page.get_by_label("Headline").focus()
    page.keyboard.type("Holiday trash pickup")
    page.keyboard.press("Tab")  # category
    page.keyboard.type("702.4(a)")
    page.keyboard.press("Tab")  # first channel
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # second channel
    page.keyboard.press("Tab")  # text
    page.keyboard.type("Trash pickup moves to Friday this week.")
    focused = ""
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Save draft":
            break
    assert focused == "Save draft"
    page.keyboard.press("Enter")
    page.get_by_text("Draft saved.").wait_for()
    post = Post.objects.get()
    assert (post.title, post.category, post.body) == (
        "Holiday trash pickup",
        "announcement",
        "Trash pickup moves to Friday this week.",
    )
    assert list(post.channels.all()) == [city.website]
