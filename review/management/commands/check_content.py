"""Check posts from JSON lines against the 702.5 rules, one JSON answer per line.

    echo '{"text": "Case 24-01234 ...", "category": "traffic"}' | manage.py check_content

Input lines: {"text": ..., "category": ..., "channels": [...], "title": ...} ("title" and
"channels" optional). Output lines: {"decision": ..., "findings": [...]}, or
{"line": N, "error": "..."} for a line that cannot be checked; the rest go on.
"""

import json
import sys

from django.core.management.base import BaseCommand

from posting.models import Category
from review.checks.engine import check, load_config
from review.checks.findings import decide
from review.guidelines import evaluate

FINDING_KEYS = ("rule", "clause", "severity", "start", "end", "message", "field")


class BadLine(ValueError):
    pass


class Command(BaseCommand):
    help = "Check posts given as JSON lines (a file, or standard input) against Policy 702.5."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="JSON lines; standard input when omitted.")
        parser.add_argument(
            "--guidelines",
            action="store_true",
            help="Also check the Mayor's guidelines (702.3), so that each decision is the routing "
            "a submitted draft would get; without it, only the 702.5 rules run.",
        )

    def handle(self, *args, file=None, guidelines=False, **options):
        config = load_config()
        stream = open(file, encoding="utf-8") if file else sys.stdin  # noqa: SIM115
        try:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    result = answer(line, number, config, guidelines=guidelines)
                    self.stdout.write(json.dumps(result, ensure_ascii=False))
        finally:
            if file:
                stream.close()


def answer(line: str, number: int, config, guidelines: bool = False) -> dict:
    try:
        post = parse_line(line)
    except BadLine as error:
        return {"line": number, "error": f"line {number}: {error}"}
    findings = list(check(config=config, **post).findings)
    if guidelines:
        findings += evaluate(**post)
    return {
        "decision": decide(findings).value,
        "findings": [{key: finding.as_dict()[key] for key in FINDING_KEYS} for finding in findings],
    }


def parse_line(line: str) -> dict:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"not valid JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise BadLine("expected a JSON object")
    text, title = data.get("text"), data.get("title", "")
    category, channels = data.get("category"), data.get("channels", [])
    if not isinstance(text, str):
        raise BadLine('"text" must be a string')
    if not isinstance(title, str):
        raise BadLine('"title" must be a string')
    if category not in Category.values:
        raise BadLine(f'"category" must be one of {", ".join(Category.values)}')
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise BadLine('"channels" must be a list of channel slugs')
    return {"title": title, "body": text, "category": category, "channels": channels}
