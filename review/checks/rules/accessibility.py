"""702.3: the Mayor's content guidelines on accessibility. Warnings: they do not stop a post.

Screen readers read "#roadclosure" as one word and every emoji by its name; long sentences of
long words shut out readers. Images need alternative text (the engine checks each image's).
"""

import re
from functools import lru_cache

from ..data import words_of
from ..findings import Finding, Severity
from .base import RULES, Hit, register_rule, rule

HASHTAG = re.compile(r"(?<![\w&#/])#(?P<tag>[A-Za-z][A-Za-z0-9]{3,})\b")
EMOJI = re.compile(
    r"[\U0001F1E6-\U0001F1FF]{2}"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF][\uFE0F\U0001F3FB-\U0001F3FF]*"
    r"(?:\u200D[\U0001F000-\U0001FAFF\u2600-\u27BF][\uFE0F\U0001F3FB-\U0001F3FF]*)*"
)
MAX_EMOJI = 3
WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
SENTENCE = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")
MIN_WORDS_FOR_GRADE = 40
MAX_GRADE = 10.0
PLACEHOLDER_ALT = re.compile(
    r"^(?:image|img|photo|picture|pic|graphic|screenshot|untitled|alt|file)?[\s_-]*\d*"
    r"(?:\.(?:jpe?g|png|gif|webp|heic))?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    return frozenset(words_of("hashtag_words.txt"))


def split_hashtag(tag: str) -> list[str] | None:
    """The fewest known words that spell the tag ("roadclosure" -> road, closure), or None."""
    tag, words = tag.lower(), vocabulary()
    best: list[list[str] | None] = [[]] + [None] * len(tag)
    for end in range(1, len(tag) + 1):
        for start in range(max(0, end - 20), end):
            piece = tag[start:end]
            known = piece in words or piece.isdigit()
            if known and best[start] is not None:
                candidate = best[start] + [piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(tag)]


@rule("702.3/hashtag-case", Severity.WARN, "Multi-word hashtags in CamelCase")
def hashtags_in_camel_case(field, config):
    if "#" not in field.text:
        return
    for m in HASHTAG.finditer(field.text):
        tag = m.group("tag")
        if not (tag.islower() or tag.isupper()):
            continue
        words = split_hashtag(tag)
        if words and len(words) > 1:
            camel = "#" + "".join(w.capitalize() for w in words)
            yield Hit(m.start(), m.end(), f"write multi-word hashtags in CamelCase: {camel}")


@rule("702.3/emoji", Severity.WARN, "Too many emoji, or emoji in place of words")
def emoji_use(field, config):
    if field.text.isascii():
        return
    found = list(EMOJI.finditer(field.text))
    if len(found) > MAX_EMOJI:
        extra = found[MAX_EMOJI]
        detail = f"{len(found)} emoji; use {MAX_EMOJI} at most, screen readers read each one out"
        yield Hit(extra.start(), found[-1].end(), detail)
    for m in found:
        if _between_words(field.text, m.start(), m.end()):
            yield Hit(m.start(), m.end(), "an emoji in place of a word; write the word")


def _between_words(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return bool(before) and before[-1].isalpha() and bool(after) and after[0].islower()


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    word = word.lower().strip("'’")
    count = len(VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "receive"
    if word.endswith(("ed", "es")) and len(word) > 3 and word[-3] not in "aeioudt" and count > 1:
        count -= 1  # "closed", "makes": the ending adds no syllable
    return max(count, 1)


def reading_grade(text: str, sentences: int | None = None) -> tuple[float, int]:
    """Flesch-Kincaid grade level of the text, and its number of words."""
    words = WORD.findall(text)
    if not words:
        return 0.0, 0
    if sentences is None:
        sentences = len(SENTENCE.findall(text.strip() + " "))
    sentences = max(1, sentences)
    syllable_count = sum(map(syllables, words))
    grade = 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
    return grade, len(words)


@rule("702.3/reading-level", Severity.WARN, "Plain language: a reading grade of 10 or below")
def reading_level(field, config):
    if field.name != "body":
        return
    if len(field.word_list) < MIN_WORDS_FOR_GRADE:
        return
    length = len(field.text.rstrip())
    sentences = sum(1 for start in field.sentence_starts if start < length)
    grade, count = reading_grade(field.text, sentences)
    if count >= MIN_WORDS_FOR_GRADE and grade > MAX_GRADE:
        yield Hit(None, None, f"reading grade {grade:.0f}; aim for grade {MAX_GRADE:.0f} or below")


ALT_TEXT = register_rule("702.3/alt-text", Severity.WARN, "Every image has alternative text")


def missing_alt_text(images, severity: Severity | None = None) -> list[Finding]:
    """Findings for images, as (filename, alt text) pairs, without meaningful alternative text.

    `severity` is the Mayor's setting for the rule, when it differs from the rule's own.
    """
    severity = severity or ALT_TEXT.severity
    findings = []
    for filename, alt_text in images:
        alt = (alt_text or "").strip()
        if not alt or alt.lower() == str(filename).lower() or PLACEHOLDER_ALT.match(alt):
            detail = f"the image {filename} needs alternative text describing it"
            findings.append(
                Finding(
                    rule=ALT_TEXT.id,
                    clause=ALT_TEXT.clause,
                    severity=severity,
                    message=ALT_TEXT.message(detail, severity),
                )
            )
    return findings


__all__ = ["RULES", "missing_alt_text", "reading_grade", "split_hashtag", "syllables"]
