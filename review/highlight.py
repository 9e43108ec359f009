"""The author's text with each finding's span marked, for the draft form and the queue."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def highlight(text: str, findings, field: str = "body") -> str:
    """HTML of `text` with <mark> around each finding's span; everything the user typed escaped."""
    spans = sorted(
        (f for f in findings if _field(f) == field and _start(f) is not None),
        key=_start,
    )
    parts, position = [], 0
    for number, finding in enumerate(spans, 1):
        start, end = max(_start(finding), position), _end(finding)
        if end <= start:
            continue
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<mark class="finding finding--{}" title="{}">{}<span class="usa-sr-only"> '
                "(finding {}: {})</span></mark>",
                _severity(finding),
                _message(finding),
                text[start:end],
                number,
                _message(finding),
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every piece escaped above


def _get(finding, name):
    return finding[name] if isinstance(finding, dict) else getattr(finding, name)


def _field(f):
    return _get(f, "field")


def _start(f):
    return _get(f, "start")


def _end(f):
    return _get(f, "end")


def _message(f):
    return _get(f, "message")


def _severity(f):
    severity = _get(f, "severity")
    return severity if isinstance(severity, str) else severity.name.lower()
