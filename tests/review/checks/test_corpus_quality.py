"""The engine against the labelled corpus (tests/review/corpus/): the quality targets hold.

Deterministic figures only; speed is measured by tests/bench/bench_checks.py, never asserted.
"""

from collections import Counter

import pytest

from posting.models import Category
from review.checks.rules import RULES
from tests.review.corpus.evaluate import blocking_rules, evaluate, load_corpus


@pytest.fixture(scope="module")
def evaluation():
    return evaluate()


def test_corpus_has_400_posts_with_every_category_and_every_text_rule():
    corpus = load_corpus()
    assert len(corpus) >= 400
    clean = Counter(post["category"] for post in corpus if post["kind"] == "clean")
    assert set(clean) == set(Category.values)
    assert min(clean.values()) >= 20
    labelled = {rule for post in corpus for rule in post["expected_rules"]}
    text_rules = {rule_id for rule_id, rule in RULES.items() if rule.scan is not None}
    assert text_rules <= labelled
    evasion = [post for post in corpus if post["kind"] == "evasion"]
    assert len(evasion) >= 40


def test_recall_on_blocking_rules_is_at_least_95_percent(evaluation):
    assert evaluation.overall_for(blocking_rules()).recall >= 0.95
    assert evaluation.block_recall >= 0.95


def test_every_blocking_rule_recalls_at_least_80_percent(evaluation):
    weak = {
        rule_id: evaluation.rules[rule_id].recall
        for rule_id in blocking_rules()
        if rule_id in evaluation.rules and evaluation.rules[rule_id].recall < 0.8
    }
    assert not weak


def test_false_positive_rate_on_clean_posts_is_at_most_2_percent(evaluation):
    assert evaluation.false_positive_rate <= 0.02, [p["text"] for p in evaluation.clean_flagged]


def test_overall_precision_is_at_least_90_percent(evaluation):
    assert evaluation.overall.precision >= 0.9
