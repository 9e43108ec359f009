"""Phone numbers, e-mail addresses and home addresses in a post, and whose they are.

Shared by 702.5(b) (a private person's contacts) and 702.5(e) (an employee's personal contacts),
so each contact is found once and reported under one clause. The City's own published contacts
(CityContact) pass; so do toll-free numbers, which belong to organisations, not persons.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

# Starts with a digit so that the regex engine can skip ahead to digits; the "(" of an area code
# and a leading "+1" are taken in by _phone_start().
PHONE_CANDIDATE = re.compile(r"\d\d\d(?:(?:\)\s?|[\s.-])\d\d\d[\s.-]\d\d\d\d|\d\d\d\d\d\d\d)(?!\d)")
_COUNTRY_CODE = re.compile(r"(?:\+?1[\s.-]?)$")
TOLL_FREE = ("800", "888", "877", "866", "855", "844", "833")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
FREE_MAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com",
    "proton.me", "gmx.com", "mail.com", "comcast.net", "att.net", "verizon.net", "sbcglobal.net",
}  # fmt: skip
STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Loop|Trail|Trl|Square|Sq|Alley|Row"
)
STREET_WORDS = frozenset(STREET_TYPES.lower().split("|"))
ADDRESS = re.compile(
    r"(?<![\w#-])\d{1,6}[A-Z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    r"(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][A-Za-z'’-]+)\s+){1,3}"
    rf"(?:{STREET_TYPES})\b"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[A-Za-z0-9-]+)?"
)
# Words right before an address that make it someone's home.
HOME_CUE = re.compile(
    r"(?:\b(?:lives?|living|resides?|residing|stays?|staying|moved)\s+(?:at|on|in)"
    r"|\bresidence(?:\s+(?:at|on|is|of))?"
    r"|\b(?:home|apartment)\s+(?:at|on|is(?:\s+at)?)"
    r"|\bhome\s+address(?:\s+is)?"
    r"|\b(?:his|her|their|your)\s+(?:home|house|apartment|residence|place)"
    r"|\b[a-z]+(?:'s|’s)\s+(?:home|house|apartment|residence|place)"
    # "The Nguyens at 2314 Birch Street": a family named by its surname.
    r"|(?-i:\b[Tt]he\s+[A-Z][a-z]+s\s+(?:family\s+)?(?:at|of))"
    r"|\bfamily\s+(?:at|of))"
    r"\s*[:,-]?\s*$",
    re.IGNORECASE,
)
# Between a person's name and an address: "Jordan Reyes, 34, of 12 Elm St".
NAME_TO_ADDRESS = re.compile(r"^(?:,\s*(?:\d{1,3},\s*)?(?:of|at|from)?\s*|\s+(?:of|at|from)\s+)$")
PRIVATE_CUE = re.compile(
    r"\b(?:cell|cellphone|mobile|personal|private|home phone|home number|his|her|my|reach me)\b"
)


@dataclass(frozen=True)
class Contact:
    kind: str  # phone, email, address
    start: int
    end: int
    owner: str  # employee, private, unlisted


def find_contacts(field, config) -> list[Contact]:
    return field.shared("contacts", lambda: list(_contacts(field, config.contacts)))


def _contacts(field, allowed):
    text = field.text
    if field.has_digit_run(4) and sum(len(run) for run in field.digit_runs) >= 10:
        for m in PHONE_CANDIDATE.finditer(text):
            start = _phone_start(text, m)
            national = _valid_national(text[start : m.end()]) if start is not None else None
            if (
                national
                and not national.startswith(TOLL_FREE)
                and not allowed.allows_phone(national)
            ):
                yield Contact("phone", start, m.end(), _owner(field, start, m.end()))
    if "@" in text:
        for m in EMAIL.finditer(text):
            if not allowed.allows_email(m.group()):
                free = m.group().rsplit("@", 1)[1].lower() in FREE_MAIL
                yield Contact("email", m.start(), m.end(), _owner(field, *m.span(), free=free))
    if field.has_digits and not field.words.isdisjoint(STREET_WORDS):
        for m in ADDRESS.finditer(text):
            if not allowed.allows_address(m.group()) and _is_home(field, m.start()):
                owner = "employee" if _employee_owns(field, m.start()) else "private"
                yield Contact("address", m.start(), m.end(), owner)


def _phone_start(text: str, m: re.Match) -> int | None:
    """Where the phone number begins, with its "(" and "+1"; None if it is part of a word."""
    start = m.start()
    if ")" in m.group()[3:5]:
        if start == 0 or text[start - 1] != "(":
            return None
        start -= 1
    country = _COUNTRY_CODE.search(text, max(0, start - 3), start)
    if country:
        start = country.start()
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_+"):
        return None
    return start


@lru_cache(maxsize=4096)
def _valid_national(candidate: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, "US")
    except phonenumbers.NumberParseException:
        return None
    return str(number.national_number) if phonenumbers.is_valid_number(number) else None


def _owner(field, start: int, end: int, *, free: bool = False) -> str:
    if _employee_owns(field, start):
        return "employee"
    sentence = field.sentence_text(start).lower()
    if free or PRIVATE_CUE.search(sentence) or field.name_near(start, end):
        return "private"
    return "unlisted"


def _employee_owns(field, position: int) -> bool:
    """An employee named by title in this sentence or the one before ("Our employee of the
    month is Clerk Janet Hobbs! Send congratulations to ..."), or employee words with a
    personal cue."""
    sentence_start, _ = field.sentence_at(position)
    previous_start, _ = field.sentence_at(max(0, sentence_start - 1))
    if any(n.employee and previous_start <= n.start < position for n in field.names):
        return True
    sentence = field.sentence_text(position).lower()
    return field.mentions_employee(position) and bool(PRIVATE_CUE.search(sentence))


def _is_home(field, start: int) -> bool:
    sentence_start, _ = field.sentence_at(start)
    before = field.text[max(sentence_start, start - 60) : start]
    if HOME_CUE.search(before):
        return True
    return any(
        NAME_TO_ADDRESS.match(field.text[name.end : start])
        for name in field.names_in_sentence(start)
        if name.end <= start
    )
