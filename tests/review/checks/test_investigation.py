"""702.5(c): information that could compromise an ongoing investigation."""

import pytest

from review.checks.config import (
    WatchEntry,
    build_config,
    compile_case_format,
    default_allowed_phrases,
    default_contacts,
    default_lexicon,
)
from review.checks.findings import Decision

from .conftest import rules_of, spans_of
from .test_privacy import config_with_watch_list


def test_702_5_c_case_number_blocks(run):
    text = "Anyone with information should reference case 24-018823 when calling."
    result = run(text)
    assert result.decision == Decision.BLOCK
    assert spans_of(result, text) == ["24-018823"]
    assert result.findings[0].message == (
        "Blocked: 702.5(c), information that could compromise an ongoing investigation: "
        "a case number"
    )


@pytest.mark.parametrize("number", ["CR-2024-00871", "RPT 2024-3321", "INC2025-118"])
def test_702_5_c_records_number_blocks_without_context(run, number):
    text = f"The investigation, {number}, is ongoing."
    assert spans_of(run(text), text, "702.5(c)/case-number") == [number]


def test_702_5_c_number_in_case_format_without_context_word_passes(run):
    assert not rules_of(run("The 24-018823 figure in the budget is the project code."))


def test_702_5_c_city_configures_its_own_case_number_format(run):
    config = build_config(
        lexicon=default_lexicon(),
        allowed=default_allowed_phrases(),
        contacts=[(k, v) for k, v, _ in default_contacts()],
        case_formats=[compile_case_format("Fire incident", r"\bF\d{7}\b", "")],
    )
    text = "Fire investigators are working F2400123."
    assert spans_of(run(text, config=config), text) == ["F2400123"]
    assert not rules_of(run("Reference case 24-018823.", config=config))


def test_702_5_c_watch_list_term_blocks_through_evasion(run):
    config = config_with_watch_list(WatchEntry("Operation Nightfall", "investigation"))
    text = "Operat1on Night\u200bfall led to six arrests."
    result = run(text, config=config)
    assert rules_of(result) == {"702.5(c)/watch-list"}
    assert spans_of(result, text) == ["Operat1on Night\u200bfall"]


def test_702_5_c_suspect_next_to_a_name_blocks(run):
    text = "The suspect, Brian Kowalski, was seen driving a gray sedan."
    assert spans_of(run(text), text, "702.5(c)/suspect-named") == ["suspect"]


def test_702_5_c_informant_blocks_without_a_name(run):
    result = run("A confidential informant told detectives where the tools were.")
    assert rules_of(result) == {"702.5(c)/suspect-named"}


@pytest.mark.parametrize(
    "text",
    [
        "Witnesses are asked to call Detective Ruiz at 541-555-0177.",
        "A suspect was arrested after a short foot chase. No one was hurt.",
        "Officer Reyes arrested the suspect near the river trail.",
    ],
)
def test_702_5_c_suspects_without_a_private_name_pass(run, text):
    assert "702.5(c)/suspect-named" not in rules_of(run(text))


@pytest.mark.parametrize(
    "text",
    [
        "FOR OFFICIAL USE ONLY - weekly crime briefing.",
        "FOUO - threat assessment for the fireworks show.",
        "Per the NCIC hit, the car was recovered.",
        "Reminder: CJIS training is due Friday.",
        "Law Enforcement Sensitive: gang activity summary.",
        "This bulletin is for law enforcement only.",
        "This is F.O.U.O. material.",
    ],
)
def test_702_5_c_law_enforcement_markings_block(run, text):
    result = run(text)
    assert "702.5(c)/law-enforcement-marking" in rules_of(result)
    assert result.decision == Decision.BLOCK
