"""702.5(b): information that violates individual rights, including privacy and confidentiality."""

import re

from django.utils import timezone

from ..findings import Severity
from .base import Hit, rule
from .contacts import find_contacts

SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])")
SSN_LABELLED = re.compile(
    r"(?i:\b(?:ssn|soc(?:ial)?\.?\s+sec(?:urity)?\.?(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*)"
    r"(?P<number>\d{3}[- ]?\d{2}[- ]?\d{4})(?!\d)"
)
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}"
)
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday\s+is|born(?:\s+on)?)\s*[:#-]?\s*"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
DRIVERS_LICENCE = re.compile(
    r"(?i:\bdriver(?:'|’)?s?\s+licen[cs]e|\b(?:dl|oln)\b)"
    r"(?i:\s*(?:number\b|no\.|no\b|#|is\b|:))*\s*(?:[A-Z]{2}\s+)?"
    r"(?P<id>[A-Za-z0-9][A-Za-z0-9-]{4,14})\b"
)
LICENCE_PLATE = re.compile(
    r"(?i:\b(?:licen[cs]e\s+plates?|plates?|tags?))"
    r"(?i:\s+(?:number|no\.?|#|reads|reading|is|was))*\s*[:#]?\s*"
    r"(?P<plate>[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,4})\b"
)
CARD = re.compile(r"\d(?:[ -]?\d){12,18}(?![\d-])")
CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6011|65|35)")
MEDICAL = re.compile(
    r"\b(?:diagnosed with|diagnosis of|hiv(?:[- ]positive)?|tested positive for|cancer|"
    r"chemotherapy|chemo|diabet(?:es|ic)|dementia|alzheimer'?s|schizophreni\w*|bipolar|"
    r"depression|anxiety disorder|ptsd|epilep(?:sy|tic)|had a seizure|overdos(?:e|ed|ing)|"
    r"pregnan(?:t|cy)|miscarriage|suffered a stroke|heart attack|hepatitis|tuberculosis|"
    r"sexually transmitted|mental illness|mentally ill|psychiatric|rehab|in the icu|"
    r"intensive care|life support|hospitali[sz]ed|admitted to (?:the )?hospital|"
    r"in (?:critical|serious|stable) condition|autis(?:m|tic)|terminally ill|on dialysis)\b"
    # "Cancer Awareness Month" and "diabetes prevention" are about a topic, not a person.
    r"(?! (?:screening|awareness|research|prevention|survivors?|walk|center|clinic|foundation|"
    r"month|support group|society|association|services|resources|vaccine|education|fair))"
)
DOB_CUES = frozenset({"dob", "birth", "birthdate", "born", "birthday"})
# Words without which MEDICAL cannot match: the test is far cheaper than the regex.
MEDICAL_CUES = frozenset(
    [
        "diagnosed",
        "diagnosis",
        "hiv",
        "positive",
        "cancer",
        "chemotherapy",
        "chemo",
        "diabetes",
        "diabetic",
        "dementia",
        "alzheimer",
        "alzheimers",
        "schizophrenia",
        "schizophrenic",
        "bipolar",
        "depression",
        "disorder",
        "ptsd",
        "epilepsy",
        "epileptic",
        "seizure",
        "overdose",
        "overdosed",
        "overdosing",
        "pregnant",
        "pregnancy",
        "miscarriage",
        "stroke",
        "attack",
        "hepatitis",
        "tuberculosis",
        "transmitted",
        "illness",
        "ill",
        "psychiatric",
        "rehab",
        "icu",
        "intensive",
        "support",
        "hospitalized",
        "hospitalised",
        "hospital",
        "condition",
        "autism",
        "autistic",
        "dialysis",
    ]
)
JUVENILE = re.compile(
    r"\b(?:(?:1[0-7]|[1-9])[- ]year[- ]old|(?:a|the) (?:juvenile|minor)"
    r"(?! (?:injur\w*|crash\w*|collision|damage|delays?|repairs?|accident|fender\w*)))\b",
    re.IGNORECASE,
)
# "Jordan Reyes, 15, of Riverton": the age right after the name.
AGE_AFTER_NAME = re.compile(r",\s*(?:age\s+)?(?:1[0-7]|[1-9])\s*,")


@rule("702.5(b)/ssn", Severity.BLOCK, "Social security numbers")
def social_security_numbers(field, config):
    if not field.has_digit_run(4):
        return
    seen = set()
    if field.words & {"ssn", "social", "soc"}:
        for m in SSN_LABELLED.finditer(field.text):
            seen.add(m.start("number"))
            yield Hit(m.start("number"), m.end("number"), "a social security number")
    if not {3, 2} <= {len(run) for run in field.digit_runs}:
        return
    for m in SSN.finditer(field.text):
        if m.start() not in seen:
            yield Hit(m.start(), m.end(), "a social security number")


@rule("702.5(b)/date-of-birth", Severity.BLOCK, "A person's date of birth")
def dates_of_birth(field, config):
    if field.has_digits and (field.words & DOB_CUES or "d.o.b" in field.folded.fold):
        for m in DATE_OF_BIRTH.finditer(field.text):
            yield Hit(m.start("date"), m.end("date"), "a person's date of birth")


@rule("702.5(b)/private-phone", Severity.BLOCK, "A private person's phone number")
def private_phone_numbers(field, config):
    return _contacts_of(field, config, "phone", "private", "a private person's phone number")


@rule(
    "702.5(b)/unlisted-phone",
    Severity.NEEDS_SUPERVISOR,
    "A phone number that is not one of the City's published contacts",
)
def unlisted_phone_numbers(field, config):
    detail = "a phone number that is not one of the City's published contacts"
    return _contacts_of(field, config, "phone", "unlisted", detail)


@rule("702.5(b)/private-email", Severity.BLOCK, "A private person's e-mail address")
def private_email_addresses(field, config):
    return _contacts_of(field, config, "email", "private", "a private person's e-mail address")


@rule(
    "702.5(b)/unlisted-email",
    Severity.NEEDS_SUPERVISOR,
    "An e-mail address outside the City's published contacts and domains",
)
def unlisted_email_addresses(field, config):
    detail = "an e-mail address that is not one of the City's published contacts"
    return _contacts_of(field, config, "email", "unlisted", detail)


@rule("702.5(b)/home-address", Severity.BLOCK, "A person's home address")
def home_addresses(field, config):
    return _contacts_of(field, config, "address", "private", "a person's home address")


def _contacts_of(field, config, kind: str, owner: str, detail: str):
    for contact in find_contacts(field, config):
        if contact.kind == kind and contact.owner == owner:
            yield Hit(contact.start, contact.end, detail)


@rule("702.5(b)/drivers-licence", Severity.BLOCK, "Driver's licence numbers")
def drivers_licence_numbers(field, config):
    if field.has_digits and ("licen" in field.folded.fold or field.words & {"dl", "oln"}):
        for m in DRIVERS_LICENCE.finditer(field.text):
            if any(c.isdigit() for c in m.group("id")):
                yield Hit(m.start("id"), m.end("id"), "a driver's licence number")


@rule("702.5(b)/licence-plate", Severity.BLOCK, "Licence plate numbers")
def licence_plates(field, config):
    if field.has_digits and field.words & {"plate", "plates", "tag", "tags"}:
        for m in LICENCE_PLATE.finditer(field.text):
            plate = m.group("plate")
            if any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate):
                yield Hit(m.start("plate"), m.end("plate"), "a licence plate number")


@rule("702.5(b)/payment-card", Severity.BLOCK, "Payment card numbers")
def payment_cards(field, config):
    if sum(len(run) for run in field.digit_runs) >= 13:
        for m in CARD.finditer(field.text):
            if m.start() and field.text[m.start() - 1] in "0123456789-":
                continue
            digits = re.sub(r"\D", "", m.group())
            if 13 <= len(digits) <= 19 and CARD_PREFIX.match(digits) and luhn_valid(digits):
                yield Hit(m.start(), m.end(), "a payment card number")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@rule("702.5(b)/medical", Severity.BLOCK, "Medical details next to a person's name")
def medical_details(field, config):
    if not field.words & MEDICAL_CUES:
        return
    fold = field.folded.fold
    for m in MEDICAL.finditer(fold):
        start, end = field.folded.to_original(m.start(), m.end())
        if field.name_near(start, end, employees=None):
            yield Hit(start, end, "medical details about a named person")


@rule(
    "702.5(b)/protected-name",
    Severity.BLOCK,
    "Names of juveniles and victims on the supervisors' protected list",
)
def protected_names(field, config):
    for start, end, entry in watch_list_hits(field, config):
        if entry.kind in ("juvenile", "victim"):
            yield Hit(start, end, f"the name of a protected {entry.kind}")


@rule("702.5(b)/juvenile-named", Severity.BLOCK, "A juvenile named in the post")
def named_juveniles(field, config):
    marked = not field.words.isdisjoint({"year", "juvenile", "minor"})
    if not (marked and JUVENILE.search(field.text) or AGE_AFTER_NAME.search(field.text)):
        return
    people = [n for n in field.names if not n.employee]
    if not people:
        return
    marked = {m.start() for m in JUVENILE.finditer(field.text)}
    for name in people:
        sentence_start, sentence_end = field.sentence_at(name.start)
        aged = AGE_AFTER_NAME.match(field.text, name.end)
        if aged or any(sentence_start <= at < sentence_end for at in marked):
            yield Hit(name.start, name.end, "the name of a juvenile")


def watch_list_hits(field, config):
    """(start, end, entry) of the watch list's names and terms in force, in original positions."""

    def compute():
        if not config.watch_list.may_occur(field.leet_words):
            return []
        today = timezone.localdate()
        hits = []
        for start, end, entries in config.watch_list.find(field.folded.leet):
            for entry in entries:
                if entry.in_force(today):
                    hits.append((*field.folded.to_original(start, end), entry))
        return hits

    return field.shared("watch", compute)
