"""702.5(a): whole-word matching of the lexicon against folded text.

Matching whole words of the folded text (never substrings) is what keeps "Scunthorpe",
"assessment" and "Cummings" clean. Evasions are folded before the lookup: case, accents,
look-alike letters and zero-width characters (normalize.py), leetspeak, stretched letters
("fuuuck"), letters spaced or dotted apart ("f u c k", "f.u.c.k") and masking ("f*ck").
"""

import itertools
import re
from dataclasses import dataclass

from .findings import Severity
from .normalize import fold_phrase

WORD = re.compile(r"[a-z]+")
_DOUBLE = re.compile(r"([a-z])\1")
_ANY_RUN = re.compile(r"([a-z])\1*")
MAX_STRETCHED_RUNS = 6
# Single letters kept apart by the same kind of separator: "f u c k", "f.u.c.k", "f-u-c-k".
_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[\s.\-_*/|~+,·•]{1,3}[a-z](?![a-z0-9])){2,}")
_MASKED = re.compile(r"(?<![a-z0-9*#])[a-z][a-z*#]*[*#][a-z*#]*")
_BRACES = re.compile(r"^(.*?)\{([^}]*)\}(.*)$")


@dataclass(frozen=True)
class Entry:
    term: str  # as configured, e.g. "fuck{,s,ed}"
    kind: str  # profanity, slur, sexual, inflammatory
    severity: Severity


@dataclass(frozen=True)
class Match:
    start: int  # in the folded text
    end: int
    entry: Entry
    form: str


def expand_term(term: str) -> list[str]:
    """ "fuck{,s,ed}" -> ["fuck", "fucks", "fucked"]; several brace groups multiply."""
    match = _BRACES.match(term.strip())
    if not match:
        return [term.strip()]
    head, endings, tail = match.groups()
    return [form for ending in endings.split(",") for form in expand_term(head + ending + tail)]


class Lexicon:
    def __init__(self, entries):
        self.words: dict[str, Entry] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.by_length: dict[int, list[tuple[str, Entry]]] = {}
        for entry in entries:
            for form in expand_term(entry.term):
                self._add(fold_phrase(form).split(), entry)
        self._stretched: dict[str, Entry | None] = {}
        self._clean: set[str] = set()
        self.first_words = frozenset(self.phrases)
        self.phrase_word_sets = {
            first: [frozenset(words) for words, _ in found] for first, found in self.phrases.items()
        }
        self.word_keys = frozenset(self.words)

    def _add(self, tokens: list[str], entry: Entry) -> None:
        if not tokens or not all(token.isalpha() for token in tokens):
            return
        joined = "".join(tokens)
        self._keep(self.words, joined, entry)
        self.by_length.setdefault(len(joined), []).append((joined, entry))
        if len(tokens) > 1:
            self.phrases.setdefault(tokens[0], []).append((tuple(tokens), entry))

    @staticmethod
    def _keep(table: dict, key: str, entry: Entry) -> None:
        if key not in table or table[key].severity < entry.severity:
            table[key] = entry

    def __len__(self) -> int:
        return len(self.words)

    def lookup(self, word: str) -> Entry | None:
        """The entry a word reads as, letting stretched letters ("fuuuck", "aaasshole") through."""
        entry = self.words.get(word)
        if entry is not None:
            return entry
        try:
            return self._stretched[word]
        except KeyError:
            if len(self._stretched) > 50000:
                self._stretched.clear()
            entry = self._unstretch(word) if _DOUBLE.search(word) else None
            self._stretched[word] = entry
            return entry

    def _unstretch(self, word: str) -> Entry | None:
        """Try each repeated letter once or twice: "aaaaasshole" is a+ss+hole."""
        runs = [(m.group(1), len(m.group())) for m in _ANY_RUN.finditer(word)]
        repeated = [i for i, (_, count) in enumerate(runs) if count > 1][:MAX_STRETCHED_RUNS]
        for choice in itertools.product((1, 2), repeat=len(repeated)):
            counts = dict(zip(repeated, choice, strict=True))
            form = "".join(char * counts.get(i, 1) for i, (char, _) in enumerate(runs))
            if form in self.words:
                return self.words[form]
        return None

    def find(self, leet: str, word_list=None) -> list[Match]:
        """Every lexicon match in the folded text, longest first where they overlap.
        `word_list`: the words of `leet` in order, when the caller has them already."""
        word_list = word_list if word_list is not None else WORD.findall(leet)
        unique = set(word_list)
        matches: list[Match] = []
        hits = self._words_found(unique)
        if hits:
            matches.extend(self._word_matches(leet, hits))
        if self._may_hold_phrase(unique, hits):
            matches.extend(self._phrase_matches(leet))
        if "*" in leet or "#" in leet:
            matches.extend(self._masked_matches(leet))
        if _has_letters_apart(word_list):
            matches.extend(self._spaced_matches(leet))
        return _longest(matches)

    def _words_found(self, unique: set[str]) -> set[str]:
        found = set(self.word_keys & unique)
        # Words seen before and known to be clean cost a set difference, not a lookup each.
        for word in unique - found - self._clean:
            if self.lookup(word) is not None:
                found.add(word)
            elif len(self._clean) < 50000:
                self._clean.add(word)
        return found

    def _may_hold_phrase(self, unique: set[str], hits: set[str]) -> bool:
        """Whether every word of some phrase is in the post (or a word of it is stretched)."""
        if hits - self.word_keys:
            return True
        return any(
            words <= unique
            for first in self.first_words & unique
            for words in self.phrase_word_sets[first]
        )

    def _word_matches(self, leet: str, hits: set[str]):
        for m in WORD.finditer(leet):
            if m.group() in hits:
                yield Match(m.start(), m.end(), self.lookup(m.group()), m.group())

    def _phrase_matches(self, leet: str):
        tokens = list(WORD.finditer(leet))
        for index, token in enumerate(tokens):
            for words, entry in self.phrases.get(token.group(), ()):
                following = tokens[index : index + len(words)]
                if len(following) == len(words) and all(
                    self._same_word(t.group(), w) for t, w in zip(following, words, strict=True)
                ):
                    yield Match(token.start(), following[-1].end(), entry, " ".join(words))

    def _same_word(self, token: str, word: str) -> bool:
        if token == word:
            return True
        entry = self.words.get(word)
        return entry is not None and self.lookup(token) == entry

    def _masked_matches(self, leet: str):
        for m in _MASKED.finditer(leet):
            masked = m.group().rstrip("*#")
            if sum(c.isalpha() for c in masked) < 2 or "*" not in masked and "#" not in masked:
                continue
            for form, entry in self.by_length.get(len(masked), ()):
                if all(c in "*#" or c == f for c, f in zip(masked, form, strict=True)):
                    yield Match(m.start(), m.start() + len(masked), entry, form)
                    break

    def _spaced_matches(self, leet: str):
        for m in _SPACED.finditer(leet):
            letters = [(m.start() + i, c) for i, c in enumerate(m.group()) if c.isalpha()]
            yield from self._spaced_run(letters)

    def _spaced_run(self, letters):
        """The longest lexicon word spelled by consecutive letters of a spaced-out run."""
        start = 0
        while start <= len(letters) - 3:
            for stop in range(len(letters), start + 2, -1):
                word = "".join(c for _, c in letters[start:stop])
                entry = self.lookup(word)
                if entry is not None:
                    yield Match(letters[start][0], letters[stop - 1][0] + 1, entry, word)
                    start = stop - 1
                    break
            start += 1


def _has_letters_apart(word_list: list[str]) -> bool:
    """Three single letters in a row ("f u c k", "f.u.c.k"): only then look for spaced words."""
    run = 0
    for word in word_list:
        run = run + 1 if len(word) == 1 else 0
        if run == 3:
            return True
    return False


def _longest(matches: list[Match]) -> list[Match]:
    """Drop matches inside a longer one ("shit" inside "piece of shit")."""
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[Match] = []
    for match in matches:
        if kept and match.end <= kept[-1].end:
            continue
        kept.append(match)
    return kept
