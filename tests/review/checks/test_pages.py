"""The configuration pages: the Mayor's office edits everything, supervisors the watch list,
nobody else anything (checked on the server: 403)."""

import pytest
from django.urls import reverse

from review.check_models import LexiconEntry, RuleSetting, WatchListEntry
from review.checks.engine import check

pytestmark = pytest.mark.django_db

MAYORS_PAGES = [
    ("checks:rules", {}),
    ("checks:section", {"section": "lexicon"}),
    ("checks:section", {"section": "allowed-phrases"}),
    ("checks:section", {"section": "contacts"}),
    ("checks:section", {"section": "case-formats"}),
    ("checks:new", {"section": "lexicon"}),
    ("checks:new", {"section": "contacts"}),
]
SHARED_PAGES = [
    ("checks:index", {}),
    ("checks:try", {}),
    ("checks:section", {"section": "watch-list"}),
    ("checks:new", {"section": "watch-list"}),
]


def signed_in(city, client, who):
    return city.sign_in_client(client, who)


@pytest.mark.parametrize("name, kwargs", MAYORS_PAGES + SHARED_PAGES)
def test_mayors_office_sees_every_configuration_page(city, client, configured, name, kwargs):
    response = signed_in(city, client, "mayor").get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize("name, kwargs", SHARED_PAGES)
def test_supervisor_sees_the_watch_list(city, client, configured, name, kwargs):
    assert (
        signed_in(city, client, "supervisor").get(reverse(name, kwargs=kwargs)).status_code == 200
    )


@pytest.mark.parametrize("name, kwargs", MAYORS_PAGES)
def test_supervisor_may_not_configure_the_rules_or_lexicon(city, client, configured, name, kwargs):
    assert (
        signed_in(city, client, "supervisor").get(reverse(name, kwargs=kwargs)).status_code == 403
    )


@pytest.mark.parametrize("who", ["poster", "staff", "clerk", "outsider"])
@pytest.mark.parametrize("name, kwargs", MAYORS_PAGES + SHARED_PAGES)
def test_others_are_refused(city, client, configured, who, name, kwargs):
    assert signed_in(city, client, who).get(reverse(name, kwargs=kwargs)).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("checks:section", kwargs={"section": "watch-list"}))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_refused_posts_change_nothing(city, client, configured):
    entry = LexiconEntry.objects.get(term="scum", kind="inflammatory")
    staff = signed_in(city, client, "supervisor")
    url = reverse("checks:edit", kwargs={"section": "lexicon", "pk": entry.pk})
    response = staff.post(url, {"term": "scum", "kind": "inflammatory", "severity": "warn"})
    assert response.status_code == 403
    delete = reverse("checks:delete", kwargs={"section": "lexicon", "pk": entry.pk})
    assert staff.post(delete).status_code == 403
    rule = reverse("checks:rule_setting")
    assert staff.post(rule, {"rule_id": "702.5(e)/tactical"}).status_code == 403
    entry.refresh_from_db()
    assert entry.severity == "block"
    assert RuleSetting.objects.get(rule_id="702.5(e)/tactical").enabled


def test_mayors_office_adds_a_lexicon_entry_that_applies_at_once(city, client, configured):
    mayor = signed_in(city, client, "mayor")
    response = mayor.post(
        reverse("checks:new", kwargs={"section": "lexicon"}),
        {"term": "Borked", "kind": "profanity", "severity": "block", "note": "", "active": "on"},
    )
    assert response.status_code == 302
    assert LexiconEntry.objects.get(term="borked").history.first().history_user == city.mayor
    result = check(title="", body="The app is borked.", category="announcement")
    assert [f.rule for f in result.findings] == ["702.5(a)/profanity"]


def test_invalid_case_format_is_refused_with_an_error(city, client, configured):
    mayor = signed_in(city, client, "mayor")
    response = mayor.post(
        reverse("checks:new", kwargs={"section": "case-formats"}),
        {"label": "Broken", "pattern": r"\b(\d{2}-", "context_words": "case", "active": "on"},
    )
    assert response.status_code == 200
    assert "not a valid regular expression" in response.content.decode()


def test_supervisor_adds_a_watch_list_entry_as_themselves(city, client, configured):
    supervisor = signed_in(city, client, "supervisor")
    response = supervisor.post(
        reverse("checks:new", kwargs={"section": "watch-list"}),
        {
            "term": "Darnell Pruitt",
            "kind": "investigation",
            "note": "warrant",
            "expires": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    entry = WatchListEntry.objects.get()
    assert entry.added_by == city.supervisor
    result = check(title="", body="Seen: Darnell Pruitt downtown.", category="announcement")
    assert [f.rule for f in result.findings] == ["702.5(c)/watch-list"]


def test_mayors_office_removes_an_entry(city, client, configured):
    entry = LexiconEntry.objects.get(term="scum", kind="inflammatory")
    mayor = signed_in(city, client, "mayor")
    url = reverse("checks:delete", kwargs={"section": "lexicon", "pk": entry.pk})
    assert mayor.get(url).status_code == 200
    assert mayor.post(url).status_code == 302
    assert not LexiconEntry.objects.filter(pk=entry.pk).exists()


def test_mayors_office_turns_a_rule_off(city, client, configured):
    mayor = signed_in(city, client, "mayor")
    from review.checks.rules import RULES

    index = sorted(RULES).index("702.5(f)/personal-content")
    response = mayor.post(
        reverse("checks:rule_setting"),
        {"rule_id": "702.5(f)/personal-content", f"rule{index}-severity_override": ""},
    )
    assert response.status_code == 302
    assert not RuleSetting.objects.get(rule_id="702.5(f)/personal-content").enabled
    assert check(title="", body="Back from my vacation!", category="announcement").findings == []


def test_try_page_shows_findings_with_the_span_marked(city, client, configured):
    mayor = signed_in(city, client, "mayor")
    response = mayor.post(
        reverse("checks:try"),
        {"title": "", "body": "Reference case 24-018823 when you call.", "category": "traffic"},
    )
    html = response.content.decode()
    assert "<mark>24-018823</mark>" in html
    assert "Blocked: 702.5(c), information that could compromise an ongoing investigation" in html


def test_pages_use_uswds_forms_with_labels(city, client, configured):
    html = (
        signed_in(city, client, "mayor")
        .get(reverse("checks:new", kwargs={"section": "contacts"}))
        .content.decode()
    )
    assert 'class="usa-form' in html
    for field in ("kind", "value", "label", "active"):
        assert f'for="id_{field}"' in html
