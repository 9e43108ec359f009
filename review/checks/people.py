"""Recognising a person's name in a post: several 702.5 rules turn on "next to a name".

A name is a known given name followed by a capitalised surname ("Jordan Reyes"), or a title
followed by a capitalised name ("Officer Reyes", "Ms. Patel"). A title of the City's own people
("Officer", "Sgt.") marks the name as an employee's: 702.5(e) protects their contacts, and
"Officer Reyes arrested the suspect" names no suspect.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import words_of

EMPLOYEE_TITLES = frozenset(
    [
        "Officer",
        "Ofc",
        "Sgt",
        "Sergeant",
        "Det",
        "Detective",
        "Deputy",
        "Lt",
        "Lieutenant",
        "Capt",
        "Captain",
        "Chief",
        "Cpl",
        "Corporal",
        "Trooper",
        "Firefighter",
        "Engineer",
        "Paramedic",
        "Dispatcher",
        "Inspector",
        "Director",
        "Councilmember",
        "Councilman",
        "Councilwoman",
        "Councilor",
        "Commissioner",
        "Mayor",
        "Manager",
        "Clerk",
    ]
)
CIVIL_TITLES = frozenset(["Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Judge"])
# Capitalised words and initials; names are read from runs of these.
# Starts with [A-Z] so that the regex engine can skip to capitals: "McNeil", "MacLeod", "O'Hara".
_CAPITALISED = re.compile(
    r"[A-Z](?:c[A-Z][a-z]+|ac[A-Z][a-z]+|['’][A-Z][a-z]+|[a-z]+(?:-[A-Z][a-z]+)?|\.)"
)
# What may stand between two words of one name: a space, or a title's period and a space.
_NAME_GAP = re.compile(r"\.?[ \t]+")
EMPLOYEE_WORDS = re.compile(
    r"\b(?:officer|officers|deputy|deputies|sergeant|sgt|detective|lieutenant|"
    r"corporal|trooper|firefighter|firefighters|paramedic|dispatcher|employee|employees|"
    r"staffer|staff member|city worker|crew member|inspector|councilmember|commissioner|"
    r"our (?:crew|staff|officer|employee)s?|works for the city|city employee)\b"
)


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    employee: bool  # carries a title of the City's own people


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(words_of("first_names.txt"))


@lru_cache(maxsize=1)
def not_surnames() -> frozenset[str]:
    from django.conf import settings

    city_words = re.findall(r"[A-Z][a-z]+", getattr(settings, "CITY_NAME", ""))
    return frozenset(words_of("not_surnames.txt")) | frozenset(city_words)


def find_names(text: str) -> list[Name]:
    words = [(m.start(), m.end(), m.group()) for m in _CAPITALISED.finditer(text)]
    given, stop = given_names(), not_surnames()
    names: list[Name] = []
    index = 0
    while index < len(words):
        name = _name_at(text, words, index, given, stop)
        if name is None:
            index += 1
            continue
        names.append(name[0])
        index = name[1]
    return names


def _name_at(text, words, index, given, stop):
    """The name starting at words[index], and the index after it; or None."""
    start, _, word = words[index]
    titled = word in EMPLOYEE_TITLES or word in CIVIL_TITLES
    if not titled and word not in given:
        return _name_with_age(text, words, index, stop)
    run = _adjacent_run(text, words, index)
    # A title takes up to two names after it; a given name takes one surname, perhaps after an
    # initial ("Jordan M. Reyes").
    rest = [w for w in run[1:] if not w[2].endswith(".")]
    if not rest or rest[-1][2] in stop or (not titled and len(rest) > 1 and rest[0][2] in stop):
        return None
    last = rest[-1] if titled else rest[0]
    if last[2] in stop or last[2] in EMPLOYEE_TITLES:
        return None
    after = words.index(last) + 1
    return Name(start, last[1], employee=word in EMPLOYEE_TITLES), after


# "Jaden Miles, 15, was cited": two capitalised words and an age are a person, known name or not.
_AGE = re.compile(r",\s*\d{1,3}\s*,")


def _name_with_age(text, words, index, stop):
    run = _adjacent_run(text, words, index, limit=2)
    if len(run) == 2 and not {w[2] for w in run} & stop and _AGE.match(text, run[1][1]):
        return Name(run[0][0], run[1][1], employee=False), index + 2
    return None


def _adjacent_run(text, words, index, limit: int = 4):
    """words[index] and the capitalised words right after it, joined by a space (or ". ")."""
    run = [words[index]]
    for following in words[index + 1 : index + limit]:
        if not _NAME_GAP.fullmatch(text, run[-1][1], following[0]):
            break
        run.append(following)
    return run
