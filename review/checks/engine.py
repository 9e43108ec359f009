"""The prohibited-content engine (702.5): one call checks a post and says what to do with it.

    result = check(title=..., body=..., category="traffic", channels=[...], author=user)
    result.decision  # Decision.ALLOW, NEEDS_APPROVAL or BLOCK
    result.findings  # each with the rule, its clause, a plain message and the exact span

Spans index the original text of the field named by `finding.field`, never the folded text.
"""

from dataclasses import dataclass

from .config import CheckConfig, clear_cache, default_config, load_config
from .field import FieldText
from .findings import Decision, Finding, decide
from .rules import Rule
from .rules.accessibility import ALT_TEXT, missing_alt_text
from .rules.authorization import NOT_AUTHORIZED, category_label, unauthorized_channels

__all__ = ["CheckResult", "check", "clear_cache", "default_config", "load_config"]


@dataclass
class CheckResult:
    findings: list[Finding]
    decision: Decision

    def as_dict(self) -> dict:
        return {
            "decision": self.decision.value,
            "findings": [finding.as_dict() for finding in self.findings],
        }


def check(
    *,
    title: str,
    body: str,
    category: str,
    channels=(),
    author=None,
    images=(),
    config: CheckConfig | None = None,
) -> CheckResult:
    """`images` are (name, alternative text) pairs, one per image on the post."""
    config = config or load_config()
    findings = []
    for name, text in (("title", title or ""), ("body", body or "")):
        if text.strip():
            findings.extend(check_field(FieldText(name, text), config))
    if author is not None and channels:
        findings.extend(check_authorization(author, channels, category, config))
    if images:
        findings.extend(check_alt_text(images, config))
    findings.sort(key=_reading_order)
    return CheckResult(findings, decide(findings))


def _reading_order(finding: Finding):
    return (finding.field != "title", -1 if finding.start is None else finding.start, finding.rule)


def check_field(field: FieldText, config: CheckConfig) -> list[Finding]:
    findings: list[Finding] = []
    allowed_spans = None
    for rule, severity in config.text_rules:
        kept: list[tuple[int | None, int | None]] = []
        for hit in _longest_first(rule.scan(field, config)):
            if _overlaps_any(hit.start, hit.end, kept):
                continue
            if rule.phrase_based and hit.start is not None:
                if allowed_spans is None:
                    allowed_spans = _allowed_spans(field, config)
                if _is_allowed(rule, hit.start, hit.end, allowed_spans):
                    continue
            kept.append((hit.start, hit.end))
            findings.append(_finding(rule, hit, severity, field.name))
    return findings


def check_authorization(author, channels, category: str, config: CheckConfig) -> list[Finding]:
    """702.5(g): one finding naming every channel the author may not post this category to."""
    setting = config.setting(NOT_AUTHORIZED.id)
    if not setting.enabled:
        return []
    refused = unauthorized_channels(author, channels, category)
    if not refused:
        return []
    names = ", ".join(channel.name for channel in refused)
    detail = f"you are not authorized to post {category_label(category)} content to {names}"
    severity = setting.severity or NOT_AUTHORIZED.severity
    return [
        Finding(
            rule=NOT_AUTHORIZED.id,
            clause=NOT_AUTHORIZED.clause,
            severity=severity,
            message=NOT_AUTHORIZED.message(detail, severity),
        )
    ]


def check_alt_text(images, config: CheckConfig) -> list[Finding]:
    """702.3: every image has alternative text that describes it (not "IMG_2041.jpg")."""
    setting = config.setting(ALT_TEXT.id)
    if not setting.enabled:
        return []
    return missing_alt_text(images, severity=setting.severity)


def _finding(rule: Rule, hit, override, field_name: str) -> Finding:
    severity = override or hit.severity or rule.severity
    return Finding(
        rule=rule.id,
        clause=rule.clause,
        severity=severity,
        message=rule.message(hit.detail, severity),
        start=hit.start,
        end=hit.end,
        field=field_name,
    )


def _longest_first(hits) -> list:
    """Hits in text order, the longer first where two start together or overlap, so that
    "CR-2024-00871" wins over the "2024-00871" inside it."""
    hits = list(hits)
    if len(hits) < 2:
        return hits
    return sorted(
        hits, key=lambda h: (h.start is not None, -(h.end - h.start) if h.start is not None else 0)
    )


def _overlaps_any(start, end, spans) -> bool:
    if start is None:
        return any(s is None for s, _ in spans)
    return any(s is not None and s < end and start < e for s, e in spans)


def _allowed_spans(field: FieldText, config: CheckConfig) -> list[tuple[int, int, list[str]]]:
    """Where the Mayor's allowed phrases stand in the field, in original positions."""
    return [
        (*field.folded.to_original(start, end), scopes)
        for start, end, scopes in config.allowed.find(field.folded.leet)
    ]


def _is_allowed(rule: Rule, start: int, end: int, allowed_spans) -> bool:
    return any(
        a_start <= start and end <= a_end and _in_scope(rule, scopes)
        for a_start, a_end, scopes in allowed_spans
    )


def _in_scope(rule: Rule, scopes: list[str]) -> bool:
    return any(scope in ("all", rule.clause, rule.id) for scope in scopes)
