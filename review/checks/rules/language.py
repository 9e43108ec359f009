"""702.5(a): content that is abusive, discriminatory, inflammatory or sexually explicit."""

from ..findings import Severity
from .base import Hit, rule

DETAILS = {
    "profanity": "profanity",
    "slur": "a slur against a group of people",
    "sexual": "sexually explicit language",
    "inflammatory": "abusive or inflammatory language",
}


def lexicon_hits(field, config, kind: str):
    matches = field.shared(
        "lexicon", lambda: config.lexicon.find(field.folded.leet, field.leet_word_list)
    )
    for match in matches:
        if match.entry.kind == kind:
            start, end = field.folded.to_original(match.start, match.end)
            yield Hit(start, end, DETAILS[kind], match.entry.severity)


@rule("702.5(a)/profanity", Severity.BLOCK, "Profanity from the lexicon", phrase_based=True)
def profanity(field, config):
    return lexicon_hits(field, config, "profanity")


@rule("702.5(a)/slur", Severity.BLOCK, "Slurs from the lexicon", phrase_based=True)
def slurs(field, config):
    return lexicon_hits(field, config, "slur")


@rule(
    "702.5(a)/sexual", Severity.BLOCK, "Sexually explicit terms from the lexicon", phrase_based=True
)
def sexual_terms(field, config):
    return lexicon_hits(field, config, "sexual")


@rule(
    "702.5(a)/inflammatory",
    Severity.BLOCK,
    "Abusive or inflammatory phrases from the lexicon",
    phrase_based=True,
)
def inflammatory_language(field, config):
    return lexicon_hits(field, config, "inflammatory")
