"""702.3: the Mayor's office edits the guidelines and sees their history; staff read them."""

import pytest
from django.urls import reverse

from review.guideline_models import Guideline, GuidelineTemplate
from review.guidelines import evaluate

pytestmark = pytest.mark.django_db

OTHERS = ["poster", "supervisor", "designee", "staff", "clerk", "it", "outsider"]


def guideline_data(guideline, **changes):
    """The edit form as the page sends it, with `changes`; `elements` replaces the elements."""
    data = {
        "summary": guideline.summary,
        "channels": [c.pk for c in guideline.channels.all()],
        "min_length": guideline.min_length or "",
        "max_length": guideline.max_length or "",
        "allowed_link_domains": guideline.allowed_link_domains,
        "required_terms": guideline.required_terms,
        "banned_terms": guideline.banned_terms,
    }
    if guideline.active:
        data["active"] = "on"
    if guideline.always_needs_approval:
        data["always_needs_approval"] = "on"
    elements = changes.pop("elements", None)
    data.update(changes)
    existing = list(guideline.required_elements.all())
    rows = [{"id": e.pk, "label": e.label, "pattern": e.pattern, "hint": e.hint} for e in existing]
    if elements is not None:
        rows = elements
    data["elements-TOTAL_FORMS"] = len(rows)
    data["elements-INITIAL_FORMS"] = len(existing)
    data["elements-MIN_NUM_FORMS"] = 0
    data["elements-MAX_NUM_FORMS"] = 1000
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"elements-{i}-{key}"] = value
        data[f"elements-{i}-guideline"] = guideline.pk
    return {k: v for k, v in data.items() if v is not None}


MAYORS_PAGES = [
    ("guidelines:manage", {}),
    ("guidelines:edit", {"category": "traffic"}),
    ("guidelines:history", {"category": "traffic"}),
    ("guidelines:template_new", {"category": "traffic"}),
]


@pytest.mark.parametrize("name, kwargs", MAYORS_PAGES)
def test_the_mayors_office_opens_its_pages(guidelines, city, client, name, kwargs):
    city.sign_in_client(client, "mayor")
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize("name, kwargs", MAYORS_PAGES)
def test_everyone_else_is_refused_the_mayors_pages(guidelines, city, client, who, name, kwargs):
    city.sign_in_client(client, who)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    assert "702.3" in response.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_no_one_else_can_change_a_guideline_or_a_template(guidelines, city, client, who):
    city.sign_in_client(client, who)
    traffic = guidelines["traffic"]
    response = client.post(
        reverse("guidelines:edit", args=["traffic"]), guideline_data(traffic, max_length=5)
    )
    assert response.status_code == 403
    template = traffic.templates.first()
    response = client.post(
        reverse("guidelines:template_edit", args=[template.pk]), {"name": "Hijacked"}
    )
    assert response.status_code == 403
    traffic.refresh_from_db()
    assert traffic.max_length == 500
    assert not GuidelineTemplate.objects.filter(name="Hijacked").exists()


def test_signed_out_people_are_sent_to_sign_in(guidelines, client):
    for name, kwargs in [*MAYORS_PAGES, ("guidelines:index", {}), ("guidelines:try", {})]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["staff", "poster", "supervisor", "mayor"])
def test_signed_in_employees_read_what_conforms(guidelines, city, client, who):
    city.sign_in_client(client, who)
    response = client.get(reverse("guidelines:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "702.4(f) Traffic information" in page
    assert "the time window" in page
    assert "Planned road closure" in page
    assert ("Edit the guideline for" in page) == (who == "mayor")


def test_the_mayors_office_edits_a_guideline_and_it_applies_at_once(guidelines, city, client):
    body = (
        "Main Street is closed between 3rd and 5th Avenue from 9 AM to 3 PM on Tuesday for "
        "paving. Detour: use Oak Street."
    )
    assert evaluate(title="Closure", body=body, category="traffic") == []
    city.sign_in_client(client, "mayor")
    traffic = guidelines["traffic"]
    response = client.post(
        reverse("guidelines:edit", args=["traffic"]),
        guideline_data(traffic, max_length=80, banned_terms="paving", channels=[city.website.pk]),
    )
    assert response.status_code == 302
    traffic.refresh_from_db()
    assert traffic.max_length == 80
    assert traffic.updated_by == city.mayor
    rules = {
        f.rule
        for f in evaluate(title="Closure", body=body, category="traffic", channels=[city.mastodon])
    }
    assert rules == {"702.3/length", "702.3/banned-term", "702.3/channel"}


def test_the_mayors_office_adds_and_removes_required_elements(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    traffic = guidelines["traffic"]
    first, *rest = traffic.required_elements.all()
    rows = [
        {
            "id": first.pk,
            "label": first.label,
            "pattern": first.pattern,
            "hint": first.hint,
            "DELETE": "on",
        },
        *[{"id": e.pk, "label": e.label, "pattern": e.pattern, "hint": e.hint} for e in rest],
        {"label": "the crew", "pattern": r"\bcrews?\b", "hint": "e.g. 'Public Works crews'"},
    ]
    response = client.post(
        reverse("guidelines:edit", args=["traffic"]), guideline_data(traffic, elements=rows)
    )
    assert response.status_code == 302
    labels = list(traffic.required_elements.values_list("label", "position"))
    assert labels == [
        ("the time window", 0),
        ("a detour or a reminder to plan extra time", 1),
        ("the crew", 2),
    ]


def test_an_invalid_pattern_is_refused_with_a_message(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    traffic = guidelines["traffic"]
    rows = [{"label": "broken", "pattern": "(unclosed", "hint": ""}]
    data = guideline_data(traffic, elements=rows)
    data["elements-INITIAL_FORMS"] = 0
    response = client.post(reverse("guidelines:edit", args=["traffic"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The guideline was not saved" in page
    assert "not a valid pattern" in page
    assert traffic.required_elements.count() == 3


def test_min_over_max_is_refused(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    traffic = guidelines["traffic"]
    response = client.post(
        reverse("guidelines:edit", args=["traffic"]),
        guideline_data(traffic, min_length=600, max_length=500),
    )
    assert response.status_code == 400
    assert "cannot be longer than the longest" in response.content.decode()


def test_a_bad_domain_is_refused(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    response = client.post(
        reverse("guidelines:edit", args=["announcement"]),
        guideline_data(
            guidelines["announcement"], allowed_link_domains="riverton.example\nhttp://x"
        ),
    )
    assert response.status_code == 400
    assert "Not a domain: http://x" in response.content.decode()


def test_the_mayors_office_writes_a_guideline_for_a_category_without_one(city, client):
    city.sign_in_client(client, "mayor")
    data = {
        "summary": "Tips.",
        "allowed_link_domains": "riverton.example",
        "max_length": "300",
        "active": "on",
        "elements-TOTAL_FORMS": 1,
        "elements-INITIAL_FORMS": 0,
        "elements-0-label": "a tip",
        "elements-0-pattern": r"\btip\b",
    }
    response = client.post(reverse("guidelines:edit", args=["crime_prevention"]), data)
    assert response.status_code == 302
    guideline = Guideline.objects.get(category="crime_prevention")
    assert guideline.required_elements.get().label == "a tip"
    assert evaluate(title="t", body="A tip: lock your car.", category="crime_prevention") == []


def test_an_unknown_category_is_not_found(city, client):
    city.sign_in_client(client, "mayor")
    assert client.get(reverse("guidelines:edit", args=["gossip"])).status_code == 404


def test_the_mayors_office_adds_a_template(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    data = {
        "name": "Street sweeping",
        "text": "{road} is swept from {start} to {end} on {day}. Plan extra time.",
        "active": "on",
        "fields-TOTAL_FORMS": 4,
        "fields-INITIAL_FORMS": 0,
    }
    rows = [
        ("road", "Road", "", "Main Street"),
        ("start", "Start", r"\d{1,2} (?:AM|PM)", "8 AM"),
        ("end", "End", r"\d{1,2} (?:AM|PM)", "11 AM"),
        ("day", "Day", "", "Monday"),
    ]
    for i, (name, label, pattern, example) in enumerate(rows):
        data.update(
            {
                f"fields-{i}-name": name,
                f"fields-{i}-label": label,
                f"fields-{i}-pattern": pattern,
                f"fields-{i}-example": example,
            }
        )
    response = client.post(reverse("guidelines:template_new", args=["traffic"]), data)
    assert response.status_code == 302, response.content.decode()
    template = GuidelineTemplate.objects.get(name="Street sweeping")
    assert template.updated_by == city.mayor
    assert [f.name for f in template.fields.all()] == ["road", "start", "end", "day"]
    assert "Street sweeping" in [
        t.name for t in __import__("review.guidelines").guidelines.conforming_templates("traffic")
    ]


def test_a_template_whose_fields_do_not_match_its_text_is_refused(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    data = {
        "name": "Mismatch",
        "text": "{road} is closed {when}.",
        "fields-TOTAL_FORMS": 2,
        "fields-INITIAL_FORMS": 0,
        "fields-0-name": "road",
        "fields-0-label": "Road",
        "fields-0-example": "Main Street",
        "fields-1-name": "detour",
        "fields-1-label": "Detour",
        "fields-1-example": "Oak Street",
    }
    response = client.post(reverse("guidelines:template_new", args=["traffic"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add a fill-in field below for {when}" in page
    assert "The text does not use {detour}" in page
    assert not GuidelineTemplate.objects.filter(name="Mismatch").exists()


def test_history_shows_who_changed_what_and_when(guidelines, city, client):
    city.sign_in_client(client, "mayor")
    traffic = guidelines["traffic"]
    client.post(
        reverse("guidelines:edit", args=["traffic"]),
        guideline_data(traffic, max_length=400, channels=[city.website.pk]),
    )
    template = traffic.templates.get(name="Planned road closure")
    template.name = "Planned closure"
    template.save()
    latest = traffic.history.first()
    assert latest.history_user == city.mayor
    assert traffic.history.count() >= 2
    response = client.get(reverse("guidelines:history", args=["traffic"]))
    page = response.content.decode()
    assert "Guideline changed" in page
    assert str(city.mayor) in page
    assert "Longest text (characters): 500 → 400" in page
    assert f"Channels: every channel → {city.website.name}" in page
    assert "Guideline created" in page
    assert "Template “Planned closure” changed" in page
    assert "Name: Planned road closure → Planned closure" in page
    assert "Required element “the location” added" in page


def test_the_manage_page_lists_every_category(
    guidelines, city, client, django_assert_max_num_queries
):
    city.sign_in_client(client, "mayor")
    Guideline.objects.filter(category="media_release").delete()
    response = client.get(reverse("guidelines:manage"))
    page = response.content.decode()
    assert "702.4(g) Media release" in page
    assert "No guideline: a supervisor approves every post" in page
    assert "2 of 2" in page


@pytest.mark.parametrize("name", ["guidelines:manage", "guidelines:index", "guidelines:try"])
def test_list_pages_cost_the_same_queries_however_many_guidelines(guidelines, city, client, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city.sign_in_client(client, "mayor")
    url = reverse(name)
    client.get(url)  # compiles the guidelines
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for category, guideline in guidelines.items():
        guideline.required_elements.create(label=f"more {category}", pattern="x")
        guideline.channels.add(city.website)
        extra = guideline.templates.create(name="Extra", text="{x} https://www.riverton.example")
        extra.fields.create(name="x", label="X", example="x")
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
