"""In a real browser: the Mayor's office edits the checks, a supervisor keeps the watch list, and
every configuration page passes axe-core's WCAG 2.1 A and AA rules."""

import pytest

from review.check_models import LexiconEntry, WatchListEntry
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def defaults(city):
    from review.checks.config import clear_cache
    from review.checks.defaults import load_default_configuration

    clear_cache()
    load_default_configuration()
    return city


def test_every_configuration_page_passes_axe(defaults, live_server, page):
    base = live_server.url
    sign_in(page, base, "mayor")
    entry = LexiconEntry.objects.get(term="scum", kind="inflammatory")
    paths = [
        "/checks/",
        "/checks/rules/",
        "/checks/try/",
        "/checks/lexicon/",
        "/checks/lexicon/new/",
        f"/checks/lexicon/{entry.pk}/",
        f"/checks/lexicon/{entry.pk}/delete/",
        "/checks/allowed-phrases/",
        "/checks/contacts/",
        "/checks/case-formats/",
        "/checks/watch-list/",
        "/checks/watch-list/new/",
    ]
    for path in paths:
        page.goto(base + path)
        assert axe_violations(page) == [], path


def test_mayors_office_adds_a_term_and_tries_it(defaults, live_server, page):
    base = live_server.url
    sign_in(page, base, "mayor")
    page.goto(base + "/checks/lexicon/new/")
    page.get_by_label("Term").fill("borked")
    page.get_by_label("Kind").select_option("profanity")
    page.get_by_label("Severity").select_option("block")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. The checks use it from now on").wait_for()
    assert LexiconEntry.objects.filter(term="borked").exists()

    page.goto(base + "/checks/try/")
    page.get_by_label("Text").fill("The parking app is borked today.")
    page.get_by_label("Category").select_option("announcement")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="Result: blocked").wait_for()
    assert page.locator("mark").inner_text() == "borked"
    assert axe_violations(page) == []


def test_supervisor_keeps_the_watch_list_and_an_error_is_announced(defaults, live_server, page):
    base = live_server.url
    sign_in(page, base, "supervisor")
    page.goto(base + "/checks/watch-list/new/")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("alert").filter(has_text="The entry was not saved").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Name or term").fill("Darnell Pruitt")
    page.get_by_label("Kind").select_option("investigation")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("cell", name="Darnell Pruitt").wait_for()
    assert WatchListEntry.objects.get().added_by.username == "supervisor"
    response = page.goto(base + "/checks/lexicon/")
    assert response.status == 403
