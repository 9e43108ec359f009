"""702.5(f): content posted for personal use."""

import pytest

from review.checks.findings import Decision

from .conftest import rules_of, spans_of


@pytest.mark.parametrize(
    "text",
    [
        "Back from my vacation in Hawaii! Here are a few beach photos.",
        "My kid's birthday party is at Riverside Park Saturday!",
        "I'm so tired after this week.",
        "Me and my wife just adopted a puppy!",
    ],
)
def test_702_5_f_first_person_personal_content_needs_a_supervisor(run, text):
    result = run(text)
    assert "702.5(f)/personal-content" in rules_of(result)
    assert result.decision == Decision.NEEDS_APPROVAL


def test_702_5_f_first_person_inside_a_quotation_passes(run):
    text = 'Mayor Lee said: "My family and I thank every crew member who worked all night."'
    assert not rules_of(run(text))


@pytest.mark.parametrize(
    "text, span",
    [
        ("Follow my personal account @riverrunner_jay for photos.", "@riverrunner_jay"),
        ("For behind-the-scenes stuff, follow me on Instagram.", "follow me on"),
        ("DM me for tickets to the fundraiser.", "dm me"),
    ],
)
def test_702_5_f_personal_accounts_need_a_supervisor(run, text, span):
    result = run(text)
    assert "702.5(f)/personal-account" in rules_of(result)
    assert span.lower() in [s.lower() for s in spans_of(result, text)]


def test_702_5_f_city_handles_pass(run):
    assert not rules_of(run("Follow @RivertonPD and @RivertonParks for updates."))


def test_702_5_f_link_shortener_needs_a_supervisor(run):
    text = "Register for the 5K at bit.ly/rvtn5k before spots fill up."
    result = run(text)
    assert rules_of(result) == {"702.5(f)/link-shortener"}
    assert spans_of(result, text) == ["bit.ly/rvtn5k"]


def test_702_5_f_city_links_pass(run):
    assert not rules_of(run("Register at riverton.gov/5k before spots fill up."))
