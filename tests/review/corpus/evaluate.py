"""Scoring the engine against the labelled corpus: precision and recall per rule, decisions,
and the false-positive rate on clean posts. Used by tests/bench/bench_checks.py and by the
corpus quality test."""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.jsonl"
WATCH_LIST = HERE / "watch_list.json"


def load_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def corpus_config():
    """The shipped defaults plus the corpus's watch list, without touching the database."""
    from review.checks.config import (
        WatchEntry,
        build_config,
        compile_case_format,
        default_allowed_phrases,
        default_case_formats,
        default_contacts,
        default_lexicon,
    )

    watch = json.loads(WATCH_LIST.read_text(encoding="utf-8"))
    return build_config(
        lexicon=default_lexicon(),
        allowed=default_allowed_phrases(),
        contacts=[(kind, value) for kind, value, _ in default_contacts()],
        case_formats=[compile_case_format(*f) for f in default_case_formats()],
        watch_list=[WatchEntry(w["term"], w["kind"], date(2099, 1, 1)) for w in watch],
        version="corpus",
    )


@dataclass
class RuleScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


@dataclass
class Evaluation:
    rules: dict[str, RuleScore] = field(default_factory=dict)
    decisions: Counter = field(default_factory=Counter)  # (expected, actual) -> posts
    clean_posts: int = 0
    clean_flagged: list = field(default_factory=list)  # clean posts not allowed
    misses: list = field(default_factory=list)  # (post, missing rules, extra rules)
    # kind -> [expected findings found, expected findings, posts decided right, posts]
    by_kind: dict = field(default_factory=dict)

    def score(self, rule_id: str) -> RuleScore:
        return self.rules.setdefault(rule_id, RuleScore())

    @property
    def overall(self) -> RuleScore:
        total = RuleScore()
        for score in self.rules.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def overall_for(self, rule_ids) -> RuleScore:
        total = RuleScore()
        for rule_id in rule_ids:
            score = self.rules.get(rule_id, RuleScore())
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    @property
    def false_positive_rate(self) -> float:
        return len(self.clean_flagged) / self.clean_posts if self.clean_posts else 0.0

    @property
    def decision_accuracy(self) -> float:
        right = sum(n for (expected, actual), n in self.decisions.items() if expected == actual)
        return right / sum(self.decisions.values())

    @property
    def block_recall(self) -> float:
        """Of the posts that must be blocked, the share the engine blocks."""
        expected = sum(n for (e, _), n in self.decisions.items() if e == "block")
        blocked = self.decisions[("block", "block")]
        return blocked / expected if expected else 1.0


def evaluate(corpus=None, config=None) -> Evaluation:
    from review.checks.engine import check

    corpus = corpus if corpus is not None else load_corpus()
    config = config or corpus_config()
    result = Evaluation()
    for post in corpus:
        outcome = check(title="", body=post["text"], category=post["category"], config=config)
        found = {f.rule for f in outcome.findings}
        expected = set(post["expected_rules"])
        for rule_id in found & expected:
            result.score(rule_id).true_positives += 1
        for rule_id in found - expected:
            result.score(rule_id).false_positives += 1
        for rule_id in expected - found:
            result.score(rule_id).false_negatives += 1
        result.decisions[(post["expected_decision"], outcome.decision.value)] += 1
        if post["kind"] == "clean":
            result.clean_posts += 1
            if outcome.decision.value != "allow":
                result.clean_flagged.append(post)
        if found != expected:
            result.misses.append((post, sorted(expected - found), sorted(found - expected)))
        tally = result.by_kind.setdefault(post["kind"], [0, 0, 0, 0])
        tally[0] += len(found & expected)
        tally[1] += len(expected)
        tally[2] += post["expected_decision"] == outcome.decision.value
        tally[3] += 1
    return result


def blocking_rules() -> set[str]:
    from review.checks.findings import Severity
    from review.checks.rules import RULES

    return {rule_id for rule_id, rule in RULES.items() if rule.severity == Severity.BLOCK}
