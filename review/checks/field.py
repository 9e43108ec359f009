"""One field of a post (title or body) as the rules see it.

Each view of the text (folded, sentences, names, quotations) is computed the first time a rule
asks for it and shared by every rule after that.
"""

import bisect
import re
from functools import cached_property

from .normalize import FoldedText
from .people import EMPLOYEE_WORDS, Name, find_names

_SENTENCE_END = re.compile(r"[.!?\n]+")
# A period after a title or an initial ("Mr. Dunham", "J. Smith") does not end the sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Mx|Dr|St|Sgt|Lt|Det|Capt|Ofc|Cpl|No|Ave|Jr|Sr|Mt|Ft|vs)|\b[A-Z])$"
)
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+")
_QUOTED = re.compile(r"[\"“][^\"“”\n]{1,600}[\"”]")


class FieldText:
    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self._memo: dict = {}

    def shared(self, key, compute):
        """A result several rules use (the lexicon matches), computed once per field."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def folded(self) -> FoldedText:
        return FoldedText(self.text)

    @cached_property
    def digit_runs(self) -> list[str]:
        return _DIGITS.findall(self.text)

    @cached_property
    def has_digits(self) -> bool:
        return bool(self.digit_runs)

    def has_digit_run(self, length: int) -> bool:
        return any(len(run) >= length for run in self.digit_runs)

    @cached_property
    def leet_word_list(self) -> list[str]:
        leet = self.folded.leet
        return self.word_list if leet is self.folded.fold else _WORD.findall(leet)

    @cached_property
    def leet_words(self) -> frozenset[str]:
        if self.leet_word_list is self.word_list:
            return self.words
        return frozenset(self.leet_word_list)

    @cached_property
    def word_list(self) -> list[str]:
        return _WORD.findall(self.folded.fold)

    @cached_property
    def words(self) -> frozenset[str]:
        """The distinct words of the folded text: a cheap test of whether a rule can apply."""
        return frozenset(self.word_list)

    @cached_property
    def sentence_starts(self) -> list[int]:
        starts, text = [0], self.text
        for m in _SENTENCE_END.finditer(text):
            end = m.end()
            if "\n" not in m.group():
                if end < len(text) and not text[end].isspace():
                    continue  # "riverton.gov", "3.5"
                if m.group() == "." and _ABBREVIATION.search(
                    text, max(0, m.start() - 4), m.start()
                ):
                    continue
            starts.append(end)
        return starts

    def sentence_at(self, position: int) -> tuple[int, int]:
        """The span of the sentence holding `position`."""
        starts = self.sentence_starts
        index = bisect.bisect_right(starts, position) - 1
        end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
        return starts[index], end

    def sentence_text(self, position: int) -> str:
        start, end = self.sentence_at(position)
        return self.text[start:end]

    @cached_property
    def names(self) -> list[Name]:
        return find_names(self.text)

    def names_in_sentence(self, position: int) -> list[Name]:
        start, end = self.sentence_at(position)
        return [n for n in self.names if start <= n.start < end]

    def name_near(self, start: int, end: int, *, employees: bool | None = False) -> bool:
        """A person's name in the sentence around the span, outside it. `employees`: False for
        names without a city title, True for titled employees, None for either."""
        return any(
            (employees is None or n.employee == employees) and not (n.start < end and start < n.end)
            for n in self.names_in_sentence(start)
        )

    def mentions_employee(self, position: int) -> bool:
        sentence = self.sentence_text(position)
        return bool(EMPLOYEE_WORDS.search(sentence.lower())) or any(
            n.employee for n in self.names_in_sentence(position)
        )

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        if '"' not in self.text and "“" not in self.text:
            return []
        return [m.span() for m in _QUOTED.finditer(self.text)]

    def in_quotes(self, position: int) -> bool:
        return any(start < position < end for start, end in self.quotes)
