"""Benchmark of the 702.5 checks: quality against the labelled corpus, and speed.

    python tests/bench/bench_checks.py            # from the project root
    python tests/bench/bench_checks.py --quick    # fewer timing rounds

Quality: precision and recall per rule and overall, recall on the blocking rules, and the share
of clean posts that would not be allowed (false-positive rate). Speed: checks per second on one
core for 500-character posts, and the 95th-percentile latency of one check, with a pre-loaded
configuration (no database query per check). Prints the figures; asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "review" / "corpus"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")

POST_LENGTH = 500
TARGET_RECALL, TARGET_FPR = 0.95, 0.02
TARGET_RATE, TARGET_P95_MS = 2000, 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time 1,000 checks, not 10,000")
    parser.add_argument("--verbose", action="store_true", help="list every post scored wrong")
    args = parser.parse_args()

    import django

    django.setup()
    from evaluate import blocking_rules, corpus_config, evaluate, load_corpus

    pin_to_one_core()
    corpus, config = load_corpus(), corpus_config()
    report_quality(evaluate(corpus, config), blocking_rules(), args.verbose)
    report_speed(corpus, config, rounds=1000 if args.quick else 10000)


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def report_quality(result, blocking: set[str], verbose: bool) -> None:
    print(f"{'rule':42} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for rule_id in sorted(result.rules):
        s = result.rules[rule_id]
        mark = "*" if rule_id in blocking else " "
        print(
            f"{mark}{rule_id:41} {s.precision:9.3f} {s.recall:7.3f} "
            f"{s.true_positives:4} {s.false_positives:4} {s.false_negatives:4}"
        )
    overall, blocking_score = result.overall, result.overall_for(blocking)
    print("(* blocking rules)")
    print(f"overall:          precision {overall.precision:.3f}  recall {overall.recall:.3f}")
    print(
        f"blocking rules:   precision {blocking_score.precision:.3f}  "
        f"recall {blocking_score.recall:.3f}  (target recall >= {TARGET_RECALL})"
    )
    print(f"posts to block that are blocked: {result.block_recall:.3f}")
    print(
        f"false-positive rate on clean posts: {result.false_positive_rate:.3%} "
        f"({len(result.clean_flagged)} of {result.clean_posts}; target <= {TARGET_FPR:.0%})"
    )
    print(
        f"decision accuracy: {result.decision_accuracy:.3f} over {sum(result.decisions.values())} posts"
    )
    print("by kind of post (expected findings found; posts decided as labelled):")
    for kind, (found, expected, right, posts) in sorted(result.by_kind.items()):
        share = found / expected if expected else 1.0
        print(f"  {kind:10} recall {share:.3f} ({found}/{expected}); decisions {right}/{posts}")
    if verbose:
        for post, missing, extra in result.misses:
            print(f"  #{post['id']} missing {missing} extra {extra}: {post['text'][:100]}")


def five_hundred_character_posts(corpus, count: int = 400) -> list[dict]:
    """Posts of exactly 500 characters, each made of corpus posts run together."""
    rng = random.Random(702)
    posts = []
    for _ in range(count):
        parts, length = [], 0
        while length < POST_LENGTH:
            post = rng.choice(corpus)
            parts.append(post["text"])
            length += len(post["text"]) + 1
        posts.append({"text": " ".join(parts)[:POST_LENGTH], "category": post["category"]})
    return posts


def report_speed(corpus, config, rounds: int) -> None:
    clean = [post for post in corpus if post["kind"] == "clean"]
    time_checks(five_hundred_character_posts(corpus), config, rounds, "the whole corpus mixed")
    time_checks(five_hundred_character_posts(clean), config, rounds, "clean posts only")


def time_checks(posts, config, rounds: int, mix: str) -> None:
    from review.checks.engine import check

    for post in posts:  # warm the per-process caches
        check(title="", body=post["text"], category=post["category"], config=config)
    latencies = []
    started = time.perf_counter()
    for index in range(rounds):
        post = posts[index % len(posts)]
        before = time.perf_counter()
        check(title="", body=post["text"], category=post["category"], config=config)
        latencies.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(0.95 * len(latencies)) - 1] * 1000
    print(
        f"\nspeed, one core, {POST_LENGTH}-character posts of {mix}, pre-loaded config, "
        f"{rounds} checks:"
    )
    print(f"  {rounds / elapsed:,.0f} posts per second (target >= {TARGET_RATE:,})")
    print(
        f"  latency: median {statistics.median(latencies) * 1000:.3f} ms, "
        f"p95 {p95:.3f} ms, max {latencies[-1] * 1000:.3f} ms (target p95 <= {TARGET_P95_MS} ms)"
    )


if __name__ == "__main__":
    main()
