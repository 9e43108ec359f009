"""What a rule is, and the registry every rule module adds itself to."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..findings import Severity

# What each clause protects, in the words the author reads after "Blocked: 702.5(c), ...".
CLAUSES = {
    "702.3": "the Mayor's content guidelines (accessibility)",
    "702.5(a)": "content that is abusive, discriminatory, inflammatory or sexually explicit",
    "702.5(b)": "information that violates a person's privacy or confidentiality",
    "702.5(c)": "information that could compromise an ongoing investigation",
    "702.5(d)": "content that could damage the reputation or professionalism of the City",
    "702.5(e)": "information that could compromise the safety and security of city operations, "
    "employees or the public",
    "702.5(f)": "content posted for personal use",
    "702.5(g)": "content that has not been properly authorized",
}


class Hit(NamedTuple):
    """One thing a rule found: a span of the field's original text and what it is."""

    start: int | None
    end: int | None
    detail: str  # "a case number"
    severity: Severity | None = None  # the rule's own unless an entry says otherwise


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    severity: Severity
    summary: str  # what the rule looks for, for the configuration page
    scan: Callable[..., Iterable[Hit]] | None = None  # (field, config) -> hits
    # Whether the Mayor's allowed phrases ("sex offender registry") may silence its findings.
    phrase_based: bool = False

    def message(self, detail: str, severity: Severity) -> str:
        return f"{severity.label}: {self.clause}, {CLAUSES[self.clause]}: {detail}"


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, summary: str, *, phrase_based: bool = False):
    """Register the decorated function as the scan of rule `rule_id` ("702.5(b)/ssn")."""
    clause = rule_id.split("/", 1)[0]

    def register(scan):
        RULES[rule_id] = Rule(rule_id, clause, severity, summary, scan, phrase_based)
        return scan

    return register


def register_rule(rule_id: str, severity: Severity, summary: str) -> Rule:
    """A rule the engine runs by other means than text (702.5(g), alt text)."""
    RULES[rule_id] = Rule(rule_id, rule_id.split("/", 1)[0], severity, summary)
    return RULES[rule_id]


@dataclass(frozen=True)
class Pattern:
    """A regex over the folded text, tried only when one of its cues is in the post.

    Cues are words the regex cannot match without (tested against the post's set of words, far
    cheaper than running the regex over every post), or strings with symbols ("#", "%").
    """

    cue_words: frozenset
    cue_strings: tuple
    regex: re.Pattern
    detail: str

    def may_match(self, field) -> bool:
        return not self.cue_words.isdisjoint(field.words) or any(
            cue in field.folded.fold for cue in self.cue_strings
        )


def pattern(cues: str, regex: str, detail: str) -> Pattern:
    parts = cues.split("|")
    words = frozenset(p for p in parts if p.isalpha())
    strings = tuple(p for p in parts if not p.isalpha())
    return Pattern(words, strings, re.compile(regex), detail)


class PatternSet:
    """Patterns indexed by their cue words, so a post is tried only against the patterns whose
    cues it holds: a few set operations instead of one test per pattern."""

    def __init__(self, patterns: Iterable[Pattern]):
        self.patterns = list(patterns)
        self.by_word: dict[str, list[int]] = {}
        for index, p in enumerate(self.patterns):
            for word in p.cue_words:
                self.by_word.setdefault(word, []).append(index)
        self.cue_words = frozenset(self.by_word)
        self.with_strings = [i for i, p in enumerate(self.patterns) if p.cue_strings]

    def __iter__(self):
        return iter(self.patterns)

    def candidates(self, field) -> list[Pattern]:
        indexes = {i for word in self.cue_words & field.words for i in self.by_word[word]}
        fold = field.folded.fold
        indexes.update(
            i for i in self.with_strings if any(cue in fold for cue in self.patterns[i].cue_strings)
        )
        return [self.patterns[i] for i in sorted(indexes)]


def patterns(*items: Pattern) -> PatternSet:
    return PatternSet(items)


def scan_patterns(field, pattern_set: PatternSet, *, skip_quotes: bool = False):
    """Hits of the patterns in the field's folded text, as spans of its original text."""
    fold = field.folded.fold
    for p in pattern_set.candidates(field):
        for m in p.regex.finditer(fold):
            start, end = field.folded.to_original(m.start(), m.end())
            if skip_quotes and field.in_quotes(start):
                continue
            yield Hit(start, end, p.detail)
