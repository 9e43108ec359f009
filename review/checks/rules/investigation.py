"""702.5(c): information that could compromise an ongoing investigation."""

import re

from ..findings import Severity
from .base import Hit, rule
from .privacy import watch_list_hits

# How far before a number its context word ("case", "report") may stand.
CONTEXT_WINDOW = 40
ROLE_IN_CASE = re.compile(
    r"\b(?:suspects?|persons? of interest|witness(?:es)?|tipsters?|accomplices?|"
    r"cooperating (?:witness|defendant)|the accused)\b"
)
ROLE_WORDS = frozenset(
    [
        "suspect",
        "suspects",
        "person",
        "persons",
        "witness",
        "witnesses",
        "tipster",
        "tipsters",
        "accomplice",
        "accomplices",
        "cooperating",
        "accused",
    ]
)
INFORMANT = re.compile(
    r"\b(?:confidential |police |an? )?(?:informants?|informers?|snitch(?:es)?)\b"
)


@rule("702.5(c)/case-number", Severity.BLOCK, "Case and report numbers in the City's formats")
def case_numbers(field, config):
    if not field.has_digits:
        return
    lower = field.folded.fold if not field.folded.changed_length else field.text.lower()
    for case_format in config.case_formats:
        if case_format.context_words and field.words.isdisjoint(case_format.context_words):
            continue
        for m in case_format.regex.finditer(field.text):
            before = lower[max(0, m.start() - CONTEXT_WINDOW) : m.start()]
            if case_format.context is None or case_format.context.search(before):
                yield Hit(m.start(), m.end(), "a case number")


@rule(
    "702.5(c)/watch-list",
    Severity.BLOCK,
    "Names and terms on the supervisors' confidential watch list",
    phrase_based=False,
)
def watch_list_terms(field, config):
    for start, end, entry in watch_list_hits(field, config):
        if entry.kind == "investigation":
            yield Hit(start, end, "a name or term on the confidential watch list")


@rule(
    "702.5(c)/suspect-named",
    Severity.BLOCK,
    "Suspect, witness or informant language next to a person's name",
    phrase_based=True,
)
def suspects_and_witnesses_named(field, config):
    fold = field.folded.fold
    if "inform" in fold or "snitch" in fold:
        for m in INFORMANT.finditer(fold):
            start, end = field.folded.to_original(m.start(), m.end())
            yield Hit(start, end, "an informant")
    if field.words.isdisjoint(ROLE_WORDS) or not field.names:
        return
    for m in ROLE_IN_CASE.finditer(fold):
        start, end = field.folded.to_original(m.start(), m.end())
        if field.name_near(start, end):
            yield Hit(start, end, "a suspect or witness named in the post")
