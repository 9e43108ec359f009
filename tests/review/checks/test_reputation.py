"""702.5(d): content that could damage the reputation or professionalism of the City."""

import pytest

from review.checks.findings import Decision

from .conftest import rules_of

ELECTIONEERING = "702.5(d)/electioneering"


@pytest.mark.parametrize(
    "text",
    [
        "Vote for Karen Mills for City Council!",
        "Re-elect Mayor Lee and keep Riverton moving.",
        "Vote yes on Measure 12 to fund our parks.",
        "The City urges residents to oppose Measure 7.",
        "Jim Ortega is the best candidate for sheriff.",
        "Come to the campaign rally for our next mayor.",
        "Don't forget to vote Tuesday. #VoteYesOn5",
    ],
)
def test_702_5_d_electioneering_needs_a_supervisor(run, text):
    result = run(text)
    assert ELECTIONEERING in rules_of(result)
    assert result.decision == Decision.NEEDS_APPROVAL


@pytest.mark.parametrize(
    "text",
    [
        "Polls open at 7 AM and close at 8 PM on November 5.",
        "Register to vote by October 15.",
        "Vote for your favorite photo in the parks contest!",
        "Vote centers are open for early voting at City Hall.",
        "Measure 4 would fund street repairs. Read the impartial analysis online.",
        "The candidate forum will be streamed; all six candidates were invited.",
        "Vote no later than 8 PM on Election Day.",
    ],
)
def test_702_5_d_neutral_election_information_passes(run, text):
    assert not rules_of(run(text))


@pytest.mark.parametrize(
    "text",
    [
        "Best pizza in town at Tony's on Main Street!",
        "Use promo code RIVERTON20 for 20% off camping gear.",
        "Our favorite coffee shop, Bean There, is open late.",
        "We highly recommend Acme Plumbing for pipe checks.",
        "The tastiest tacos in Riverton are at El Camino.",
    ],
)
def test_702_5_d_commercial_endorsement_needs_a_supervisor(run, text):
    result = run(text)
    assert rules_of(result) == {"702.5(d)/endorsement"}
    assert result.decision == Decision.NEEDS_APPROVAL


def test_702_5_d_thanking_a_donor_is_not_an_endorsement(run):
    assert not rules_of(run("Thanks to Riverton Hardware for donating smoke alarms."))


@pytest.mark.parametrize(
    "text",
    [
        "Councilmember Ellis is an idiot if he thinks this will pass.",
        "The county road crew is completely incompetent.",
        "The commissioner should resign after this mess.",
        "In my opinion the legislature ignores small cities.",
    ],
)
def test_702_5_d_personal_opinions_about_people_need_a_supervisor(run, text):
    assert "702.5(d)/personal-opinion" in rules_of(run(text))


def test_702_5_d_opinion_quoted_in_a_media_release_is_not_the_citys(run):
    text = 'Resident Dana Fox said: "The old bridge was useless, and I am glad it is gone."'
    assert "702.5(d)/personal-opinion" not in rules_of(run(text))
