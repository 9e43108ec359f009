"""The Mayor's office configures the checks; a change applies to the next check (702.3-3)."""

import pytest
from django.core.exceptions import ValidationError

from review.check_models import (
    AllowedPhrase,
    CaseNumberFormat,
    CityContact,
    LexiconEntry,
    RuleSetting,
    WatchListEntry,
)
from review.checks.config import clear_cache, load_config
from review.checks.defaults import load_default_configuration
from review.checks.engine import check
from review.checks.findings import Decision
from review.checks.rules import RULES

pytestmark = pytest.mark.django_db


def rules_found(text, **kwargs):
    return {f.rule for f in check(title="", body=text, category="announcement", **kwargs).findings}


def test_engine_falls_back_to_the_shipped_lexicon_on_an_empty_database():
    clear_cache()
    assert not LexiconEntry.objects.exists()
    assert rules_found("Car thieves are assholes.") == {"702.5(a)/profanity"}
    assert not rules_found("Call City Hall at 541-555-0100.")


def test_loading_the_defaults_is_idempotent():
    first = load_default_configuration()
    assert first["lexicon"] > 150 and first["rule settings"] == len(RULES)
    assert set(load_default_configuration().values()) == {0}
    assert RuleSetting.objects.count() == len(RULES)


def test_loading_the_defaults_keeps_the_mayors_edits(configured):
    entry = LexiconEntry.objects.get(term="damn{,ed,it}", kind="profanity")
    entry.severity = "block"
    entry.save()
    load_default_configuration()
    entry.refresh_from_db()
    assert entry.severity == "block"


def test_new_lexicon_entry_applies_at_the_next_check(configured):
    assert not rules_found("The parking app is borked today.")
    LexiconEntry.objects.create(term="borked", kind="profanity", severity="block")
    assert rules_found("The parking app is borked today.") == {"702.5(a)/profanity"}


def test_deactivated_lexicon_entry_stops_matching(configured):
    entry = LexiconEntry.objects.get(term="scum", kind="inflammatory")
    entry.active = False
    entry.save()
    assert not rules_found("Vandals are scum.")


def test_new_city_contact_passes_the_privacy_checks(configured):
    text = "Call the Food Bank at 541-555-0236."
    assert rules_found(text) == {"702.5(b)/unlisted-phone"}
    CityContact.objects.create(kind="phone", value="(541) 555-0236", label="Food Bank partner line")
    assert not rules_found(text)


def test_new_allowed_phrase_silences_only_its_scope(configured):
    AllowedPhrase.objects.create(phrase="scum of the earth award", scope="702.5(a)")
    assert not rules_found("The Scum of the Earth Award goes to our graffiti crew, a local band.")


def test_watch_list_entry_applies_at_once_and_expires(configured):
    from datetime import timedelta

    from django.utils import timezone

    text = "Great turnout, including Darnell Pruitt and family!"
    assert not rules_found(text)
    entry = WatchListEntry.objects.create(term="Darnell Pruitt", kind="investigation")
    assert rules_found(text) == {"702.5(c)/watch-list"}
    entry.expires = timezone.localdate() - timedelta(days=1)
    entry.save()
    assert not rules_found(text)


def test_disabling_a_rule_applies_at_once(configured):
    setting = RuleSetting.objects.get(rule_id="702.5(f)/personal-content")
    setting.enabled = False
    setting.save()
    assert not rules_found("Back from my vacation!")


def test_severity_override_applies_at_once(configured):
    setting = RuleSetting.objects.get(rule_id="702.5(d)/endorsement")
    setting.severity_override = "block"
    setting.save()
    result = check(title="", body="Best pizza in town at Tony's!", category="announcement")
    assert result.decision == Decision.BLOCK


def test_deleting_an_entry_invalidates_the_cache(configured):
    format_ = CaseNumberFormat.objects.get(label__startswith="Records number")
    assert rules_found("See CR-2024-00871.") == {"702.5(c)/case-number"}
    format_.delete()
    assert not rules_found("See CR-2024-00871.")


def test_cached_configuration_costs_one_query_per_check(configured, django_assert_num_queries):
    load_config()
    with django_assert_num_queries(1):
        check(title="", body="Case 24-018823 is open.", category="announcement")


def test_preloaded_configuration_costs_no_query(configured, django_assert_num_queries):
    config = load_config()
    with django_assert_num_queries(0):
        check(title="", body="Case 24-018823 is open.", category="announcement", config=config)


def test_case_number_format_regex_is_validated_on_save(configured):
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        CaseNumberFormat.objects.create(label="Broken", pattern=r"\b(\d{2}-")
    with pytest.raises(ValidationError, match="matches ordinary text"):
        CaseNumberFormat.objects.create(label="Too loose", pattern=r"\w*")


def test_configuration_changes_are_kept_in_history(configured):
    entry = LexiconEntry.objects.create(term="borked", kind="profanity", severity="warn")
    entry.severity = "block"
    entry.save()
    assert [h.severity for h in entry.history.order_by("history_date")] == ["warn", "block"]


def test_city_contact_values_are_validated():
    with pytest.raises(ValidationError):
        CityContact(kind="phone", value="not a number", label="x").full_clean()
    with pytest.raises(ValidationError):
        CityContact(kind="domain", value="riverton", label="x").full_clean()
    CityContact(kind="phone", value="541-555-01*", label="City block").full_clean()
