"""702.3 and 702.8 in the browser: authorizations, designees, training, equipment, requests."""

import pytest

from accounts.models import Authorization, Device
from posting.models import Post, PostingRequest, PostState
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_mayors_office_grants_and_revokes_an_authorization(city, live_server, page):
    city.trained(city.staff)
    sign_in(page, live_server.url, "mayor")
    page.goto(f"{live_server.url}/people/authorizations/new/")
    page.get_by_label("Employee").select_option(label="Sasha Kowalski (Parks and Recreation)")
    page.locator("label", has_text="City website").click()
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Sasha Kowalski is authorized (702.3).").wait_for()
    assert page.locator("#authorization-state").text_content() == "Active"
    assert axe_violations(page) == []
    page.get_by_label("Reason").fill("Project finished.")
    page.get_by_role("button", name="Revoke this authorization").click()
    page.get_by_text("Authorization revoked.").wait_for()
    assert page.locator("#authorization-state").text_content() == "Revoked"
    assert "Project finished." in page.content()
    page.goto(f"{live_server.url}/people/authorizations/?state=revoked")
    page.get_by_role("link", name="Sasha Kowalski").wait_for()
    assert axe_violations(page) == []


def test_a_designee_acts_within_scope_and_is_refused_outside_it(city, live_server, page):
    city.trained(city.public_works_employee)
    city.trained(city.staff)
    sign_in(page, live_server.url, "designee")
    page.goto(f"{live_server.url}/people/authorizations/new/")
    page.get_by_label("Employee").select_option(label="Sasha Kowalski (Parks and Recreation)")
    page.locator("label", has_text="City website").click()
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("outside the scope of your designation").wait_for()
    assert not Authorization.objects.filter(user=city.staff).exists()
    page.get_by_label("Employee").select_option(label="Robin Diaz (Public Works)")
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("is authorized (702.3)").wait_for()
    assert "designee of the Mayor" in page.content()


def test_untrained_staff_are_refused_until_they_complete_training(city, live_server, page):
    sign_in(page, live_server.url, "mayor")
    page.goto(f"{live_server.url}/people/authorizations/new/")
    page.get_by_label("Employee").select_option(label="Sasha Kowalski (Parks and Recreation)")
    page.locator("label", has_text="City website").click()
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("702.8").first.wait_for()
    assert not Authorization.objects.filter(user=city.staff).exists()
    city.trained(city.staff)  # the employee completes the modules (their own test covers the quiz)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Sasha Kowalski is authorized (702.3).").wait_for()


def test_a_post_is_refused_from_an_unenrolled_device_and_allowed_after_enrollment(
    city, live_server, page
):
    post = city.draft(title="Street sweeping schedule")
    sign_in(page, live_server.url, "poster", device=False)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("702.3: use city-approved equipment").wait_for()
    post.refresh_from_db()
    assert post.state == PostState.DRAFT

    page.goto(f"{live_server.url}/people/equipment/")
    page.get_by_label("Name of this device").fill("Public Works laptop PW-114")
    page.get_by_role("button", name="Request enrollment").click()
    page.get_by_text("Enrollment requested.").wait_for()
    assert axe_violations(page) == []
    Device.objects.get(name="Public Works laptop PW-114").approve(by=city.it)

    page.goto(f"{live_server.url}/posts/{post.pk}/")
    page.locator("label", has_text="appropriate for public release").click()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted. A supervisor has been asked to approve it.").wait_for()
    post.refresh_from_db()
    assert post.transitions.last().equipment == "Public Works laptop PW-114"


def test_a_staff_request_travels_through_the_supervisor_to_a_poster(city, live_server, page):
    sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/posts/requests/new/")
    page.get_by_label("What should the public be told?").fill(
        "Riverside pool closes at 4 PM Friday for staff training."
    )
    page.get_by_label("Why it matters").fill("Swim lessons are cancelled.")
    page.get_by_label("Who needs to hear it").fill("Pool users")
    page.get_by_role("button", name="Send to my supervisor").click()
    page.get_by_text("Sent to your supervisor").wait_for()
    assert axe_violations(page) == []
    request = PostingRequest.objects.get()

    page.context.clear_cookies()
    sign_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    page.get_by_label("Authorized poster", exact=True).select_option(
        label="Pat Nguyen (Public Works)"
    )
    page.get_by_label("Headline").fill("Pool closes early Friday")
    page.get_by_label("Content category (702.4)").select_option("announcement")
    page.get_by_role("button", name="Forward as a draft").click()
    page.get_by_text("Forwarded as a draft.").wait_for()

    draft = Post.objects.get(title="Pool closes early Friday")
    assert draft.author == city.poster and draft.state == PostState.DRAFT
    page.context.clear_cookies()
    sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/posts/requests/")
    page.get_by_text("Forwarded to an authorized poster: the post is draft").wait_for()
