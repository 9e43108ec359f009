"""Seeding the configuration models from the shipped data files."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .config import (
    default_allowed_phrases,
    default_case_formats,
    default_contacts,
    default_lexicon,
)
from .findings import Severity
from .rules import RULES

_SEVERITY_VALUES = {
    Severity.BLOCK: "block",
    Severity.NEEDS_SUPERVISOR: "needs_supervisor",
    Severity.WARN: "warn",
}


@transaction.atomic
def load_default_configuration() -> dict[str, int]:
    """Add the shipped lexicon, allowed phrases, city contacts, case formats and a setting per
    rule, skipping what is already there (so it never undoes the Mayor's office's edits).
    Returns how many rows of each were added."""
    from review.check_models import (
        AllowedPhrase,
        CaseNumberFormat,
        CheckConfigurationVersion,
        CityContact,
        LexiconEntry,
        RuleSetting,
    )

    added = {
        "lexicon": _add_missing(
            LexiconEntry,
            ("term", "kind"),
            [
                LexiconEntry(term=e.term, kind=e.kind, severity=_SEVERITY_VALUES[e.severity])
                for e in default_lexicon()
            ],
        ),
        "allowed phrases": _add_missing(
            AllowedPhrase,
            ("phrase", "scope"),
            [AllowedPhrase(phrase=p, scope=s) for p, s in default_allowed_phrases()],
        ),
        "city contacts": _add_missing(
            CityContact,
            ("kind", "value"),
            [CityContact(kind=k, value=v, label=lb) for k, v, lb in default_contacts()],
        ),
        "case formats": _add_missing(
            CaseNumberFormat,
            ("label",),
            [
                CaseNumberFormat(label=lb, pattern=p, context_words=c)
                for lb, p, c in default_case_formats()
            ],
        ),
        "rule settings": _add_missing(
            RuleSetting, ("rule_id",), [RuleSetting(rule_id=rule_id) for rule_id in RULES]
        ),
    }
    if any(added.values()):
        CheckConfigurationVersion.bump()
    return added


def _add_missing(model, key_fields, objects) -> int:
    existing = set(model.objects.values_list(*key_fields))
    missing, seen = [], set()
    for obj in objects:
        key = tuple(getattr(obj, f) for f in key_fields)
        if key not in existing and key not in seen:
            seen.add(key)
            missing.append(obj)
    if missing:
        # Bulk, with one history row each: seeding is a change the history should show too.
        bulk_create_with_history(missing, model, batch_size=500)
    return len(missing)
