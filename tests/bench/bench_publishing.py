"""Benchmark of publishing: approve-to-published latency, and sustained throughput.

    python tests/bench/bench_publishing.py            # from the project root
    python tests/bench/bench_publishing.py --quick    # 40 and 200 posts

Five channels backed by the sandbox platforms (Mastodon, a second Mastodon account, Bluesky,
a Facebook Page and X), each answering every API request after 100 ms, and the production
path throughout: Post.submit and Post.approve, the Publication rows and the wake-up on commit,
a real Celery worker process, the platform adapters, the sandboxes.

Latency: posts approved one at a time (no queue), each timed from the commit of its approval
to the last of its five publications' `published_at`; target p95 <= 1.5 x the slowest
platform's own latency (one publish through its adapter, measured here first).
Throughput: 1,000 posts approved while no worker runs, then one worker with concurrency 4
drains them; posts per second, and every post counted on the sandboxes: none lost, none twice.

The database is its own: PostgreSQL when DATABASE_URL is set (a database named
<name>_bench_publishing, created and dropped), else a SQLite file under the benchmark's var
directory (var/bench-publishing/, or under CITYSOCIAL_VAR_DIR); the broker is Redis when
REDIS_URL is set (on a queue of its own), else the filesystem broker in that directory.
Prints the figures; exits non-zero only when a post was lost or published twice.

It takes a while: 1,000 posts of 5 platform calls at 100 ms, 4 at a time, need 3.5 minutes
even with no overhead at all; on a two-core machine the full run took 15 to 19 minutes
(PostgreSQL and Redis, SQLite), `--quick` about 3.
"""

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VAR_DIR = Path(os.environ.get("CITYSOCIAL_VAR_DIR") or ROOT / "var") / "bench-publishing"
os.environ["CITYSOCIAL_VAR_DIR"] = str(VAR_DIR)
os.environ["CITYSOCIAL_BROKER_DIR"] = str(VAR_DIR / "broker")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")
WORKER_LOG_LEVEL = os.environ.get("LOG_LEVEL") or "INFO"
os.environ["LOG_LEVEL"] = "ERROR"  # the figures only, here; the worker's log keeps the rest

PLATFORM_LATENCY = 0.100  # seconds before every sandbox answer
TARGET_FACTOR = 1.5
QUEUE = "bench-publishing"
RATE_LIMIT_PER_MINUTE = 1_000_000  # far above what the benchmark sends: nothing is throttled
OWN_LATENCY_SAMPLES = 5
WARM_UP_POSTS = 3
POST_TIMEOUT = 30.0  # seconds for one post to reach every channel in the latency run
STALL_TIMEOUT = 120.0  # seconds without a publication settling: the run is declared stuck
TOKEN_RE = re.compile(r"\bBENCH-([A-Z])-(\d{5})\b")


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings

    began = time.monotonic()
    database = create_database()
    print(
        f"Publishing benchmark: {database['label']}, {broker_label(settings)}; "
        f"5 channels, every sandbox answers after {PLATFORM_LATENCY * 1000:.0f} ms."
    )
    sandboxes = start_sandboxes()
    try:
        city = load_city(sandboxes)
        own = measure_own_latencies(city.channels, sandboxes)
        report_own_latencies(own)
        problems = run_latency(args, city, sandboxes, database, own)
        problems += run_throughput(args, city, sandboxes, database, own)
    finally:
        for sandbox in sandboxes.values():
            sandbox.stop()
        drop_database(database)
    print(f"\n(the benchmark took {(time.monotonic() - began) / 60:.1f} minutes)")
    if problems:
        print(f"FAILED: {problems} publication(s) missing from a sandbox or posted twice.")
        return 1
    print("No post lost, none published twice.")
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 and 200 posts, not 200 and 1,000")
    parser.add_argument("--latency-posts", type=int, help="posts timed one at a time (200)")
    parser.add_argument("--throughput-posts", type=int, help="posts drained by one worker (1,000)")
    parser.add_argument(
        "--latency-pool",
        default="threads",
        choices=["threads", "prefork"],
        help="the worker's pool for the latency run (threads: one process, five calls at once)",
    )
    parser.add_argument("--latency-concurrency", type=int, default=10)
    parser.add_argument("--throughput-pool", default="prefork", choices=["threads", "prefork"])
    parser.add_argument("--throughput-concurrency", type=int, default=4)
    args = parser.parse_args()
    args.latency_posts = args.latency_posts or (40 if args.quick else 200)
    args.throughput_posts = args.throughput_posts or (200 if args.quick else 1000)
    return args


# --- The database and the broker ---------------------------------------------------------


def create_database() -> dict:
    """A fresh database of the benchmark's own, migrated; never the one DATABASE_URL names."""
    from django.db import connection

    db = connection.settings_dict
    sqlite = db["ENGINE"].endswith("sqlite3")
    db["TEST"] = {
        **db.get("TEST", {}),
        "NAME": str(VAR_DIR / "bench-publishing.sqlite3")
        if sqlite
        else f"{db['NAME']}_bench_publishing",
    }
    old_name = db["NAME"]
    started = time.perf_counter()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"(database created and migrated in {time.perf_counter() - started:.1f} s)")
    label = f"SQLite ({name})" if sqlite else f"PostgreSQL (database {name})"
    return {"old_name": old_name, "label": label, "url": database_url()}


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def drop_database(database: dict) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(old_database_name=database["old_name"], verbosity=0)


def broker_label(settings) -> str:
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        return f"filesystem broker ({settings.BROKER_DIR})"
    return f"broker {settings.CELERY_BROKER_URL.split('://')[0]} (queue {QUEUE})"


def use_own_queue() -> None:
    """Send the wake-ups to a queue of the benchmark's own, emptied first: a shared Redis may
    hold other workers' queues, and the filesystem broker keeps messages between runs."""
    from django.conf import settings

    from citysocial.celery import app

    app.conf.task_default_queue = QUEUE
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        shutil.rmtree(settings.BROKER_DIR / "queue", ignore_errors=True)
        (settings.BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
        return
    # A queue that does not exist yet is empty.
    with app.connection_for_write() as connection, contextlib.suppress(Exception):
        connection.default_channel.queue_purge(QUEUE)


# --- The sandboxes ------------------------------------------------------------------------


def start_sandboxes() -> dict:
    from posting.sandbox.bluesky import FakeBluesky
    from posting.sandbox.facebook import FakeFacebook
    from posting.sandbox.mastodon import FakeMastodon
    from posting.sandbox.x import FakeX

    sandboxes = {
        # The benchmark posts far more than a real account may: the platforms' own rate limits
        # are off, and the channels' limits are set above what is sent.
        "mastodon": FakeMastodon(token="bench-mastodon", enforce_rate_limits=False),
        "mastodon-2": FakeMastodon(
            token="bench-mastodon-2", username="city_news", enforce_rate_limits=False
        ),
        "bluesky": FakeBluesky(app_password="bench-app-password", enforce_rate_limits=False),
        "facebook": FakeFacebook(token="bench-page-token"),
        "x": FakeX(token="bench-user-token", enforce_rate_limits=False),
    }
    for sandbox in sandboxes.values():
        sandbox.start()
        sandbox.set_latency(PLATFORM_LATENCY)
    return sandboxes


def clear_sandboxes(sandboxes: dict) -> None:
    for sandbox in sandboxes.values():
        sandbox.reset()  # forgets the latency too
        sandbox.set_latency(PLATFORM_LATENCY)


def secrets_for(sandboxes: dict) -> dict:
    facebook = sandboxes["facebook"]
    return {
        "mastodon": sandboxes["mastodon"].token,
        "mastodon-2": sandboxes["mastodon-2"].token,
        "bluesky": json.dumps(
            {
                "identifier": sandboxes["bluesky"].handle,
                "app_password": sandboxes["bluesky"].app_password,
            }
        ),
        "facebook": json.dumps({"page_id": facebook.page_id, "access_token": facebook.token}),
        "x": sandboxes["x"].token,
    }


def posts_on(sandbox) -> list:
    """What the sandbox holds as posted: Mastodon statuses, or the others' posts."""
    return sandbox.statuses if hasattr(sandbox, "statuses") else sandbox.posts


def count_on_sandboxes(sandboxes: dict, phase: str, expected: int) -> tuple[int, int, int]:
    """Each benchmark post carries `BENCH-<phase>-<n>`: count every one on every sandbox.

    Returns (found, lost, duplicated) over all channels.
    """
    found = lost = duplicated = 0
    for sandbox in sandboxes.values():
        seen = Counter()
        for post in posts_on(sandbox):
            tokens = {m for m in TOKEN_RE.findall(json.dumps(post)) if m[0] == phase}
            seen.update(int(number) for _, number in tokens)
        found += sum(1 for n in range(expected) if seen[n] >= 1)
        lost += sum(1 for n in range(expected) if seen[n] == 0)
        duplicated += sum(count - 1 for count in seen.values() if count > 1)
    return found, lost, duplicated


# --- The city -----------------------------------------------------------------------------


@dataclass
class City:
    poster: object
    supervisor: object
    channels: dict = field(default_factory=dict)  # sandbox name -> Channel


def load_city(sandboxes: dict) -> City:
    """The demo city with its four sandbox channels, a second Mastodon account, and each
    channel's credentials entered the way a channel owner enters them (encrypted)."""
    from accounts.demo import load_demo_city
    from accounts.models import Authorization
    from posting.credentials import store_secret
    from posting.models import Channel, Platform

    people = load_demo_city(
        mastodon_url=sandboxes["mastodon"].base_url,
        bluesky_url=sandboxes["bluesky"].base_url,
        facebook_url=sandboxes["facebook"].base_url,
        x_url=sandboxes["x"].base_url,
        equipment_exceptions=True,  # the poster and the supervisor act from any browser
        content_rules=False,  # every post waits for the supervisor's approval
    )
    second = Channel.objects.create(
        slug="sandbox-mastodon-news",
        name="Sandbox (Mastodon API), news account",
        platform=Platform.MASTODON,
        handle="@city_news",
        api_base_url=sandboxes["mastodon-2"].base_url,
        public_url=sandboxes["mastodon-2"].base_url,
    )
    Authorization.grant(
        user=people["poster"], channels=[second], by=people["mayor"], note="Benchmark."
    )
    channels = {
        "mastodon": Channel.objects.get(slug="sandbox-mastodon"),
        "mastodon-2": second,
        "bluesky": Channel.objects.get(slug="sandbox-bluesky"),
        "facebook": Channel.objects.get(slug="sandbox-facebook"),
        "x": Channel.objects.get(slug="sandbox-x"),
    }
    for name, secret in secrets_for(sandboxes).items():
        store_secret(channels[name], secret, by=people["it"])
    for channel in channels.values():
        channel.rate_limit_per_minute = RATE_LIMIT_PER_MINUTE
        channel.save(update_fields=["rate_limit_per_minute"])
    return City(poster=people["poster"], supervisor=people["supervisor"], channels=channels)


def submitted_post(city: City, phase: str, number: int):
    from posting.models import Post

    token = f"BENCH-{phase}-{number:05d}"
    post = Post.objects.create(
        author=city.poster,
        title=f"Street sweeping, route {number} ({token})",
        body=(
            f"Street sweeping on route {number} runs Thursday from 8 AM to noon. Please move "
            f"parked cars off the street until then. {token}"
        ),
        category="announcement",
    )
    post.channels.set(city.channels.values())
    post.submit(by=city.poster)
    return post


def approve(city: City, post) -> datetime:
    """The supervisor approves; returns when the approval committed (the workers are woken
    right after, by the on-commit hooks that follow this one)."""
    from django.db import transaction
    from django.utils import timezone

    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(timezone.now()))
        post.approve(by=city.supervisor, comment="Approved.")
    return committed[0]


# --- Each platform's own latency ----------------------------------------------------------


def measure_own_latencies(channels: dict, sandboxes: dict) -> dict:
    """One publish through each channel's adapter straight to its sandbox, no worker, no
    database row: what the platform itself costs. Median of a few, after one warm-up."""
    from posting.models import Post, Publication

    own = {}
    for name, channel in channels.items():
        times, requests = [], []
        for attempt in range(OWN_LATENCY_SAMPLES + 1):
            post = Post(title="Own latency", body=f"Own latency of {channel.name}, try {attempt}.")
            publication = Publication(post=post, channel=channel)
            before = len(sandboxes[name].requests)
            started = time.perf_counter()
            channel.adapter.publish(publication)
            if attempt:  # the first signs in (Bluesky) and warms the connection
                times.append(time.perf_counter() - started)
                requests.append(len(sandboxes[name].requests) - before)
        own[name] = (channel, statistics.median(times), max(requests))
    clear_sandboxes(sandboxes)
    return own


def report_own_latencies(own: dict) -> None:
    print("\nEach platform's own latency (one publish through its adapter, median):")
    for channel, seconds, requests in own.values():
        print(f"  {channel.name:42} {requests} request(s)  {seconds * 1000:6.0f} ms")


def slowest(own: dict):
    return max(own.values(), key=lambda entry: entry[1])


# --- The worker ---------------------------------------------------------------------------


class Worker:
    """A real Celery worker process on the benchmark's queue; its output in VAR_DIR/<log_name>."""

    def __init__(self, database: dict, pool: str, concurrency: int, log_name: str):
        self.database, self.pool, self.concurrency = database, pool, concurrency
        self.log_path = VAR_DIR / log_name
        self.log_path.write_bytes(b"")
        self.process = None

    def __str__(self) -> str:
        return f"one worker (--pool={self.pool} --concurrency={self.concurrency})"

    def start(self) -> float:
        """Start it (again, after it stopped); returns when it said it was ready (time.time())."""
        from django.conf import settings

        env = {
            **os.environ,
            "DATABASE_URL": self.database["url"],
            "CITYSOCIAL_VAR_DIR": str(VAR_DIR),
            "CITYSOCIAL_BROKER_DIR": str(settings.BROKER_DIR),
            "LOG_LEVEL": WORKER_LOG_LEVEL,
        }
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.log_offset = self.log.tell()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "citysocial", "worker"),
                *("--loglevel=INFO", f"--pool={self.pool}", f"--concurrency={self.concurrency}"),
                *(f"--queues={QUEUE}", "--without-gossip", "--without-mingle"),
                *("--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stopped:
                raise SystemExit(f"The worker exited at start; see {self.log_path}.")
            if " ready." in self.output():
                return time.time()
            time.sleep(0.02)
        raise SystemExit(f"The worker did not start within {timeout:.0f} s; see {self.log_path}.")

    @property
    def stopped(self) -> bool:
        return self.process.poll() is not None

    def output(self) -> str:
        """What this run of the worker wrote (a restart appends to the same log)."""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")

    def last_error(self) -> str:
        """The last critical line, e.g. "Unrecoverable error: ...", for the report."""
        critical = [line for line in self.output().splitlines() if "CRITICAL" in line]
        return critical[-1].split("] ", 1)[-1] if critical else f"see {self.log_path}"

    def stop(self) -> None:
        """Ask the main process to stop (it stops its pool), then leave nothing of the group:
        signalling the whole group at once could kill a pool child holding the pool's lock."""
        if not self.stopped:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()


# --- Latency ------------------------------------------------------------------------------


class NotPublished(Exception):
    """The post did not reach every channel: it failed, took too long, or the worker stopped."""


def run_latency(args, city: City, sandboxes: dict, database: dict, own: dict) -> int:
    use_own_queue()
    worker = Worker(database, args.latency_pool, args.latency_concurrency, "worker-latency.log")
    print(f"\nLatency: {args.latency_posts} posts approved one at a time, {worker}")
    # Submitted beforehand, so that nothing but the approval writes while a post is timed.
    # The warm-up posts open the worker's connections and sign in: they are not timed.
    warm_up = [submitted_post(city, "W", number) for number in range(WARM_UP_POSTS)]
    posts = [submitted_post(city, "L", number) for number in range(args.latency_posts)]
    latencies, settled = [], []
    worker.start()
    try:
        for post in warm_up + posts:
            try:
                last_channel, post_settled = time_one_post(city, post, worker)
            except NotPublished as problem:
                print(f"  {post.title}: {problem}")
                if worker.stopped:
                    worker.start()
                continue
            if post in posts:
                latencies.append(last_channel)
                settled.append(post_settled)
    finally:
        worker.stop()
    report_latency(latencies, settled, own, args.latency_posts)
    return report_count("L", args.latency_posts, sandboxes)


def time_one_post(city: City, post, worker) -> tuple[float, float]:
    """Approve and wait for every channel: seconds to the last publication, and to the post's
    own `published_at` (set when the last channel's worker settles it)."""
    from posting.models import PostState, Publication

    committed = approve(city, post)
    deadline = time.monotonic() + POST_TIMEOUT
    while time.monotonic() < deadline:
        post.refresh_from_db(fields=["state", "published_at"])
        if post.state in {PostState.PUBLISHED, PostState.FAILED}:
            break
        if worker.stopped:
            raise NotPublished(f"the worker stopped ({worker.last_error()}); started again.")
        time.sleep(0.01)
    else:
        raise NotPublished(f"not on every channel after {POST_TIMEOUT:.0f} s.")
    if post.state != PostState.PUBLISHED:
        errors = post.publications.exclude(status=Publication.Status.PUBLISHED)
        raise NotPublished(f"failed: {'; '.join(p.last_error for p in errors)}")
    last = max(post.publications.values_list("published_at", flat=True))
    return (last - committed).total_seconds(), (post.published_at - committed).total_seconds()


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report_latency(latencies: list[float], settled: list[float], own: dict, posts: int) -> None:
    if not latencies:
        print("  no post reached every channel: nothing to time.")
        return
    if len(latencies) < posts:
        print(f"  {len(latencies)} of {posts} posts reached every channel and are timed.")

    def line(values):
        return (
            f"p50 {percentile(values, 0.50) * 1000:5.0f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:5.0f} ms   max {max(values) * 1000:5.0f} ms"
        )

    channel, seconds, _ = slowest(own)
    target = TARGET_FACTOR * seconds
    p95 = percentile(latencies, 0.95)
    print(f"  approval committed -> last channel published:  {line(latencies)}")
    print(f"  approval committed -> post marked published:   {line(settled)}")
    print(
        f"  target: p95 <= {TARGET_FACTOR} x {seconds * 1000:.0f} ms ({channel.name}, the "
        f"slowest platform) = {target * 1000:.0f} ms: "
        + ("met" if p95 <= target else f"NOT met (p95 is {p95 / seconds:.2f} x)")
    )


# --- Throughput ---------------------------------------------------------------------------


def run_throughput(args, city: City, sandboxes: dict, database: dict, own: dict) -> int:
    from posting.models import Publication

    use_own_queue()
    clear_sandboxes(sandboxes)
    count = args.throughput_posts
    worker = Worker(
        database, args.throughput_pool, args.throughput_concurrency, "worker-throughput.log"
    )
    print(f"\nThroughput: {count:,} approved posts, then {worker}")
    started = time.perf_counter()
    post_ids = []
    for number in range(count):
        post = submitted_post(city, "T", number)
        approve(city, post)
        post_ids.append(post.pk)
    print(f"  {count:,} posts submitted and approved in {time.perf_counter() - started:.1f} s")
    publications = Publication.objects.filter(post_id__in=post_ids)
    try:
        ready = worker.start()
        drained = wait_until_drained(publications, worker)
    finally:
        worker.stop()
    report_throughput(publications, count, ready, drained, own, args.throughput_concurrency)
    return report_count("T", count, sandboxes)


def wait_until_drained(publications, worker) -> bool:
    """Until no publication is in flight; False when nothing moved for STALL_TIMEOUT, or the
    worker stopped."""
    from posting.models import Publication

    last_left, last_change = None, time.monotonic()
    while True:
        left = publications.filter(status__in=Publication.IN_FLIGHT).count()
        if left == 0:
            return True
        if worker.stopped:
            print(f"  the worker stopped ({worker.last_error()}) with {left} left in flight")
            return False
        if left != last_left:
            last_left, last_change = left, time.monotonic()
        elif time.monotonic() - last_change > STALL_TIMEOUT:
            print(f"  stuck: {left} publication(s) still in flight after {STALL_TIMEOUT:.0f} s")
            return False
        time.sleep(0.5)


def report_throughput(publications, count, ready, drained, own, concurrency) -> None:
    from django.db.models import Count, Max

    from posting.models import Publication

    statuses = dict(publications.values_list("status").annotate(n=Count("pk")))
    published = statuses.get(Publication.Status.PUBLISHED, 0)
    last = publications.aggregate(last=Max("published_at"))["last"]
    elapsed = last.timestamp() - ready if last else float("nan")
    per_post = sum(seconds for _, seconds, _ in own.values())
    ideal = concurrency / per_post
    posts_per_second = count / elapsed
    print(
        f"  drained {published:,} of {publications.count():,} publications"
        + ("" if drained else " (then stuck)")
        + f" in {elapsed:.1f} s from the worker being ready"
    )
    print(
        f"  {posts_per_second:.2f} posts per second ({published / elapsed:.1f} publications "
        f"per second)"
    )
    print(
        f"  bound set by the platforms alone: {concurrency} at once x 1 post per "
        f"{per_post * 1000:.0f} ms of platform calls = {ideal:.2f} posts per second "
        f"({posts_per_second / ideal:.0%} of it reached)"
    )
    others = {status: n for status, n in statuses.items() if status != "published"}
    if others:
        print(f"  not published: {others}")


def report_count(phase: str, expected: int, sandboxes: dict) -> int:
    found, lost, duplicated = count_on_sandboxes(sandboxes, phase, expected)
    total = expected * len(sandboxes)
    print(
        f"  counted on the sandboxes: {found:,} of {total:,} posts there, "
        f"{lost} lost, {duplicated} duplicated"
    )
    return lost + duplicated


if __name__ == "__main__":
    sys.exit(main())
