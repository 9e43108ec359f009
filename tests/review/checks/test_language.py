"""702.5(a): content that is abusive, discriminatory, inflammatory or sexually explicit."""

import pytest

from review.checks.findings import Decision, Severity

from .conftest import rules_of, spans_of

PROFANITY = "702.5(a)/profanity"


def test_702_5_a_profanity_blocks(run):
    result = run("Stop running the red light at Main and 4th, fuck.")
    assert result.decision == Decision.BLOCK
    assert rules_of(result) == {PROFANITY}
    assert result.findings[0].message.startswith(
        "Blocked: 702.5(a), content that is abusive, discriminatory, inflammatory or sexually explicit"
    )


def test_702_5_a_slur_blocks(run):
    result = run("Some faggot keeps tagging the skate park.")
    assert rules_of(result) == {"702.5(a)/slur"}
    assert result.decision == Decision.BLOCK


def test_702_5_a_sexually_explicit_language_blocks(run):
    result = run("People keep having sex in the parking garage.")
    assert rules_of(result) == {"702.5(a)/sexual"}
    assert spans_of(result, "People keep having sex in the parking garage.") == ["having sex"]


def test_702_5_a_inflammatory_phrase_blocks(run):
    result = run("To the people complaining: go back to where you came from.")
    assert rules_of(result) == {"702.5(a)/inflammatory"}


def test_702_5_a_mild_profanity_needs_a_supervisor(run):
    result = run("The fireworks show was a damn good time!")
    assert result.decision == Decision.NEEDS_APPROVAL
    assert result.findings[0].severity == Severity.NEEDS_SUPERVISOR


def test_702_5_a_longest_phrase_wins_over_the_word_inside_it(run):
    text = "Whoever stole the planters is a piece of shit."
    result = run(text)
    assert spans_of(result, text) == ["piece of shit"]


EVASIONS = {
    "leetspeak": "Car thieves are b1tch3s.",
    "dollar signs": "Car thieves are a$$holes.",
    "cyrillic a e o": "Car thieves are аsshоlеs.",
    "zero-width space": "Car thieves are ass\u200bholes.",
    "zero-width joiner and soft hyphen": "Car thieves are as\u200dsho\u00adles.",
    "spaced letters": "Car thieves are a s s h o l e s.",
    "dotted letters": "Car thieves are a.s.s.h.o.l.e.s.",
    "dashed letters": "Car thieves are b-i-t-c-h-e-s.",
    "stretched letters": "Car thieves are aaaaassholes.",
    "masked with stars": "Car thieves are a**holes.",
    "combining accents": "Car thieves are a\u0301ssholes.",
    "accented letters": "Car thieves are àsshölés.",
    "fullwidth letters": "Car thieves are ａｓｓｈｏｌｅｓ.",
    "mathematical bold": "Car thieves are 𝐚𝐬𝐬𝐡𝐨𝐥𝐞𝐬.",
    "mixed case": "Car thieves are AsShOlEs.",
}


@pytest.mark.parametrize("text", EVASIONS.values(), ids=EVASIONS.keys())
def test_702_5_a_evasion_is_still_blocked(run, text):
    result = run(text)
    assert result.decision == Decision.BLOCK, text
    assert rules_of(result) == {PROFANITY}


@pytest.mark.parametrize(
    "text",
    [
        "Car thieves are ass\u200bholes.",
        "Car thieves are a s s h o l e s.",
        "Car thieves are a\u0301ssholes.",
        "Car thieves are 𝐚𝐬𝐬𝐡𝐨𝐥𝐞𝐬.",
        "Car thieves are аsshоlеs.",
    ],
)
def test_702_5_a_span_is_the_original_text_after_normalisation(run, text):
    result = run(text)
    (span,) = spans_of(result, text)
    assert span == text[len("Car thieves are ") : -1]


def test_702_5_a_span_points_past_zero_width_characters_before_the_word(run):
    text = "\u200b\u200bNotice:\u200b the parking app is sh\u200bit today."
    result = run(text)
    assert spans_of(result, text) == ["sh\u200bit"]


SCUNTHORPE = [
    "Our sister city delegation from Scunthorpe arrives Saturday.",
    "Firefighters from Sussex, Essex and Middlesex counties joined the drill.",
    "Property assessment notices are in the mail.",
    "The classic car show is back at Riverside Park.",
    "A mocktail and cocktail bar will be at the festival.",
    "The Dickens Festival returns downtown.",
    "Hello, Riverton! Keep shell casings out of the recycling.",
    "Now hiring a licensed therapist for the responder program.",
    "The grape stomp is Saturday.",
    "A traffic analysis of Oak Avenue is online.",
    "Cummings Park has a new playground.",
    "The Cockburn family donated the bench; the document is at the library.",
    "Pass the bass to the skyscraper crew; the shiitake stand is by the Hancock arch.",
    "Penistone Road and Clitheroe Lane are closed; the assassin bug exhibit is at the museum.",
    "The arsenal exhibit is in the Titusville room; buttress repairs start Monday.",
    "Cumberland Avenue and Horniman Street are being repaved; see the pianist at noon.",
    "Graduates earned magna cum laude honors.",
    "The pussy willow walk is Saturday morning.",
    "That was a hell of a game, Otters!",
    "The sex offender registry is public.",
    "The Gay Pride parade steps off at 11 AM.",
    "The booby trap exhibit at the history museum explains old hunting methods.",
    "Call 455-2020 is not a phone number we publish; Route 455 is closed.",
]


@pytest.mark.parametrize("text", SCUNTHORPE)
def test_702_5_a_innocent_words_are_not_matched_inside_or_in_context(run, text):
    assert not rules_of(run(text)) & {
        PROFANITY,
        "702.5(a)/slur",
        "702.5(a)/sexual",
        "702.5(a)/inflammatory",
    }


def test_702_5_a_allowed_phrase_only_covers_its_own_words(run):
    result = run("What a hell of a game. Now go to hell, vandals.")
    assert spans_of(result, "What a hell of a game. Now go to hell, vandals.") == ["go to hell"]
