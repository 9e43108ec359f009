"""Fixtures for publishing to every platform: the fake Bluesky, Facebook Page and X servers with
a city channel on each; a worker that is listening before the test starts; and a Redis broker
of the test's own, with its own workers, that the test may stop, start and kill."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from posting.sandbox.bluesky import POST as BLUESKY_POST
from posting.sandbox.bluesky import FakeBluesky
from posting.sandbox.facebook import FakeFacebook
from posting.sandbox.x import FakeX
from tests.conftest import start_worker, wait_for, wait_until_listening  # noqa: F401

BLUESKY_LOGIN = {"identifier": "city.bsky.social", "app_password": "test-app-password"}
FACEBOOK_TOKEN = "test-page-token"
X_TOKEN = "test-x-user-token"
GRAPH_VERSION = "v21.0"


# --- The fake platforms and the city's channels on them ------------------------------


@pytest.fixture(scope="session")
def fake_bluesky_server():
    server = FakeBluesky(
        identifier=BLUESKY_LOGIN["identifier"], app_password=BLUESKY_LOGIN["app_password"]
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_facebook_server():
    server = FakeFacebook(token=FACEBOOK_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_x_server():
    server = FakeX(token=X_TOKEN).start()
    yield server
    server.stop()


@dataclass
class Platform:
    """A city channel on one platform, the fake that plays the platform, and what it holds."""

    name: str
    channel: Any
    fake: Any

    def post_requests(self) -> list:
        """The requests that ask the platform to make a post, oldest first."""
        return [r for r in self.fake.requests if _makes_a_post(self.name, r)]

    def remote_ids(self) -> list[str]:
        """The ids of the posts the platform holds, as the adapter records them."""
        if self.name == "mastodon":
            return [status["id"] for status in self.fake.statuses]
        if self.name == "bluesky":
            return [post["uri"] for post in self.fake.posts]
        return [post["id"] for post in self.fake.posts]


def _makes_a_post(platform: str, request) -> bool:
    path = urlsplit(request.path).path
    if request.method != "POST":
        return False
    if platform == "mastodon":
        return path == "/api/v1/statuses"
    if platform == "bluesky":
        body = request.json or {}
        return request.nsid == "com.atproto.repo.createRecord" and body.get("collection") == (
            BLUESKY_POST
        )
    if platform == "facebook":
        return path.endswith("/feed")
    return path == "/2/tweets"


class Platforms:
    """`platforms.mastodon`, `.bluesky`, `.facebook`, `.x`, and `.all` of them in that order."""

    def __init__(self, platforms: list[Platform]):
        self.all = platforms
        for platform in platforms:
            setattr(self, platform.name, platform)


@pytest.fixture
def platforms(city, fake_mastodon, fake_bluesky_server, fake_facebook_server, fake_x_server):
    """Channels on Bluesky, a Facebook Page and X besides the city's Mastodon, each with its
    credentials entered (encrypted in the database, so a worker process reads them too), and
    the poster authorized for them by the Mayor (702.3)."""
    from accounts.models import Authorization
    from posting.models import Platform as Kind

    for fake in (fake_bluesky_server, fake_facebook_server, fake_x_server):
        fake.reset()
    facebook_login = {"page_id": fake_facebook_server.page_id, "access_token": FACEBOOK_TOKEN}
    bluesky = channel_on(
        fake_bluesky_server, Kind.BLUESKY, "City on Bluesky", json.dumps(BLUESKY_LOGIN), city.it
    )
    facebook = channel_on(
        fake_facebook_server,
        Kind.FACEBOOK,
        "City on Facebook",
        json.dumps(facebook_login),
        city.it,
        api_base_url=f"{fake_facebook_server.base_url}/{GRAPH_VERSION}",
    )
    x = channel_on(fake_x_server, Kind.X, "City on X", X_TOKEN, city.it)
    Authorization.grant(
        user=city.poster,
        channels=[bluesky, facebook, x],
        by=city.mayor,
        note="Authorized for the city's Bluesky, Facebook Page and X.",
    )
    return Platforms(
        [
            Platform("mastodon", city.mastodon, fake_mastodon),
            Platform("bluesky", bluesky, fake_bluesky_server),
            Platform("facebook", facebook, fake_facebook_server),
            Platform("x", x, fake_x_server),
        ]
    )


def channel_on(fake, platform, name, secret, entered_by, api_base_url=None):
    from posting.credentials import store_secret
    from posting.models import Channel

    channel = Channel.objects.create(
        name=name,
        slug=f"city-{platform}",
        platform=platform,
        api_base_url=api_base_url or fake.base_url,
        public_url=fake.base_url,
    )
    store_secret(channel, secret, by=entered_by)
    return channel


# --- A Redis of the test's own --------------------------------------------------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A `redis-server` on a spare port, with nothing saved to disk: stopping it loses
    whatever it held, as a crashed broker would. The machine's own Redis is never touched."""

    def __init__(self, port: int, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no", "--dir", str(self.log_path.parent)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"redis-server did not start on port {self.port}.")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False


@pytest.fixture
def private_redis():
    if not Path(REDIS_SERVER).exists():
        pytest.skip(
            "redis-server is not installed (Debian: redis-server); the tests that stop the "
            "broker run their own."
        )
    server = PrivateRedis(spare_port(), settings.VAR_DIR / "test-private-redis.log")
    server.start()
    yield server
    server.stop()


@contextmanager
def tasks_sent_to(broker_url: str):
    """Within the block, the tasks this test process sends (on approval, from the sweeper) go
    to `broker_url`, as from a web process whose CELERY_BROKER_URL names it."""
    from celery import Celery, current_app

    previous = current_app._get_current_object()
    app = Celery("citysocial", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker_url
    # Redis as the settings configure it when REDIS_URL is set (a broker that is down is given
    # up on within seconds), whatever broker the suite itself runs on.
    app.conf.broker_transport_options = dict(settings.REDIS_BROKER_TRANSPORT_OPTIONS)
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
        app.close()


# --- Workers ----------------------------------------------------------------------------


@pytest.fixture
def worker(celery_worker_process):
    """The suite's worker (listening before the test starts)."""
    return celery_worker_process


class PrivateBroker:
    """A Redis broker of the test's own, the workers on it, and the test process sending to it."""

    def __init__(self, redis: PrivateRedis):
        self.redis = redis
        self.workers: list[subprocess.Popen] = []

    def start_worker(self) -> subprocess.Popen:
        process = start_worker(extra_env={"CELERY_BROKER_URL": self.redis.url})
        self.workers.append(process)
        return process

    @staticmethod
    def kill_worker(process) -> None:
        """SIGKILL to the worker's process group: the main process and its pool children die
        at once, acknowledging and cleaning up nothing, as when the machine loses power."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.log.close()


@pytest.fixture
def private_broker(transactional_db, private_redis):
    broker = PrivateBroker(private_redis)
    try:
        with tasks_sent_to(private_redis.url):
            yield broker
    finally:
        # Nothing on this broker outlives the test, so nothing needs a graceful stop.
        for process in broker.workers:
            broker.kill_worker(process)
