"""Benchmark of archive search (702.7): latency of the City Clerk's searches over 1,000,000 records.

    python tests/bench/bench_archive_search.py                       # SQLite, 1,000,000 records
    DATABASE_URL=postgres://... python tests/bench/bench_archive_search.py     # PostgreSQL
    python tests/bench/bench_archive_search.py --records 100000 --queries 100  # smaller
    python tests/bench/bench_archive_search.py --keep     # keep (and reuse) the loaded database

Runs in a database of its own, made for the run and dropped after it (`--keep` keeps it for the
next run): on PostgreSQL `<DATABASE_URL's name>_bench_archive`, else a SQLite file in the var
directory. The project's database and the test database are never touched.

The records are made the fast way, not through retention.archive.append(): posts in bulk, then
every archive record written with COPY (PostgreSQL) or executemany (SQLite), its canonical form
and SHA-256 chained to the record before it exactly as append() does (so verify_archive would
pass), the search indexes dropped during the load and built after it. Record texts are drawn
from a fixed vocabulary with a Zipf-like distribution and a fixed seed, so runs compare.

Each search is what the archive page runs through retention.search.find_records: the first
page of 50 records, newest first, and the count the page shows (capped as the page counts:
past 1,000 it says "more than"). Prints p50 and p95 per kind of search and overall;
asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")

POSTS_PER_RECORD = 5  # a post has a few records: its versions on each channel, a take-down
PAGE = 50
SEED = 702
TARGET_P95_MS = 500.0
START = datetime(2021, 1, 1, tzinfo=UTC)
COMMON_WORDS = (
    "road closed street water main park library pool council meeting budget police fire "
    "traffic detour snow plow crews repair schedule community event recruitment hiring "
    "safety alert storm power outage school bus route permit holiday trash pickup recycling "
    "public hearing mayor clerk election ballot festival parade bridge sidewalk lane"
)
SPAN = timedelta(days=5 * 365)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300, help="searches timed in all")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    vendor = connection.vendor
    name = settings.DATABASES["default"]["NAME"]
    bench_name = f"{name}_bench_archive" if vendor == "postgresql" else _sqlite_name(settings)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = bench_name
    started = time.perf_counter()
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep
    )
    try:
        loaded = _load(args.records, vendor)
        print(
            f"database: {vendor} ({bench_name}); {args.records:,} records"
            + (f", loaded in {loaded:.0f} s" if loaded else " (kept from an earlier run)")
            + f"; ready after {time.perf_counter() - started:.0f} s"
        )
        _report(_run_searches(args.queries), vendor)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(name, verbosity=0)


def _sqlite_name(settings) -> str:
    return str(Path(settings.VAR_DIR) / "bench-archive.sqlite3")


# --- Loading ---------------------------------------------------------------------------------
def _load(count: int, vendor: str) -> float | None:
    from retention.models import ArchiveRecord

    if ArchiveRecord.objects.count() == count:
        return None
    if ArchiveRecord.objects.exists():
        raise SystemExit("The kept database holds another number of records: run without --keep.")
    started = time.perf_counter()
    rng = random.Random(SEED)
    words = _vocabulary(rng)
    authors, channels = _people_and_channels()
    posts = _posts(max(1, count // POSTS_PER_RECORD), authors, rng, words)
    _drop_search_indexes(vendor)
    rows = _records(count, posts, channels, rng)
    if vendor == "postgresql":
        _copy_postgresql(rows)
    else:
        _insert_sqlite(rows)
    _build_search_indexes(vendor)
    return time.perf_counter() - started


def _vocabulary(rng) -> list[str]:
    common = COMMON_WORDS.split()
    syllables = ["ka", "ri", "to", "ne", "sa", "lo", "mi", "du", "pe", "vo", "an", "el", "or"]
    made = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    return common + sorted(made)


def _pick_words(rng, words, count) -> str:
    # Zipf-like: a few words are everywhere, most are rare.
    return " ".join(
        words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(count)
    )


def _people_and_channels():
    from accounts.models import User
    from posting.models import Channel

    authors = [
        User.objects.create_user(f"bench{n}", first_name=f"Author{n}", last_name="Bench")
        for n in range(20)
    ]
    channels = [
        Channel.objects.create(
            name=f"Bench {platform}", slug=f"bench-{platform}", platform=platform
        )
        for platform in ("website", "mastodon", "bluesky", "facebook")
    ]
    return authors, channels


def _posts(count, authors, rng, words):
    from posting.models import Category, Post

    categories = Category.values
    made = []
    for start in range(0, count, 5000):
        batch = [
            Post(
                author=rng.choice(authors),
                title=_pick_words(rng, words, 5).capitalize(),
                body=_pick_words(rng, words, rng.randint(15, 45)).capitalize() + ".",
                category=rng.choice(categories),
                state="published",
            )
            for _ in range(min(5000, count - start))
        ]
        made.extend(Post.objects.bulk_create(batch))
    return made


def _records(count, posts, channels, rng):
    """Rows in sequence order, each chained to the one before, as append() writes them."""
    from retention.models import GENESIS, canonical_json, sha256_hex

    kinds = ["published"] * 8 + ["platform_version", "removed"]
    previous = GENESIS
    step = SPAN / count
    for sequence in range(1, count + 1):
        post = posts[(sequence - 1) // POSTS_PER_RECORD % len(posts)]
        channel = channels[sequence % len(channels)]
        kind = rng.choice(kinds)
        recorded_at = START + step * sequence
        payload = {
            "post": {
                "id": post.pk,
                "title": post.title,
                "body": post.body,
                "category": post.category,
                "author": {"id": post.author_id, "username": post.author.username},
            },
            "channel": {"id": channel.pk, "name": channel.name, "platform": channel.platform},
            "publication": {"remote_id": f"{sequence}", "published_at": recorded_at.isoformat()},
            "platform_response": {"id": f"{sequence}"},
        }
        payload_json = canonical_json(payload)
        # The envelope's keys in sorted order, written around the payload's canonical text:
        # the same bytes as canonical_json(envelope), without encoding the payload twice.
        canonical = (
            f'{{"kind":"{kind}","payload":{payload_json},"previous_digest":"{previous}",'
            f'"recorded_at":"{recorded_at.isoformat()}","sequence":{sequence}}}'
        )
        if sequence <= 3:
            assert canonical == canonical_json(
                {
                    "sequence": sequence,
                    "kind": kind,
                    "recorded_at": recorded_at.isoformat(),
                    "previous_digest": previous,
                    "payload": payload,
                }
            )
        digest = sha256_hex(canonical)
        yield (
            sequence,
            kind,
            recorded_at,
            post.pk,
            channel.pk,
            payload_json,
            canonical,
            previous,
            digest,
        )
        previous = digest


COLUMNS = (
    "sequence",
    "kind",
    "recorded_at",
    "post_id",
    "channel_id",
    "payload",
    "canonical",
    "previous_digest",
    "digest",
)


def _copy_postgresql(rows) -> None:
    from django.db import connection, transaction

    last = None
    with transaction.atomic(), connection.cursor() as cursor:
        copy_sql = f"COPY retention_archiverecord ({', '.join(COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
                last = row
        _set_head(last)


def _insert_sqlite(rows) -> None:
    from django.db import connection, transaction

    sql = (
        f"INSERT INTO retention_archiverecord ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    batch, last = [], None
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((*row[:2], row[2].isoformat(), *row[3:]))
            last = row
            if len(batch) == 10000:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                batch = []
        with transaction.atomic():
            cursor.executemany(sql, batch)
            _set_head(last)


def _set_head(last) -> None:
    from retention.models import ArchiveHead

    ArchiveHead.objects.update_or_create(pk=1, defaults={"sequence": last[0], "digest": last[-1]})


def _drop_search_indexes(vendor) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS retention_record_recorded")
        if vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS retention_record_words")


def _build_search_indexes(vendor) -> None:
    """The indexes of migration 0004, built once over the loaded table."""
    from importlib import import_module

    from django.db import connection

    migration = import_module("retention.migrations.0004_record_kinds_and_search")
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(migration.CREATE_WORDS_INDEX)
        cursor.execute(
            "CREATE INDEX retention_record_recorded ON retention_archiverecord "
            "(recorded_at, sequence)"
        )
        cursor.execute("ANALYZE")


# --- Searching -------------------------------------------------------------------------------
def _searches(rng):
    """The Clerk's searches, with their arguments drawn afresh each time."""
    from accounts.models import User
    from posting.models import Category, Channel

    channels = list(Channel.objects.filter(slug__startswith="bench-"))
    authors = list(User.objects.filter(username__startswith="bench"))
    common = ["road", "water", "council", "traffic", "library", "storm", "permit", "parade"]

    def some_days(days):
        start = START + (SPAN - timedelta(days=days)) * rng.random()
        return start.date(), (start + timedelta(days=days)).date()

    def words_in_a_quarter():
        date_from, date_to = some_days(90)
        return {"words": rng.choice(common), "date_from": date_from, "date_to": date_to}

    def a_month():
        date_from, date_to = some_days(30)
        return {"date_from": date_from, "date_to": date_to}

    return {
        "one common word": lambda: {"words": rng.choice(common)},
        "two words": lambda: {"words": " ".join(rng.sample(common, 2))},
        "a phrase": lambda: {"words": '"water main"'},
        "a word nowhere": lambda: {"words": "zyzzyva"},
        "word + category": lambda: {
            "words": rng.choice(common),
            "category": rng.choice(Category.values),
        },
        "word + 90 days": words_in_a_quarter,
        "channel + category": lambda: {
            "channel": rng.choice(channels),
            "category": rng.choice(Category.values),
        },
        "author": lambda: {"author": rng.choice(authors)},
        "a month": a_month,
        "kind: take-downs": lambda: {"kind": "removed"},
        "everything (newest)": dict,
    }


def _run_searches(count: int) -> dict[str, list[tuple[float, float]]]:
    from retention.search import find_records
    from retention.views import CappedPaginator

    rng = random.Random(SEED)
    searches = _searches(rng)
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in searches}
    names = list(searches)
    for name in names:  # warm the caches once per kind of search
        list(find_records(**searches[name]())[:PAGE])
    for n in range(count):
        name = names[n % len(names)]
        records = find_records(**searches[name]())
        started = time.perf_counter()
        page = list(records[:PAGE])
        first_page = time.perf_counter()
        records[: CappedPaginator.cap + 1].count()
        counted = time.perf_counter()
        assert len(page) <= PAGE
        timings[name].append(((first_page - started) * 1000, (counted - started) * 1000))
    return timings


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _report(timings, vendor) -> None:
    print(f"{'search':22} {'runs':>5} {'page p50':>9} {'page p95':>9} {'+count p95':>11}  (ms)")
    for name, runs in timings.items():
        pages, totals = [t[0] for t in runs], [t[1] for t in runs]
        print(
            f"{name:22} {len(runs):5} {statistics.median(pages):9.1f} {_p95(pages):9.1f} "
            f"{_p95(totals):11.1f}"
        )
    pages = [t[0] for runs in timings.values() for t in runs]
    totals = [t[1] for runs in timings.values() for t in runs]
    print(
        f"overall: first page of {PAGE} p95 {_p95(pages):.1f} ms; with the count the page shows "
        f"p95 {_p95(totals):.1f} ms (target p95 <= {TARGET_P95_MS:.0f} ms)"
    )
    if vendor == "postgresql":
        print(f"full-text index used for word searches: {_uses_words_index()}")
    else:
        print("SQLite matches words with LIKE over every record; production runs PostgreSQL.")


def _uses_words_index() -> str:
    from django.db import connection

    from retention.search import find_records

    # A rare word: for a common one, reading the newest records until 50 match is quicker.
    sql, params = find_records(words="zyzzyva").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "yes" if "retention_record_words" in plan else f"no\n{plan}"


if __name__ == "__main__":
    main()
