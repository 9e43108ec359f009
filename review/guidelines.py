"""Does a draft strictly conform to the Mayor's guidelines (702.3)?

`evaluate()` answers with Findings (review/checks/findings.py): none means the draft strictly
conforms, and an authorized poster may publish it without waiting for a supervisor; each finding
says, in plain words naming the guideline, what a supervisor must approve first.

The draft form calls `evaluate()` as the person types, so compiled guidelines are cached in each
process and the cache is checked with one primary-key query per call (GuidelineRevision): an edit
by the Mayor's office takes effect at once in every web and worker process.
"""

import re
import threading
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from posting.models import Category

from .checks.findings import Finding, Severity
from .guideline_models import (
    CATEGORY_NOUNS,
    PLACEHOLDER_RE,
    Guideline,
    GuidelineRevision,
    GuidelineTemplate,
)

CLAUSE = "702.3"
FIRST = "so a supervisor approves it first."
MAX_FILL_LENGTH = 200
FILL_RULES = {f"{CLAUSE}/link-domain", f"{CLAUSE}/banned-term"}

# Links with a scheme, links starting www., and bare domain names with a common top-level domain
# (which the city website and most platforms turn into links). A backslash ends a link: browsers
# read it as a slash, urlsplit() does not, and "https://evil.example\@riverton.example" must not
# pass as a city link.
_TLDS = (
    "com|org|net|gov|edu|mil|int|us|io|co|info|biz|me|ly|gl|app|dev|ai|tv|news|page|site|online|"
    "link|example|uk|ca|de|fr|eu|au|nz|in|jp|cn|ru|br|mx|es|it|nl|ch|se|no|fi|dk|pl|be|at|ie|ws|"
    "to|cc|xyz|top|club|shop|live|life|world|city|gov\\.us"
)
LINK_RE = re.compile(
    r"(?<![\w@.-])(?:"
    r"(?:https?|ftp)://[^\s<>\"'\\]+"
    r"|www\.[^\s<>\"'\\]+"
    r"|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")(?![\w-])(?:[/?#][^\s<>\"'\\]*)?"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"*"


# --- Compiled guidelines ------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledElement:
    label: str
    regex: re.Pattern
    hint: str


@dataclass(frozen=True)
class CompiledTerm:
    term: str
    regex: re.Pattern


@dataclass(frozen=True)
class TemplateFieldSpec:
    name: str
    label: str
    pattern: str
    hint: str
    example: str
    regex: re.Pattern | None = None


@dataclass(frozen=True)
class TemplateSpec:
    """A pre-approved template as posters use it. `conforms`: filled with its examples, the
    text strictly conforms to its guideline; only such templates are offered."""

    pk: int
    name: str
    text: str
    category: str
    fields: tuple[TemplateFieldSpec, ...]
    conforms: bool = True
    problems: tuple[str, ...] = ()

    @property
    def example_values(self) -> dict[str, str]:
        return {f.name: " ".join(f.example.split()) for f in self.fields}


@dataclass(frozen=True)
class CompiledGuideline:
    pk: int
    category: str
    noun: str
    always_needs_approval: bool
    channels: dict[int, tuple[str, str]]  # pk -> (slug, name); empty: every channel
    min_length: int | None
    max_length: int | None
    elements: tuple[CompiledElement, ...]
    domains: tuple[str, ...]
    required_terms: tuple[CompiledTerm, ...]
    banned_terms: tuple[CompiledTerm, ...]
    templates: tuple[TemplateSpec, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    stamp: object
    guidelines: dict[str, CompiledGuideline]
    templates: dict[int, TemplateSpec] = field(default_factory=dict)


_cache: Snapshot | None = None
_lock = threading.Lock()


def _snapshot() -> Snapshot:
    """The compiled guidelines, recompiled only when the revision stamp has moved."""
    global _cache
    stamp = GuidelineRevision.current()
    cached = _cache
    if cached is not None and cached.stamp == stamp:
        return cached
    with _lock:
        guidelines = {g.category: compile_guideline(g) for g in Guideline.objects.for_evaluation()}
        templates = {t.pk: t for g in guidelines.values() for t in g.templates}
        _cache = Snapshot(stamp=stamp, guidelines=guidelines, templates=templates)
        return _cache


def clear_cache() -> None:
    global _cache
    _cache = None


def term_regex(term: str) -> re.Pattern:
    """A whole-word, case-insensitive match; any run of spaces between the words."""
    words = r"\s+".join(re.escape(word) for word in term.split())
    before = r"(?<!\w)" if re.match(r"\w", term) else ""
    after = r"(?!\w)" if re.search(r"\w$", term) else ""
    return re.compile(before + words + after, re.IGNORECASE)


# Matches nothing: a pattern that no longer compiles (saved around the model's check, or by a
# newer Python that reads it differently) makes posts go to a supervisor, never crashes the form.
NOTHING = re.compile(r"(?!)")


def _compiled(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return NOTHING


def compile_guideline(guideline: Guideline) -> CompiledGuideline:
    """A guideline ready to evaluate drafts (its channels, elements and templates prefetched
    by Guideline.objects.for_evaluation(), or read now)."""
    compiled = CompiledGuideline(
        pk=guideline.pk,
        category=guideline.category,
        noun=guideline.noun,
        always_needs_approval=guideline.always_needs_approval,
        channels={c.pk: (c.slug, c.name) for c in guideline.channels.all()},
        min_length=guideline.min_length,
        max_length=guideline.max_length,
        elements=tuple(
            CompiledElement(e.label, _compiled(e.pattern), e.hint)
            for e in guideline.required_elements.all()
        ),
        domains=tuple(guideline.domain_list),
        required_terms=tuple(CompiledTerm(t, term_regex(t)) for t in guideline.required_term_list),
        banned_terms=tuple(CompiledTerm(t, term_regex(t)) for t in guideline.banned_term_list),
    )
    templates = tuple(compile_template(t, compiled) for t in guideline.templates.all() if t.active)
    return replace(compiled, templates=templates)


def compile_template(template: GuidelineTemplate, guideline: CompiledGuideline) -> TemplateSpec:
    fields = tuple(
        TemplateFieldSpec(
            name=f.name,
            label=f.label,
            pattern=f.pattern,
            hint=f.hint,
            example=f.example,
            regex=_compiled(f.pattern) if f.pattern else None,
        )
        for f in template.fields.all()
    )
    spec = TemplateSpec(
        pk=template.pk,
        name=template.name,
        text=template.text,
        category=guideline.category,
        fields=fields,
    )
    problems = _template_problems(spec, guideline)
    return replace(spec, conforms=not problems, problems=tuple(problems))


def _template_problems(spec: TemplateSpec, guideline: CompiledGuideline) -> list[str]:
    """Why posters are not offered this template, in plain words; none when it conforms."""
    problems = []
    names = [f.name for f in spec.fields]
    used = list(dict.fromkeys(PLACEHOLDER_RE.findall(spec.text)))
    problems += [
        f"The text uses {{{name}}}, which has no fill-in field."
        for name in used
        if name not in names
    ]
    problems += [
        f"The field “{name}” is not used in the text." for name in names if name not in used
    ]
    for f in spec.fields:
        if f.regex and not f.regex.fullmatch(" ".join(f.example.split())):
            problems.append(f"The example for “{f.label}” does not match its pattern.")
    if problems:
        return problems
    text, _ = _substitute(spec.text, spec.example_values)
    return [f.message for f in _findings(guideline, title="", body=text)]


# --- Evaluation ---------------------------------------------------------------------------


def evaluate(*, title: str, body: str, category: str, channels=()) -> list[Finding]:
    """Each way the draft does not strictly conform to the Mayor's guidelines (702.3).

    `channels`: Channel objects, their primary keys or their slugs. An empty list means the draft
    strictly conforms. Costs one primary-key query once the guidelines are compiled.
    """
    guideline = _snapshot().guidelines.get(category)
    if guideline is None:
        label = Category(category).label if category in Category.values else "this category"
        return [
            _finding(
                "no-guideline",
                f"702.3: the Mayor's guidelines say nothing yet about {label}, so every such "
                f"post is approved by a supervisor first.",
            )
        ]
    return _findings(guideline, title=title or "", body=body or "", channels=channels)


def _finding(rule: str, message: str, *, start=None, end=None, field="body") -> Finding:
    return Finding(
        rule=f"{CLAUSE}/{rule}",
        clause=CLAUSE,
        severity=Severity.NEEDS_SUPERVISOR,
        message=message,
        start=start,
        end=end,
        field=field,
    )


def _findings(guideline: CompiledGuideline, *, title: str, body: str, channels=()) -> list[Finding]:
    noun = guideline.noun
    findings = []
    if guideline.always_needs_approval:
        findings.append(
            _finding(
                "always-approved",
                f"702.3: under the Mayor's guidelines, a supervisor approves every "
                f"{noun.split(' ', 1)[1]} before it is posted.",
            )
        )
    findings += _channel_findings(guideline, channels)
    length = len(body)
    if guideline.max_length is not None and length > guideline.max_length:
        findings.append(
            _finding(
                "length",
                f"702.3: {noun} is at most {guideline.max_length} characters. This one is "
                f"{length}, {FIRST}",
                start=guideline.max_length,
                end=length,
            )
        )
    if guideline.min_length is not None and length < guideline.min_length:
        findings.append(
            _finding(
                "length",
                f"702.3: {noun} is at least {guideline.min_length} characters. This one is "
                f"{length}, {FIRST}",
            )
        )
    for element in guideline.elements:
        if not element.regex.search(body):
            example = f" ({element.hint})" if element.hint else ""
            findings.append(
                _finding(
                    "required-element",
                    f"702.3: {noun} includes {element.label}{example}. This post does not, {FIRST}",
                )
            )
    for term in guideline.required_terms:
        if not term.regex.search(body):
            findings.append(
                _finding(
                    "required-term",
                    f"702.3: {noun} includes the words “{term.term}”. This post does not, {FIRST}",
                )
            )
    for name, text in (("title", title), ("body", body)):
        findings += _link_findings(guideline, text, name)
    for name, text in (("title", title), ("body", body)):
        for term in guideline.banned_terms:
            for match in term.regex.finditer(text):
                findings.append(
                    _finding(
                        "banned-term",
                        f"702.3: the Mayor's guidelines do not allow “{match.group(0)}” in "
                        f"{noun}, {FIRST}",
                        start=match.start(),
                        end=match.end(),
                        field=name,
                    )
                )
    return findings


def _channel_findings(guideline: CompiledGuideline, channels) -> list[Finding]:
    if not guideline.channels:
        return []
    allowed_slugs = {slug for slug, _ in guideline.channels.values()}
    refused = []
    for channel in channels or ():
        pk, slug, name = _channel_key(channel)
        if pk in guideline.channels or slug in allowed_slugs:
            continue
        refused.append(name)
    if not refused:
        return []
    allowed = _join([name for _, name in guideline.channels.values()])
    return [
        _finding(
            "channel",
            f"702.3: under the Mayor's guidelines, {guideline.noun} goes only to {allowed}. "
            f"This post also goes to {_join(refused)}, {FIRST}",
        )
    ]


def _channel_key(channel) -> tuple[int | None, str | None, str]:
    if hasattr(channel, "pk"):
        return channel.pk, getattr(channel, "slug", None), str(channel)
    if isinstance(channel, int) or (isinstance(channel, str) and channel.isdigit()):
        return int(channel), None, f"channel {channel}"
    return None, str(channel), str(channel)


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def links(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, host) of each link in the text; host None when it cannot be read."""
    found = []
    for match in LINK_RE.finditer(text):
        link = match.group(0).rstrip(_TRAILING)
        if link.endswith(")") and link.count("(") < link.count(")"):
            link = link[:-1].rstrip(_TRAILING)
        start = match.start()
        address = link if "://" in link else f"http://{link}"
        try:
            host = (urlsplit(address).hostname or "").rstrip(".").lower() or None
        except ValueError:
            host = None
        found.append((start, start + len(link), host))
    return found


def domain_allowed(host: str | None, domains) -> bool:
    if not host:
        return False
    for domain in domains:
        if domain.startswith("*."):
            if host.endswith(domain[1:]):
                return True
        elif host == domain:
            return True
    return False


def _link_findings(guideline: CompiledGuideline, text: str, field_name: str) -> list[Finding]:
    findings = []
    for start, end, host in links(text):
        if domain_allowed(host, guideline.domains):
            continue
        if not guideline.domains:
            rule = f"702.3: under the Mayor's guidelines, {guideline.noun} has no links"
        else:
            rule = (
                f"702.3: under the Mayor's guidelines, links in {guideline.noun} go only to "
                f"{', '.join(guideline.domains)}"
            )
        where = f"goes to {host}" if host else "does not say clearly where it goes"
        findings.append(
            _finding(
                "link-domain",
                f"{rule}. This link {where}, so a supervisor approves the post first.",
                start=start,
                end=end,
                field=field_name,
            )
        )
    return findings


# --- Pre-approved templates ---------------------------------------------------------------


def conforming_templates(category: str) -> list[TemplateSpec]:
    """The templates offered for a category: active, and strictly conforming when filled."""
    guideline = _snapshot().guidelines.get(category)
    if guideline is None:
        return []
    return [t for t in guideline.templates if t.conforms]


def offered_templates() -> dict[str, list[TemplateSpec]]:
    """conforming_templates() of every category, in the order of 702.4, for one query."""
    guidelines = _snapshot().guidelines
    return {
        value: [t for t in guidelines[value].templates if t.conforms] if value in guidelines else []
        for value in Category.values
    }


def template_spec(template) -> TemplateSpec | None:
    """The offered template for a GuidelineTemplate, a TemplateSpec or a primary key."""
    pk = getattr(template, "pk", template)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    spec = _snapshot().templates.get(pk)
    return spec if spec is not None and spec.conforms else None


def check_template(template: GuidelineTemplate) -> list[str]:
    """Why a template (as saved now, active or not) would not be offered; none when it would."""
    guideline = Guideline.objects.get(pk=template.guideline_id)
    return list(compile_template(template, compile_guideline(guideline)).problems)


def fill_template(template, values: dict) -> str:
    """The template's text with its fields filled in: text that strictly conforms (702.3).

    Raises ValidationError with messages per field (error_dict keyed by the field's name, the
    messages meant to be shown beside the field; problems of the whole text under NON_FIELD_ERRORS) when a fill is missing, does not match its pattern, or would
    make the text not conform (a banned word, a link elsewhere, too long).
    """
    spec = template_spec(template)
    if spec is None:
        raise ValidationError(
            "This template is not offered under the Mayor's guidelines now. Choose another, or "
            "write the post and a supervisor approves it."
        )
    errors: dict[str, list[str]] = {}
    fills = {}
    for f in spec.fields:
        value = " ".join(str(values.get(f.name) or "").split())
        fills[f.name] = value
        if not value:
            errors[f.name] = ["Fill in this field."]
        elif len(value) > MAX_FILL_LENGTH:
            errors[f.name] = [f"Keep it under {MAX_FILL_LENGTH} characters."]
        elif f.regex and not f.regex.fullmatch(value):
            hint = f" {f.hint}" if f.hint else ""
            errors[f.name] = [f"“{value}” does not fit here.{hint}"]
    if errors:
        raise ValidationError(errors)
    text, spans = _substitute(spec.text, fills)
    guideline = _snapshot().guidelines[spec.category]
    for finding in _findings(guideline, title="", body=text):
        # A link or a word not allowed is the fault of the fill it is in; the length and a
        # missing element belong to the whole text.
        owner = next(
            (
                name
                for name, (start, end) in spans
                if finding.rule in FILL_RULES and finding.start < end and finding.end > start
            ),
            NON_FIELD_ERRORS,
        )
        errors.setdefault(owner, []).append(finding.message)
    if errors:
        raise ValidationError(errors)
    return text


def _substitute(text: str, fills: dict[str, str]) -> tuple[str, list[tuple[str, tuple]]]:
    """Fill the placeholders once (a fill is never read as a placeholder); where each went."""
    out, spans, position = [], [], 0
    length = 0
    for match in PLACEHOLDER_RE.finditer(text):
        literal = text[position : match.start()]
        out.append(literal)
        length += len(literal)
        value = fills.get(match.group(1), match.group(0))
        spans.append((match.group(1), (length, length + len(value))))
        out.append(value)
        length += len(value)
        position = match.end()
    out.append(text[position:])
    return "".join(out), spans


__all__ = [
    "CATEGORY_NOUNS",
    "TemplateSpec",
    "check_template",
    "clear_cache",
    "conforming_templates",
    "domain_allowed",
    "evaluate",
    "fill_template",
    "links",
    "offered_templates",
    "template_spec",
]
