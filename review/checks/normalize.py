"""Folding text against evasion, keeping a map back to the original positions.

A finding must point at the words the author wrote, so every folded character remembers the
index of the original character it came from. Most posts are plain ASCII or only swap one
character for another (curly quotes, accented letters): they need no map at all.
"""

import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters that look like Latin ones ("раssword" with a Cyrillic р and а).
# NFKD does not fold these: they are different letters, only drawn alike.
CONFUSABLES = {
    "а": "a", "в": "b", "г": "r", "д": "d", "е": "e", "ё": "e", "з": "3", "и": "u", "й": "u",
    "к": "k", "л": "n", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ч": "4", "ш": "w", "ь": "b", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ѡ": "w", "ү": "y", "һ": "h", "ӏ": "l",
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k",
    "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "c",
    "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d",
    "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o",
    "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "″": '"', "′": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-", "…": ".",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",
}  # fmt: skip

# Digits and symbols read as letters inside words ("sh1t", "@ss", "a$$hole").
LEET = str.maketrans("013456789@$!|+", "oieasgtbgasilt")
# Only words that mix letters with digits or symbols are read as leetspeak: "455" stays a
# number. A letter next to one of those characters is the cheap sign that a post has such words.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|+")
_LEET_HINT = re.compile(r"[0-9@$!|+](?:(?<=[a-z].)|(?=[a-z]))")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """What one character reads as: lower case, no accents, Latin; "" for invisible ones."""
    if char in CONFUSABLES:
        return CONFUSABLES[char]
    category = unicodedata.category(char)
    # Zero-width spaces and joiners, soft hyphens, direction marks (Cf); combining accents (Mn, Me).
    if category in ("Cf", "Mn", "Me"):
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(CONFUSABLES.get(c, c) for c in folded)


class FoldedText:
    """`fold`: case, accents, look-alikes and invisible characters folded away.
    `leet`: `fold` with leetspeak read as letters (same length as `fold`).
    `to_original()` turns a span of either into a span of the original text."""

    __slots__ = ("original", "fold", "_leet", "_origin")

    def __init__(self, text: str):
        self.original = text
        self._origin = None  # None: the folded text lines up with the original
        self._leet = None
        if text.isascii():
            self.fold = text.lower()
            return
        replacements = {char: fold_char(char) for char in set(_NON_ASCII.findall(text))}
        if all(len(rep) == 1 for rep in replacements.values()):
            self.fold = text.translate(str.maketrans(replacements)).lower()
        else:
            self._fold_with_map(text, replacements)

    def _fold_with_map(self, text: str, replacements: dict[str, str]) -> None:
        """Fold, recording where each folded character came from. Only characters that vanish
        or expand ("\u200b", "ﬁ") break the one-to-one line-up, so the text between them is
        copied (and its positions recorded) a slice at a time."""
        irregular = "".join(re.escape(c) for c, rep in replacements.items() if len(rep) != 1)
        regular = str.maketrans({c: rep for c, rep in replacements.items() if len(rep) == 1})
        pieces, origin, last = [], [], 0
        for m in re.finditer(f"[{irregular}]", text):
            pieces.append(text[last : m.start()].translate(regular).lower())
            origin.extend(range(last, m.start()))
            folded = replacements[m.group()]
            pieces.append(folded)
            origin.extend([m.start()] * len(folded))
            last = m.end()
        pieces.append(text[last:].translate(regular).lower())
        origin.extend(range(last, len(text)))
        self.fold = "".join(pieces)
        self._origin = origin

    @property
    def leet(self) -> str:
        if self._leet is None:
            self._leet = _read_leet(self.fold)
        return self._leet

    @property
    def changed_length(self) -> bool:
        return self._origin is not None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self._origin is None:
            return start, end
        origin, text = self._origin, self.original
        if start >= len(origin):
            return len(text), len(text)
        first = origin[start]
        last = origin[end - 1] + 1 if end > start else first
        # A combining accent belongs to the letter before it: keep it inside the span.
        while last < len(text) and unicodedata.category(text[last]) in ("Mn", "Me"):
            last += 1
        return first, last


def _read_leet(fold: str) -> str:
    """`fold` with the words that mix letters and digits or symbols read as letters."""
    spans = []
    for hint in _LEET_HINT.finditer(fold):
        start, end = hint.start(), hint.end()
        if spans and start < spans[-1][1]:
            continue
        while start > 0 and fold[start - 1] in _WORD_CHARS:
            start -= 1
        while end < len(fold) and fold[end] in _WORD_CHARS:
            end += 1
        spans.append((start, end))
    if not spans:
        return fold
    pieces, last = [], 0
    for start, end in spans:
        word = fold[start:end]
        # "Thanks!" is not "thanksi": a trailing ! or | is punctuation.
        stripped = word.rstrip("!|+")
        pieces += [fold[last:start], stripped.translate(LEET), word[len(stripped) :]]
        last = end
    pieces.append(fold[last:])
    return "".join(pieces)


def fold_phrase(text: str) -> str:
    """A configured term folded the way post text is, with runs of non-letters as one space."""
    folded = FoldedText(text).leet
    return " ".join(re.findall(r"[a-z0-9]+", folded))
