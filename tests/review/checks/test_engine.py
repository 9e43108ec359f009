"""The engine's contract: spans of the original text, one decision, messages naming the clause."""

import dataclasses

from review.checks.config import RuleSetting
from review.checks.engine import CheckResult, check
from review.checks.findings import Decision, Finding, Severity

from .conftest import rules_of


def test_result_carries_findings_and_the_decision_they_lead_to(config):
    result = check(
        title="",
        body="Case 24-018823: the alarm is off between 2 and 4.",
        category="traffic",
        config=config,
    )
    assert isinstance(result, CheckResult)
    assert all(isinstance(f, Finding) for f in result.findings)
    assert result.decision == Decision.BLOCK
    assert result.as_dict()["decision"] == "block"


def test_clean_post_is_allowed_with_no_findings(config):
    result = check(
        title="Pothole repairs on Main Street",
        body="Crews repair potholes on Main Street from 9 AM to 3 PM on Tuesday.",
        category="announcement",
        config=config,
    )
    assert result.findings == []
    assert result.decision == Decision.ALLOW


def test_spans_index_the_field_they_name(config):
    title = "Vote for Karen Mills"
    body = "Plenty of room.\u200b\u200b Call Maria Lopez on her cell at 541-555-0231."
    result = check(title=title, body=body, category="community_engagement", config=config)
    by_field = {f.field: f for f in result.findings}
    assert title[by_field["title"].start : by_field["title"].end] == "Vote for Karen"
    assert body[by_field["body"].start : by_field["body"].end] == "541-555-0231"


def test_every_message_names_its_clause_and_severity(config):
    body = "Best pizza in town at Tony's! Officers are staged at the school. #roadclosure"
    result = check(title="", body=body, category="community_engagement", config=config)
    labels = {
        Severity.BLOCK: "Blocked: ",
        Severity.NEEDS_SUPERVISOR: "Needs a supervisor: ",
        Severity.WARN: "Warning: ",
    }
    assert {f.rule for f in result.findings} == {
        "702.5(d)/endorsement",
        "702.5(e)/tactical",
        "702.3/hashtag-case",
    }
    for finding in result.findings:
        assert finding.message.startswith(labels[finding.severity] + finding.clause + ", ")


def test_a_disabled_rule_finds_nothing(config):
    settings = {**config.rule_settings, "702.5(e)/tactical": RuleSetting(enabled=False)}
    quiet = dataclasses.replace(config, rule_settings=settings)
    text = "Officers are staged at the school."
    assert rules_of(check(title="", body=text, category="traffic", config=config)) == {
        "702.5(e)/tactical"
    }
    assert check(title="", body=text, category="traffic", config=quiet).findings == []


def test_a_severity_override_changes_the_decision(config):
    settings = {"702.5(d)/endorsement": RuleSetting(severity=Severity.BLOCK)}
    strict = dataclasses.replace(config, rule_settings=settings)
    result = check(
        title="", body="Best pizza in town at Tony's!", category="announcement", config=strict
    )
    assert result.decision == Decision.BLOCK
    assert result.findings[0].message.startswith("Blocked: 702.5(d)")


def test_finding_as_dict_has_the_command_fields(config):
    result = check(title="", body="SSN 412-55-9031", category="announcement", config=config)
    data = result.findings[0].as_dict()
    assert data == {
        "rule": "702.5(b)/ssn",
        "clause": "702.5(b)",
        "severity": "block",
        "message": data["message"],
        "start": 4,
        "end": 15,
        "field": "body",
    }


def test_empty_fields_are_allowed(config):
    assert (
        check(title="", body="", category="announcement", config=config).decision == Decision.ALLOW
    )
