"""Write corpus.jsonl from the hand-written posts (clean_posts.py, violating_posts.py) and the
evasion variants made here. Run from the project root: python tests/review/corpus/build_corpus.py

Each line: {"id", "text", "category", "expected_decision", "expected_rules", "kind"}.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import clean_posts  # noqa: E402
import violating_posts  # noqa: E402

BLOCK, APPROVAL, ALLOW = "block", "needs_approval", "allow"
# The decision each rule's findings lead to; the lexicon rules default to block.
SUPERVISOR_RULES = {
    "702.5(b)/unlisted-phone",
    "702.5(b)/unlisted-email",
    "702.5(d)/electioneering",
    "702.5(d)/endorsement",
    "702.5(d)/personal-opinion",
    "702.5(f)/personal-content",
    "702.5(f)/personal-account",
    "702.5(f)/link-shortener",
}
# Posts whose lexicon words only need a supervisor ("damn", "hell", "sucks", "sexy").
MILD = {
    "The fireworks show was a damn good time! Thanks for coming out.",
    "Whoever keeps parking in the bike lane on Maple: move your damn car.",
    "The Main Street detour is a pain in the ass, we know. It ends Friday.",
    "Trash pickup is late because the truck broke down. Crappy timing, sorry folks.",
    "WTF is up with drivers running the red at Oak and 12th? Cameras go in next month.",
    "Our website is down and honestly it sucks. We're working on it.",
    "Hot summer nights, sexy lifeguards: the pool is open late this week!",
    "A man exposing his penis near the playground was reported. Officers are searching the area.",
    "Shut up about the roundabout already. It is staying.",
    "Don't be such a spaz about the detour.",
}

CYRILLIC = {
    "a": "а",
    "e": "е",
    "o": "о",
    "c": "с",
    "p": "р",
    "x": "х",
    "y": "у",
    "s": "ѕ",
    "i": "і",
}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(ord("a"), ord("z") + 1)}


def leetspeak(word: str) -> str:
    return "".join(LEET.get(c, c) for c in word)


def homoglyphs(word: str) -> str:
    return "".join(CYRILLIC.get(c, c) for c in word)


def zero_width(word: str) -> str:
    middle = len(word) // 2
    return word[0] + "\u200b" + word[1:middle] + "\u200d" + word[middle:]


def spaced(word: str) -> str:
    return " ".join(word)


def dotted(word: str) -> str:
    return ".".join(word)


def stretched(word: str) -> str:
    vowel = next((i for i, c in enumerate(word) if c in "aeiou"), 1)
    return word[: vowel + 1] + word[vowel] * 4 + word[vowel + 1 :]


def masked(word: str) -> str:
    vowel = next((i for i, c in enumerate(word) if c in "aeiou" and i > 0), 1)
    return word[:vowel] + "*" + word[vowel + 1 :]


def accented(word: str) -> str:
    vowel = next((i for i, c in enumerate(word) if c in "aeiou"), 0)
    return word[: vowel + 1] + "\u0301" + word[vowel + 1 :]


def full_width(word: str) -> str:
    return "".join(FULLWIDTH.get(c, c) for c in word)


def mixed_case(word: str) -> str:
    return "".join(c.upper() if i % 2 else c for i, c in enumerate(word))


EVASIONS = [
    leetspeak,
    homoglyphs,
    zero_width,
    spaced,
    dotted,
    stretched,
    masked,
    accented,
    full_width,
    mixed_case,
]


def expected_decision(rules, text) -> str:
    if not rules:
        return ALLOW
    if text in MILD:
        return APPROVAL
    if all(r in SUPERVISOR_RULES or r.startswith("702.3/") for r in rules):
        return APPROVAL if any(r in SUPERVISOR_RULES for r in rules) else ALLOW
    return BLOCK


def records():
    for name in (
        "ANNOUNCEMENT",
        "CRIME_PREVENTION",
        "REQUEST_FOR_INFORMATION",
        "COMMUNITY_ENGAGEMENT",
        "REAL_TIME_SAFETY",
        "TRAFFIC",
        "MEDIA_RELEASE",
        "RECRUITMENT",
    ):
        for text in getattr(clean_posts, name):
            yield "clean", name.lower(), text, []
    for category, text in clean_posts.HARD_CLEAN:
        yield "clean", category, text, []
    for category, text, rules in clean_posts.WITH_WARNINGS:
        yield "clean", category, text, rules
    for group in violating_posts.ALL:
        for category, text, rules in group:
            yield "violation", category, text, rules
    for category, text, rules in violating_posts.BLIND:
        yield "blind", category, text, rules
    for category, template, word, rules in violating_posts.EVADE_BASE:
        for evade in EVASIONS:
            yield "evasion", category, template.format(**{word: evade(word)}), rules


def main() -> None:
    lines = []
    for number, (kind, category, text, rules) in enumerate(records(), start=1):
        record = {
            "id": number,
            "kind": kind,
            "category": category,
            "text": text,
            "expected_decision": expected_decision(rules, text),
            "expected_rules": sorted(rules),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    (HERE / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} posts written to {HERE / 'corpus.jsonl'}")


if __name__ == "__main__":
    main()
