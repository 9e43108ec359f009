"""702.5(b): information that violates individual rights, including confidentiality and privacy."""

from datetime import date, timedelta

import pytest

from review.checks.config import (
    WatchEntry,
    build_config,
    compile_case_format,
    default_allowed_phrases,
    default_case_formats,
    default_contacts,
    default_lexicon,
)
from review.checks.findings import Decision

from .conftest import rules_of, spans_of


def config_with_watch_list(*entries):
    return build_config(
        lexicon=default_lexicon(),
        allowed=default_allowed_phrases(),
        contacts=[(kind, value) for kind, value, _ in default_contacts()],
        case_formats=[compile_case_format(*f) for f in default_case_formats()],
        watch_list=entries,
    )


def test_702_5_b_social_security_number_blocks(run):
    text = "We found a wallet; the card inside shows 412-55-9031."
    result = run(text)
    assert rules_of(result) == {"702.5(b)/ssn"}
    assert spans_of(result, text) == ["412-55-9031"]
    assert result.decision == Decision.BLOCK


def test_702_5_b_labelled_social_security_number_without_dashes_blocks(run):
    text = "Example for new hires: SSN 518224410."
    assert spans_of(run(text), text, "702.5(b)/ssn") == ["518224410"]


def test_702_5_b_phone_numbers_and_dates_are_not_social_security_numbers(run):
    result = run("Call 541-555-0100 by 2024-03-15 or visit 100 Main Street.")
    assert "702.5(b)/ssn" not in rules_of(result)


@pytest.mark.parametrize(
    "text, date_text",
    [
        ("Missing person: Tobias Wren, DOB 04/12/1961, last seen Friday.", "04/12/1961"),
        ("Arrested: Marcus Hale, date of birth March 3, 1988.", "March 3, 1988"),
        ("Have you seen Dana Whitfield (D.O.B. 11-30-1975)?", "11-30-1975"),
    ],
)
def test_702_5_b_date_of_birth_blocks(run, text, date_text):
    assert spans_of(run(text), text, "702.5(b)/date-of-birth") == [date_text]


def test_702_5_b_dates_of_events_are_not_dates_of_birth(run):
    assert not rules_of(run("The parade is on March 3, 2025 at 11 AM."))


def test_702_5_b_the_citys_published_phone_numbers_pass(run):
    text = (
        "Call City Hall at (541) 555-0100, the police non-emergency line at 541-555-0111 "
        "or Public Works at 541.555.0134."
    )
    assert not rules_of(run(text))


def test_702_5_b_toll_free_and_crisis_numbers_pass(run):
    assert not rules_of(run("Poison control: 1-800-222-1222. Crisis line: call or text 988."))


def test_702_5_b_private_persons_phone_number_blocks(run):
    text = "Lost dog found! Owner can call Maria Lopez on her cell at 541-555-0231."
    result = run(text)
    assert rules_of(result) == {"702.5(b)/private-phone"}
    assert spans_of(result, text) == ["541-555-0231"]


def test_702_5_b_unlisted_phone_number_needs_a_supervisor(run):
    result = run("The Food Bank needs volunteers Saturday. Call 541-555-0236 to sign up.")
    assert rules_of(result) == {"702.5(b)/unlisted-phone"}
    assert result.decision == Decision.NEEDS_APPROVAL


def test_702_5_b_city_email_and_press_officer_pass(run):
    text = "Media contact: press@riverton.gov; council comments to council@riverton.gov."
    assert not rules_of(run(text))


def test_702_5_b_free_mail_address_of_a_private_person_blocks(run):
    text = "RSVP to the organizer at sunnygardener52@gmail.com."
    result = run(text)
    assert rules_of(result) == {"702.5(b)/private-email"}
    assert spans_of(result, text) == ["sunnygardener52@gmail.com"]


def test_702_5_b_partner_email_needs_a_supervisor(run):
    result = run("Mural proposals go to submissions@rivertonarts.org until June 1.")
    assert rules_of(result) == {"702.5(b)/unlisted-email"}
    assert result.decision == Decision.NEEDS_APPROVAL


@pytest.mark.parametrize(
    "text, address",
    [
        ("The owner of the lost parrot lives at 1418 Cedar Lane.", "1418 Cedar Lane"),
        ("Arrested: Marcus Hale, 34, of 2207 Willow Drive, for burglary.", "2207 Willow Drive"),
        ("Send cards to her home at 88 Pine Street.", "88 Pine Street"),
        ("The caller resides at 512 Harbor Boulevard, Apt 3.", "512 Harbor Boulevard, Apt 3"),
    ],
)
def test_702_5_b_home_address_blocks(run, text, address):
    assert spans_of(run(text), text, "702.5(b)/home-address") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Council meets at City Hall, 100 Main Street, on Tuesday.",
        "Sandbags are at the Public Works yard, 1500 River Road.",
        "Officers are on scene of a crash at 400 Oak Avenue.",
        "Lost and found: a backpack was turned in at City Hall, 100 Main Street.",
    ],
)
def test_702_5_b_city_buildings_and_incident_locations_pass(run, text):
    assert not rules_of(run(text))


def test_702_5_b_drivers_licence_number_blocks(run):
    text = "Found: a wallet with driver's license number D4821-77309 at the library."
    assert spans_of(run(text), text, "702.5(b)/drivers-licence") == ["D4821-77309"]


def test_702_5_b_drivers_licence_requirement_is_not_a_number(run):
    assert not rules_of(run("A commercial driver's license is required for this job."))


def test_702_5_b_licence_plate_blocks(run):
    text = "Police are looking for a blue Honda, Oregon plate 482-KTN."
    assert spans_of(run(text), text, "702.5(b)/licence-plate") == ["482-KTN"]


def test_702_5_b_valid_payment_card_blocks_and_invalid_number_passes(run):
    text = "Found a card at the pool: 4111 1111 1111 1111."
    assert spans_of(run(text), text, "702.5(b)/payment-card") == ["4111 1111 1111 1111"]
    assert "702.5(b)/payment-card" not in rules_of(run("Order 4111 1111 1111 1112 shipped."))


def test_702_5_b_medical_details_next_to_a_name_block(run):
    text = "Please send get-well wishes to Rosa Delgado, who was diagnosed with cancer."
    assert spans_of(run(text), text, "702.5(b)/medical") == ["diagnosed with", "cancer"]


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Lee visited Cancer Survivors Park to open the new path.",
        "The driver was taken to the hospital with minor injuries.",
        "Could you help if someone had a heart attack? Learn CPR at Fire Station 1.",
    ],
)
def test_702_5_b_medical_topics_without_a_person_pass(run, text):
    assert "702.5(b)/medical" not in rules_of(run(text))


def test_702_5_b_protected_juvenile_and_victim_names_block(run):
    config = config_with_watch_list(
        WatchEntry("Ava Kettering", "juvenile"), WatchEntry("Jordan Reyes", "victim")
    )
    text = "Congratulations to AVA KETTERING and Jordan  Reyes on the art prize!"
    result = run(text, config=config)
    assert spans_of(result, text, "702.5(b)/protected-name") == ["AVA KETTERING", "Jordan  Reyes"]
    assert result.decision == Decision.BLOCK


def test_702_5_b_expired_protected_name_no_longer_blocks(run):
    yesterday = date.today() - timedelta(days=2)
    config = config_with_watch_list(WatchEntry("Ava Kettering", "juvenile", yesterday))
    assert not rules_of(run("Congratulations to Ava Kettering!", config=config))


def test_702_5_b_named_juvenile_blocks(run):
    text = "Missing teen: Kayla Moss, 14, was last seen at the library."
    assert spans_of(run(text), text, "702.5(b)/juvenile-named") == ["Kayla Moss"]


def test_702_5_b_confidential_marking_blocks(run):
    result = run("CONFIDENTIAL: draft statement on the personnel investigation.")
    assert rules_of(result) == {"702.5(b)/confidential-marking"}


@pytest.mark.parametrize(
    "text",
    [
        "Tips are kept confidential. Call the confidential tip line at 541-555-0177.",
        "Free and confidential counseling is available to every employee.",
    ],
)
def test_702_5_b_confidentiality_promises_are_not_markings(run, text):
    assert not rules_of(run(text))
