"""The engine's configuration, compiled once and cached per process.

The Mayor's office edits the lexicon, allowed phrases, city contacts, case-number formats, watch
list and rule settings (review/check_models.py). Every save there changes one version stamp; a
check costs one primary-key query to compare stamps, and none when the caller passes a config.
A list that is empty in the database falls back to the shipped file (review/checks/data/), so the
engine works on a fresh database.
"""

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import phonenumbers

from .data import fields_of, lines_of
from .findings import Severity
from .lexicon import Entry, Lexicon
from .normalize import fold_phrase

log = logging.getLogger(__name__)

SEVERITY_NAMES = {
    "block": Severity.BLOCK,
    "supervisor": Severity.NEEDS_SUPERVISOR,
    "needs_supervisor": Severity.NEEDS_SUPERVISOR,
    "warn": Severity.WARN,
}
LEXICON_FILES = {
    "profanity": "profanity.txt",
    "slur": "slurs.txt",
    "sexual": "sexual.txt",
    "inflammatory": "inflammatory.txt",
}
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "lane": "ln",
    "drive": "dr", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy",
    "terrace": "ter", "circle": "cir", "square": "sq", "trail": "trl",
    "north": "n", "south": "s", "east": "e", "west": "w",
}  # fmt: skip


# --- Compiled parts ------------------------------------------------------------------------


class PhraseSet:
    """Configured phrases found as whole words in the folded text, each with its values."""

    def __init__(self, phrases):
        self.values: dict[str, list] = {}
        for phrase, value in phrases:
            folded = fold_phrase(phrase)
            if folded:
                self.values.setdefault(folded, []).append(value)
        alternatives = sorted(self.values, key=len, reverse=True)
        self.first_words = frozenset(re.match(r"[a-z0-9]+", p).group() for p in alternatives)
        self.regex = (
            re.compile(
                r"(?<![a-z0-9])(?:"
                + "|".join(re.escape(p).replace(r"\ ", r"[^a-z0-9]+") for p in alternatives)
                + r")(?![a-z0-9])"
            )
            if alternatives
            else None
        )

    def __len__(self) -> int:
        return len(self.values)

    def may_occur(self, words) -> bool:
        """Whether the first word of some phrase is among the words: if not, skip the regex."""
        return not self.first_words.isdisjoint(words)

    def find(self, leet: str):
        """(start, end, values) in the folded text for each phrase present."""
        if self.regex is None:
            return
        for m in self.regex.finditer(leet):
            yield m.start(), m.end(), self.values[" ".join(re.findall(r"[a-z0-9]+", m.group()))]


@dataclass(frozen=True)
class WatchEntry:
    term: str
    kind: str  # investigation, juvenile, victim
    expires: date | None = None

    def in_force(self, today: date) -> bool:
        return self.expires is None or self.expires >= today


@dataclass(frozen=True)
class CaseFormat:
    label: str
    regex: re.Pattern
    context: re.Pattern | None  # a word that must come shortly before ("case", "report")
    context_words: frozenset = frozenset()


@dataclass(frozen=True)
class Contacts:
    """What the City publishes: these pass the privacy rules."""

    phones: frozenset = frozenset()  # national numbers, "5415550100"
    phone_prefixes: tuple = ()
    emails: frozenset = frozenset()
    domains: tuple = ()
    addresses: frozenset = frozenset()  # normalised, "100 main st"
    handles: frozenset = frozenset()  # lower case, no @

    def allows_phone(self, national: str) -> bool:
        return national in self.phones or national.startswith(self.phone_prefixes or ("\0",))

    def allows_email(self, address: str) -> bool:
        address = address.lower()
        domain = address.rsplit("@", 1)[-1]
        return address in self.emails or self.allows_domain(domain)

    def allows_domain(self, domain: str) -> bool:
        domain = domain.lower().removeprefix("www.")
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def allows_address(self, address: str) -> bool:
        normal = normalise_address(address)
        return any(normal == a or normal.startswith(a + " ") for a in self.addresses)


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: Severity | None = None


@dataclass(frozen=True)
class CheckConfig:
    lexicon: Lexicon
    allowed: PhraseSet
    contacts: Contacts
    case_formats: tuple[CaseFormat, ...]
    watch_list: PhraseSet
    rule_settings: dict[str, RuleSetting] = field(default_factory=dict)
    version: str = "files"

    def setting(self, rule_id: str) -> RuleSetting:
        return self.rule_settings.get(rule_id, _DEFAULT_SETTING)

    @cached_property
    def text_rules(self) -> list:
        """(rule, severity override) for each enabled rule that reads text, in order."""
        from .rules import RULES

        return [
            (rule, self.setting(rule.id).severity)
            for rule in RULES.values()
            if rule.scan is not None and self.setting(rule.id).enabled
        ]


_DEFAULT_SETTING = RuleSetting()


# --- Normalising configured values ---------------------------------------------------------


def normalise_address(address: str) -> str:
    words = re.findall(r"[a-z0-9]+", address.lower())
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def national_number(value: str) -> str | None:
    """The US national number of a phone number as written, or None if it is not one."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    return str(number.national_number)


def compile_case_format(label: str, regex: str, context_words: str = "") -> CaseFormat:
    words = [w.strip().lower() for w in context_words.split(",") if w.strip()]
    context = (
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None
    )
    single_words = frozenset(w for w in words if w.isalpha())
    # A context of single words lets a post without any of them skip the regex.
    gate = single_words if len(single_words) == len(words) else frozenset()
    return CaseFormat(label, re.compile(regex), context, gate)


def build_contacts(rows) -> Contacts:
    """rows: (kind, value) pairs; kind is phone, email, domain, address or handle."""
    phones, prefixes, emails, domains, addresses, handles = set(), [], set(), [], set(), set()
    for kind, value in rows:
        value = value.strip()
        if kind == "phone" and value.endswith("*"):
            prefixes.append(re.sub(r"\D", "", value).removeprefix("1"))
        elif kind == "phone" and (national := national_number(value)):
            phones.add(national)
        elif kind == "email":
            emails.add(value.lower())
        elif kind == "domain":
            domains.append(value.lower().lstrip("@").removeprefix("www."))
        elif kind == "address":
            addresses.add(normalise_address(value))
        elif kind == "handle":
            handles.add(value.lower().lstrip("@"))
    return Contacts(
        frozenset(phones),
        tuple(prefixes),
        frozenset(emails),
        tuple(domains),
        frozenset(addresses),
        frozenset(handles),
    )


def build_config(
    *, lexicon, allowed, contacts, case_formats, watch_list=(), rule_settings=None, version="files"
) -> CheckConfig:
    """Compile plain records (from the data files or the database) into a CheckConfig.

    lexicon: Entry objects; allowed: (phrase, scope); contacts: (kind, value);
    case_formats: CaseFormat; watch_list: WatchEntry; rule_settings: {rule id: RuleSetting}.
    """
    return CheckConfig(
        lexicon=Lexicon(lexicon),
        allowed=PhraseSet(allowed),
        contacts=build_contacts(contacts),
        case_formats=tuple(case_formats),
        watch_list=PhraseSet((entry.term, entry) for entry in watch_list),
        rule_settings=dict(rule_settings or {}),
        version=version,
    )


# --- The shipped defaults ------------------------------------------------------------------


def default_lexicon() -> list[Entry]:
    entries = []
    for kind, filename in LEXICON_FILES.items():
        for line in lines_of(filename):
            term, _, severity = line.rpartition(" ")
            entries.append(Entry(term.strip(), kind, SEVERITY_NAMES[severity.strip()]))
    return entries


def default_allowed_phrases() -> list[tuple[str, str]]:
    return [
        (parts[0], parts[1] if len(parts) > 1 else "all")
        for parts in fields_of("allowed_phrases.txt")
    ]


def default_contacts() -> list[tuple[str, str, str]]:
    return [(kind, value, label) for kind, value, label in fields_of("city_contacts.txt")]


def default_case_formats() -> list[tuple[str, str, str]]:
    return [
        (parts[0], parts[1], parts[2] if len(parts) > 2 else "")
        for parts in fields_of("case_formats.txt")
    ]


@lru_cache(maxsize=1)
def default_config() -> CheckConfig:
    """The configuration of the shipped data files alone; no database query."""
    return build_config(
        lexicon=default_lexicon(),
        allowed=default_allowed_phrases(),
        contacts=[(kind, value) for kind, value, _ in default_contacts()],
        case_formats=[compile_case_format(*f) for f in default_case_formats()],
    )


# --- The database, cached per process ------------------------------------------------------

_cache: tuple[str, CheckConfig] | None = None
_lock = threading.Lock()


def load_config() -> CheckConfig:
    """The configuration the Mayor's office keeps, compiled once per change (one cheap query)."""
    global _cache
    from django.db import DatabaseError

    from review.check_models import CheckConfigurationVersion

    try:
        stamp = CheckConfigurationVersion.current_stamp()
    except DatabaseError:  # no tables yet (before migrate): the shipped files still apply
        log.warning("The check configuration tables are missing; using the shipped defaults.")
        return default_config()
    cached = _cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        config = config_from_database(stamp)
        _cache = (stamp, config)
    return config


def clear_cache() -> None:
    global _cache
    _cache = None


def config_from_database(stamp: str) -> CheckConfig:
    from review.check_models import (
        AllowedPhrase,
        CaseNumberFormat,
        CityContact,
        LexiconEntry,
        WatchListEntry,
    )
    from review.check_models import (
        RuleSetting as RuleSettingRow,
    )

    lexicon_rows = list(LexiconEntry.objects.values_list("term", "kind", "severity", "active"))
    phrase_rows = list(AllowedPhrase.objects.values_list("phrase", "scope", "active"))
    contact_rows = list(CityContact.objects.values_list("kind", "value", "active"))
    format_rows = list(
        CaseNumberFormat.objects.values_list("label", "pattern", "context_words", "active")
    )
    watch_rows = WatchListEntry.objects.filter(active=True).values_list("term", "kind", "expires")
    setting_rows = RuleSettingRow.objects.values_list("rule_id", "enabled", "severity_override")
    return build_config(
        lexicon=[Entry(t, k, SEVERITY_NAMES[s]) for t, k, s, on in lexicon_rows if on]
        if lexicon_rows
        else default_lexicon(),
        allowed=[(p, s) for p, s, on in phrase_rows if on]
        if phrase_rows
        else default_allowed_phrases(),
        contacts=[(k, v) for k, v, on in contact_rows if on]
        if contact_rows
        else [(k, v) for k, v, _ in default_contacts()],
        case_formats=[compile_case_format(lb, p, c) for lb, p, c, on in format_rows if on]
        if format_rows
        else [compile_case_format(*f) for f in default_case_formats()],
        watch_list=[WatchEntry(t, k, e) for t, k, e in watch_rows],
        rule_settings={
            rule_id: RuleSetting(enabled, SEVERITY_NAMES.get(override) if override else None)
            for rule_id, enabled, override in setting_rows
        },
        version=stamp,
    )
