"""In a real browser: the supervisor the Mayor appointed reviews the year's use of social media
(702.6): opens the review from the dashboard, writes findings under the four headings, signs
off and downloads the PDF report for the Mayor. Every page passes an axe scan."""

from pathlib import Path

import pypdfium2
import pytest

from review.annual_models import HEADINGS
from review.models import AnnualReview
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FINDINGS = [
    "Two channels and one poster carried the year; approvals took under a day.",
    "Traffic updates drew the most replies; announcements the most likes.",
    "No post was reported; one blocking finding was overridden with reasons.",
    "Nothing was left open at the end of the period.",
]


def test_the_reviewer_writes_findings_signs_off_and_downloads_the_report(city, live_server, page):
    city.published(title="Library hours", category="community_engagement")
    review = AnnualReview.objects.get(reviewer=city.supervisor)
    sign_in(page, live_server.url, "supervisor")

    page.get_by_role("link", name=f"review of {review.period_label}").first.click()
    page.get_by_role(
        "heading", name=f"Review of the City's use of social media, {review.period_label}"
    ).wait_for()
    assert page.get_by_role("img", name="Posts per channel").count() == 1
    assert axe_violations(page) == []

    # USWDS draws its own checkbox: a person clicks the label.
    page.locator("label", has_text="I sign it off as the appointed reviewer").click()
    page.get_by_role("button", name="Sign off the review").click()  # no findings yet
    page.get_by_text("Write your findings on: Resources being used").wait_for()

    for number, ((_, heading), text) in enumerate(zip(HEADINGS, FINDINGS, strict=True), start=1):
        page.get_by_role("textbox", name=f"{number}. {heading}").fill(text)
    page.get_by_role("textbox", name="Recommendations").fill("Open a channel in Spanish.")
    page.get_by_role("button", name="Save findings").click()
    page.get_by_text("Your findings are saved.").wait_for()
    assert axe_violations(page) == []

    page.locator("label", has_text="I sign it off as the appointed reviewer").click()
    page.get_by_role("button", name="Sign off the review").click()
    page.get_by_role("heading", name="Signed off").wait_for()
    assert page.get_by_role("button", name="Save findings").count() == 0
    assert FINDINGS[1] in page.locator("#effectiveness-findings").inner_text()
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    document = pypdfium2.PdfDocument(content)
    text = "\n".join(p.get_textpage().get_text_range() for p in document)
    for _, heading in HEADINGS:
        assert heading in text
    assert "Signed off" in text and "DRAFT" not in text
    review.refresh_from_db()
    assert review.is_signed_off and review.recommendations == "Open a channel in Spanish."
