"""702.3 and 702.5 in the browser: checks as the author types, routing, and overrides."""

import pytest

from posting.models import Post, PostState
from review.models import Override
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def rules(city):
    from review.checks.defaults import load_default_configuration
    from review.guideline_defaults import load_default_guidelines

    load_default_configuration()
    load_default_guidelines()
    return city


def write_draft(page, base, *, title, category, body):
    page.goto(f"{base}/posts/new/")
    page.get_by_label("Headline").fill(title)
    page.get_by_label("Content category (702.4)").select_option(category)
    page.locator("label", has_text="City website").click()
    page.get_by_label("Text of the post").fill(body)


def test_typing_a_prohibited_phrase_highlights_it_with_its_clause(rules, live_server, page):
    sign_in(page, live_server.url, "poster")
    write_draft(
        page,
        live_server.url,
        title="Tip line",
        category="request_for_information",
        body="Anyone with information on case 26-004512 should call the tip line.",
    )
    mark = page.locator("#highlighted mark.finding--block")
    mark.wait_for()
    assert mark.first.text_content().startswith("26-004512")
    assert "702.5(c)" in page.locator("#findings").inner_text()
    assert page.locator("#check-result").get_attribute("data-decision") == "block"
    assert axe_violations(page) == []


def test_submitting_blocked_content_is_refused_then_overridden_with_a_justification(
    rules, live_server, page
):
    base = live_server.url
    sign_in(page, base, "poster")
    body = "Anyone with information on case 26-004512 should call the tip line."
    write_draft(page, base, title="Tip line", category="request_for_information", body=body)
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("702.5(c)").first.wait_for()
    post = Post.objects.get(title="Tip line")
    assert post.state == PostState.DRAFT

    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_label("If the checks block this post").fill(
        "The Police Department published this case number in its press release today."
    )
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted. A supervisor has been asked to approve it.").wait_for()

    page.context.clear_cookies()
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/posts/{post.pk}/")
    page.get_by_role("button", name="Override and approve").click()
    page.get_by_text("written justification").first.wait_for()
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED
    page.get_by_label("Justification for overriding").fill("The Chief released it at 9 AM.")
    page.get_by_role("button", name="Override and approve").click()
    page.get_by_text("Approved.").first.wait_for()
    assert Override.objects.get(post=post).justification == "The Chief released it at 9 AM."


def test_a_conforming_post_goes_out_without_waiting_and_a_nonconforming_one_waits(
    rules, live_server, page
):
    base = live_server.url
    sign_in(page, base, "poster")
    write_draft(
        page,
        base,
        title="Main Street paving",
        category="traffic",
        body=(
            "Main Street is closed between 1st Avenue and 3rd Avenue from 9 AM to 3 PM on "
            "Tuesday for paving. Use Oak Street as a detour and plan extra time."
        ),
    )
    page.locator('#check-result[data-decision="allow"]').wait_for()
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("It conforms to the Mayor's guidelines").wait_for()
    assert Post.objects.get(title="Main Street paving").auto_approved

    write_draft(page, base, title="Closure", category="traffic", body="Main Street is closed.")
    page.locator('#check-result[data-decision="needs_approval"]').wait_for()
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted. A supervisor has been asked to approve it.").wait_for()
    assert Post.objects.get(title="Closure").state == PostState.SUBMITTED
