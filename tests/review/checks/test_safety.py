"""702.5(e): information that could compromise the safety and security of city operations,
employees or the public."""

import pytest

from review.checks.findings import Decision

from .conftest import rules_of, spans_of


@pytest.mark.parametrize(
    "text, span",
    [
        ("Officer Dana Reyes lives at 42 Elm Street; drop off cards.", "42 Elm Street"),
        ("Call Sgt. Miller on his cell at 541-555-0287.", "541-555-0287"),
        ("Chief Alvarez's personal email is chief.alvarez@gmail.com.", "chief.alvarez@gmail.com"),
    ],
)
def test_702_5_e_employee_home_address_and_personal_contacts_block(run, text, span):
    result = run(text)
    assert rules_of(result) == {"702.5(e)/employee-contact"}
    assert spans_of(result, text) == [span]


@pytest.mark.parametrize(
    "text",
    [
        "Officers are staged at the church parking lot on 3rd Avenue.",
        "SWAT is positioned behind the hardware store.",
        "Police have a perimeter set up at Oak Avenue and 9th Street.",
        "The staging area is at the Safeway lot for all responding units.",
        "Undercover officers are working the festival crowd tonight.",
    ],
)
def test_702_5_e_tactical_positions_block(run, text):
    result = run(text)
    assert rules_of(result) == {"702.5(e)/tactical"}
    assert result.decision == Decision.BLOCK


def test_702_5_e_public_works_crews_staged_for_a_storm_pass(run):
    assert not rules_of(run("Public Works crews are staged at the yard for tonight's storm."))


@pytest.mark.parametrize(
    "text",
    [
        "The door code for the Community Center side entrance is 4471.",
        "The Wi-Fi password for the council chambers is Riverton2024!",
        "For the election workers: the lockbox combination is 12-34-56.",
        "Your temporary login: jsmith / password: Welcome123.",
    ],
)
def test_702_5_e_door_codes_and_passwords_block(run, text):
    assert rules_of(run(text)) == {"702.5(e)/access-code"}


@pytest.mark.parametrize(
    "text",
    [
        "Never share your password or one-time code with anyone who calls.",
        "Password protect your Wi-Fi and change the default password on your router.",
    ],
)
def test_702_5_e_password_advice_passes(run, text):
    assert not rules_of(run(text))


@pytest.mark.parametrize(
    "text",
    [
        "Storm response phone tree: Public Works calls Parks.",
        "Here is the on-call roster for water main breaks this weekend.",
        "New internal extensions for the Finance team are below.",
    ],
)
def test_702_5_e_internal_phone_trees_block(run, text):
    assert rules_of(run(text)) == {"702.5(e)/phone-tree"}


@pytest.mark.parametrize(
    "text",
    [
        "Heads up: the alarm is off between 2 AM and 4 AM at City Hall.",
        "Cameras at the skate park are down this week.",
        "No security guards on duty at the library after 9 PM.",
        "The yard gates are unlocked between 5 AM and 6 AM.",
    ],
)
def test_702_5_e_security_schedules_block(run, text):
    assert rules_of(run(text)) == {"702.5(e)/security-schedule"}


@pytest.mark.parametrize(
    "text",
    [
        "INTERNAL ONLY: draft layoff plan.",
        "Do not distribute: preliminary findings.",
        "Not for public release - budget scenarios.",
        "Staff memo, need-to-know basis.",
    ],
)
def test_702_5_e_internal_markings_block(run, text):
    assert rules_of(run(text)) == {"702.5(e)/internal-marking"}
