"""The Mayor's office edits a guideline in a real browser; every guideline page passes axe."""

import pytest

from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_mayors_office_edits_a_guideline_and_the_pages_pass_axe(city, live_server, page):
    from review.guideline_defaults import load_default_guidelines
    from review.guideline_models import Guideline
    from review.guidelines import evaluate

    load_default_guidelines()
    traffic = Guideline.objects.get(category="traffic")
    template = traffic.templates.get(name="Planned road closure")
    failures = {}

    def scan(label):
        violations = axe_violations(page)
        if violations:
            failures[label] = violations

    sign_in(page, live_server.url, "mayor")
    page.goto(f"{live_server.url}/guidelines/manage/")
    scan("manage")
    page.get_by_role("link", name="702.4(f) Traffic information", exact=True).click()
    page.get_by_role("heading", name="Guideline for 702.4(f) Traffic information").wait_for()
    scan("edit")
    page.get_by_label("Longest text (characters)").fill("300")
    page.get_by_label("Words not allowed").fill("gridlock")
    page.get_by_role("button", name="Save the guideline").click()
    page.get_by_text("Saved the guideline for 702.4(f) Traffic information").wait_for()
    scan("edit, saved")

    traffic.refresh_from_db()
    assert traffic.max_length == 300
    assert traffic.updated_by == city.mayor
    findings = evaluate(
        title="Closure",
        body=(
            "Main Street is closed between 3rd and 5th Avenue from 9 AM to 3 PM on Tuesday. "
            "Expect gridlock. Detour: use Oak Street."
        ),
        category="traffic",
    )
    assert [f.rule for f in findings] == ["702.3/banned-term"]

    page.get_by_label("Longest text (characters)").fill("200")
    page.get_by_label("Shortest text (characters)").fill("250")
    page.get_by_role("button", name="Save the guideline").click()
    page.get_by_text("The guideline was not saved").wait_for()
    scan("edit, errors")

    page.goto(f"{live_server.url}/guidelines/traffic/history/")
    page.get_by_text("Longest text (characters): 500 → 300").wait_for()
    scan("history")
    page.goto(f"{live_server.url}/guidelines/templates/{template.pk}/edit/")
    scan("template")
    page.goto(f"{live_server.url}/guidelines/")
    scan("what conforms")
    page.goto(f"{live_server.url}/guidelines/templates/try/?template={template.pk}")
    page.get_by_label("Road", exact=True).fill("Elm Street")
    page.get_by_label("Where on the road").fill("between 1st and 2nd Avenue")
    page.get_by_label("Start time").fill("8 AM")
    page.get_by_label("End time").fill("noon")
    page.get_by_label("Date", exact=True).fill("Friday, July 11")
    page.get_by_label("Reason").fill("paving")
    page.get_by_label("Detour").fill("use Cedar Street")
    page.get_by_role("button", name="Show the text").click()
    page.get_by_role("heading", name="The filled-in text").wait_for()
    assert page.get_by_label("Text (").input_value().startswith("Elm Street is closed")
    scan("try")
    page.get_by_label("Road", exact=True).fill("elm")
    page.get_by_role("button", name="Show the text").click()
    page.get_by_text("The template could not be filled in").wait_for()
    scan("try, errors")
    assert failures == {}
