"""`manage.py check_content`: JSON lines in, one JSON answer per line out."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run_command(lines, monkeypatch, path=None):
    out = io.StringIO()
    if path is None:
        monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
        call_command("check_content", stdout=out)
    else:
        call_command("check_content", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_check_content_answers_each_line_in_order(monkeypatch):
    answers = run_command(
        [
            json.dumps(
                {
                    "text": "Reference case 24-018823 when you call.",
                    "category": "request_for_information",
                }
            ),
            json.dumps(
                {
                    "text": "Road closed on Main Street today.",
                    "category": "traffic",
                    "channels": ["city-website"],
                }
            ),
            json.dumps(
                {
                    "title": "Vote for Karen Mills",
                    "text": "Polls open at 7 AM.",
                    "category": "announcement",
                }
            ),
        ],
        monkeypatch,
    )
    assert [a["decision"] for a in answers] == ["block", "allow", "needs_approval"]
    (finding,) = answers[0]["findings"]
    assert finding == {
        "rule": "702.5(c)/case-number",
        "clause": "702.5(c)",
        "severity": "block",
        "start": 15,
        "end": 24,
        "message": "Blocked: 702.5(c), information that could compromise an ongoing investigation: a case number",
        "field": "body",
    }
    assert answers[1]["findings"] == []
    assert answers[2]["findings"][0]["field"] == "title"


def test_check_content_reports_bad_lines_and_goes_on(monkeypatch):
    answers = run_command(
        [
            "this is not json",
            json.dumps({"category": "traffic"}),
            json.dumps({"text": "Hello", "category": "gossip"}),
            json.dumps(["text"]),
            json.dumps({"text": "Hello", "category": "traffic", "channels": "city-website"}),
            json.dumps({"text": "Road closed.", "category": "traffic"}),
        ],
        monkeypatch,
    )
    assert [a.get("line") for a in answers[:5]] == [1, 2, 3, 4, 5]
    assert answers[0]["error"].startswith("line 1: not valid JSON")
    assert '"text" must be a string' in answers[1]["error"]
    assert '"category" must be one of' in answers[2]["error"]
    assert answers[5] == {"decision": "allow", "findings": []}


def test_check_content_reads_a_file_and_skips_blank_lines(tmp_path, monkeypatch):
    path = tmp_path / "posts.jsonl"
    path.write_text(
        json.dumps({"text": "Officers are staged at the school.", "category": "real_time_safety"})
        + "\n\n"
        + json.dumps({"text": "Thanks, volunteers!", "category": "community_engagement"})
        + "\n",
        encoding="utf-8",
    )
    answers = run_command([], monkeypatch, path=path)
    assert [a["decision"] for a in answers] == ["block", "allow"]
