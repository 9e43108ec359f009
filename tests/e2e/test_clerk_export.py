"""702.7 in a real browser: the City Clerk picks records with the archive's filters, asks for an
export, watches a real worker write it to 100% and downloads a package that verifies."""

import shutil
import zipfile

import pytest

from records.bag import check_bag
from records.models import CustodyEntry, ExportJob
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_the_clerk_exports_the_records_she_picked_and_downloads_them(
    city, live_server, page, celery_worker_process, tmp_path
):
    library = city.published(title="Library hours", body="The library opens at nine on Monday.")
    city.published(title="Pool closed", body="The pool is closed for repairs.")
    base = live_server.url

    sign_in(page, base, "clerk")
    page.get_by_role("link", name="Public records", exact=True).click()
    page.get_by_role("heading", name="Public records requests", level=1).wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Export records").click()
    page.get_by_role("heading", name="Export public records", level=1).wait_for()
    assert axe_violations(page) == []

    # Pick the records: the library's notice on the city website.
    page.get_by_label("Words").fill("library")
    page.get_by_label("Channel").select_option(label="City website")
    page.get_by_role("button", name="Find records").click()
    page.get_by_role("heading", name="1 record matches").wait_for()
    assert "Library hours" in page.locator("main table").first.inner_text()
    assert axe_violations(page) == []

    # Ask for the export; a real worker writes it while the bar fills.
    page.get_by_role("button", name="Export this record").click()
    progress = page.locator("#export-progress")
    progress.wait_for()
    page.locator('#export-progress[data-status="done"]').wait_for(timeout=60000)
    bar = page.get_by_label("Progress of export")
    assert bar.get_attribute("value") == "100"
    assert "100%: 1 record exported and signed." in progress.inner_text()
    assert "is ready" in page.locator("#export-outcome").inner_text()  # the live region
    assert axe_violations(page) == []

    # Download it: the bag inside verifies and holds only the record picked.
    job = ExportJob.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the package").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as bundle:
        bundle.extractall(tmp_path / "unzipped")
    bag = tmp_path / "unzipped" / job.bag_name
    assert check_bag(bag).valid
    (record,) = library.archive_records.all()
    assert [p.name for p in (bag / "data" / "records").iterdir()] == [f"{record.sequence}.json"]
    assert CustodyEntry.objects.filter(action="downloaded", export=job, actor=city.clerk).exists()
    shutil.rmtree(job.zip_path.parent, ignore_errors=True)


def test_staff_cannot_reach_the_exports(city, live_server, page):
    sign_in(page, live_server.url, "staff")
    assert page.get_by_role("link", name="Public records", exact=True).count() == 0
    assert page.goto(f"{live_server.url}/records/exports/").status == 403


def test_the_clerk_logs_a_request_and_the_pages_pass_axe(city, live_server, page):
    city.published(title="Library hours", body="The library opens at nine on Monday.")
    sign_in(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/records/requests/new/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log the request").click()
    page.get_by_text("The request was not logged").wait_for()
    assert axe_violations(page) == []

    page.get_by_label("Requester's name").fill("Riley Reporter")
    page.get_by_label("How to reach the requester").fill("riley@news.example")
    page.get_by_label("The request", exact=True).fill("Every post about the library.")
    page.get_by_label("Words").fill("library")
    page.get_by_role("button", name="Log the request").click()
    page.get_by_text("logged. The response is due").wait_for()
    assert (
        "The 1 record it covers cannot be destroyed" in page.locator("#request-status").inner_text()
    )
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link").click()
    assert "Riley Reporter" in page.locator("#records-requests").inner_text()
    assert axe_violations(page) == []
