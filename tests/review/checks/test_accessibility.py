"""702.3: the Mayor's accessibility guidelines. Warnings only: they never stop a post."""

import pytest

from review.checks.findings import Decision, Severity
from review.checks.rules.accessibility import (
    missing_alt_text,
    reading_grade,
    split_hashtag,
    syllables,
)

from .conftest import rules_of, spans_of


def test_702_3_multi_word_hashtag_gets_a_camel_case_suggestion(run):
    text = "Expect delays on River Road. #roadclosure"
    result = run(text)
    (finding,) = result.findings
    assert finding.rule == "702.3/hashtag-case"
    assert finding.severity == Severity.WARN
    assert "#RoadClosure" in finding.message
    assert spans_of(result, text) == ["#roadclosure"]
    assert result.decision == Decision.ALLOW


@pytest.mark.parametrize(
    "text", ["Snow day fun! #RoadClosure", "Welcome! #riverton", "#Parks rock"]
)
def test_702_3_camel_case_and_single_word_hashtags_pass(run, text):
    assert not rules_of(run(text))


def test_702_3_hashtag_split_prefers_whole_words():
    assert split_hashtag("therapist") is None
    assert split_hashtag("snowday") == ["snow", "day"]
    assert split_hashtag("joinourteam") == ["join", "our", "team"]


def test_702_3_more_than_three_emoji_warn(run):
    text = "Summer reading starts today! 📚☀️🎉🏖️ Sign up at any branch."
    result = run(text)
    assert rules_of(result) == {"702.3/emoji"}
    assert result.decision == Decision.ALLOW


def test_702_3_three_emoji_at_the_end_pass(run):
    assert not rules_of(run("Summer reading starts today! 📚☀️🎉"))


def test_702_3_emoji_in_place_of_a_word_warns(run):
    text = "We ❤️ our volunteers."
    result = run(text)
    assert "an emoji in place of a word" in result.findings[0].message
    assert spans_of(result, text) == ["❤️"]


def test_702_3_syllable_heuristic():
    assert [syllables(w) for w in ["the", "make", "closed", "table", "community", "library"]] == [
        1,
        1,
        1,
        2,
        4,
        3,
    ]


def test_702_3_flesch_kincaid_grade_follows_the_formula():
    grade, words = reading_grade("The cat sat on the mat. The dog ran to the park.")
    # 12 words, 2 sentences, 12 syllables: 0.39 * 6 + 11.8 * 1 - 15.59
    assert words == 12
    assert grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)


def test_702_3_hard_reading_level_warns_on_long_posts_only(run):
    hard = (
        "Pursuant to the provisions of the municipal code governing the administration of "
        "utility accounts, customers whose accounts demonstrate consistent delinquency will "
        "receive formal notification regarding the discontinuation of services, subsequent to "
        "which the customer may request an administrative hearing before the utility "
        "commission within fourteen calendar days of the notification date."
    )
    assert rules_of(run(hard)) == {"702.3/reading-level"}
    assert not rules_of(
        run("Pursuant to municipal administrative provisions, notification follows.")
    )


def test_702_3_plain_language_passes(run):
    text = (
        "Leaf pickup starts November 4. Rake leaves to the curb, not into the street, so storm "
        "drains stay clear. Crews will come by once a week until the end of December. Bags are "
        "not needed. Put sticks in your green cart. Questions? Call Public Works."
    )
    assert not rules_of(run(text))


def test_702_3_every_image_needs_alt_text():
    findings = missing_alt_text(
        [
            ("parade.jpg", "Marching band on Main Street"),
            ("crew.png", ""),
            ("IMG_2041.jpg", "IMG_2041.jpg"),
            ("map.png", "image"),
            ("sign.jpg", None),
        ]
    )
    assert [f.rule for f in findings] == ["702.3/alt-text"] * 4
    assert all(f.severity == Severity.WARN for f in findings)
    assert "crew.png" in findings[0].message


def test_702_3_images_with_alt_text_pass():
    assert missing_alt_text([("parade.jpg", "Marching band on Main Street")]) == []
