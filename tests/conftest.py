"""Shared fixtures: the people of the policy, the channels, a fake Mastodon, a real worker, a browser."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from posting.sandbox.mastodon import FakeMastodon

# Playwright's sync API runs an event loop in this thread; our ORM calls around it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SANDBOX_TOKEN = "test-sandbox-token"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, as migrated, but letting Django's flush TRUNCATE the archive between
    transactional tests (the archive refuses TRUNCATE, 702.7: a test of that refusal turns the
    trigger back on inside its own transaction)."""
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE retention_archiverecord DISABLE TRIGGER retention_archive_no_truncate"
            )


@pytest.fixture(scope="session")
def fake_mastodon_server():
    server = FakeMastodon(token=SANDBOX_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def fake_mastodon(fake_mastodon_server, monkeypatch):
    fake_mastodon_server.reset()
    monkeypatch.setenv("SANDBOX_MASTODON_TOKEN", SANDBOX_TOKEN)
    return fake_mastodon_server


@pytest.fixture
def city(db, fake_mastodon):
    """The demo city's people and channels, plus a second supervisor and an outsider.

    Whoever must use two-factor (the Mayor's office, supervisors) has a confirmed authenticator
    on the demo's secret: `sign_in` enters its code, `pass_second_factor` marks a test client.
    """
    from django.contrib.auth.models import Group

    from accounts.demo import give_demo_authenticators, load_demo_city
    from accounts.models import User
    from accounts.roles import Role
    from posting.models import Channel

    # Without the content rules, every post waits for a supervisor: tests of the rules load them.
    people = load_demo_city(
        mastodon_url=fake_mastodon.base_url, equipment_exceptions=False, content_rules=False
    )
    second = User.objects.create_user(
        "supervisor2", first_name="Jamie", last_name="Hale", email="supervisor2@riverton.example"
    )
    second.groups.add(Group.objects.get(name=Role.SUPERVISOR.value))
    people["supervisor2"] = second
    people["outsider"] = User.objects.create_user("outsider")
    give_demo_authenticators(people.values())
    return Personas(
        people=people,
        website=Channel.objects.get(slug="city-website"),
        mastodon=Channel.objects.get(slug="sandbox-mastodon"),
        devices=enrolled_devices(people),
    )


def enrolled_devices(people):
    """Every persona works from an approved city laptop, unless a test says otherwise."""
    from accounts.models import Device

    return {
        username: Device.objects.create(
            user=user,
            name=f"City laptop of {username}",
            status=Device.Status.APPROVED,
            decided_by=people["it"],
        )
        for username, user in people.items()
    }


class Personas:
    def __init__(self, people, website, mastodon, devices):
        from accounts.models import Designation

        self.__dict__.update(people)
        self.people = people
        self.website = website
        self.mastodon = mastodon
        self.devices = devices
        self.public_works_employee = people["robin"]
        self.designation = Designation.objects.get(designee=people["designee"])

    def kit(self, user):
        """The equipment `user` acts from: their enrolled city laptop (702.3)."""
        from accounts.equipment import Equipment

        return Equipment(device=self.devices.get(user.username))

    def trained(self, user):
        """`user` completes every required training module (702.8), the way a person does."""
        from training.content import load_default_modules
        from training.demo import complete_required_modules

        load_default_modules()
        complete_required_modules(user)
        return user

    def published(self, **kwargs):
        """A post approved and published on the city website, as the worker leaves it."""
        from posting.platforms import PublishResult
        from posting.publishing import record_success

        post = self.submitted(channels=[self.website], **kwargs)
        self.approve(post)
        publication = post.publications.get()
        result = PublishResult(f"news-{post.pk}", f"http://127.0.0.1/news/{post.pk}/", {})
        record_success(publication, result)
        post.settle()
        return post

    def approve(self, post, by=None, **kwargs):
        by = by or self.supervisor
        post.approve(by=by, equipment=self.kit(by), **kwargs)

    def sign_in_client(self, client, username):
        """A Django test client signed in as the persona, past two-factor, on their laptop."""
        from accounts.equipment import COOKIE, token_for
        from accounts.two_factor import pass_second_factor

        user = self.people[username]
        client.force_login(user)
        pass_second_factor(client, user)
        client.cookies[COOKIE] = token_for(self.devices[username])
        return client

    def draft(
        self,
        author=None,
        *,
        title="Pothole repairs on Main Street",
        body=None,
        category="announcement",
        channels=None,
        scheduled_for=None,
    ):
        from posting.models import Post

        post = Post.objects.create(
            author=author or self.poster,
            title=title,
            body=body or "Crews repair potholes on Main Street from 9 AM to 3 PM on Tuesday.",
            category=category,
            scheduled_for=scheduled_for,
        )
        post.channels.set(channels if channels is not None else [self.website, self.mastodon])
        return post

    def submitted(self, **kwargs):
        post = self.draft(**kwargs)
        post.submit(by=post.author, equipment=self.kit(post.author))
        return post


# --- A real Celery worker process ------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def clear_broker_queue():
    """Drop messages left by earlier tests (the filesystem broker keeps them between runs)."""
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        for folder in ("queue", "control", "staging"):
            shutil.rmtree(settings.BROKER_DIR / folder, ignore_errors=True)
            (settings.BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)


def start_worker(extra_env=None, concurrency=2):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CITYSOCIAL_BROKER_DIR": str(settings.BROKER_DIR),
        "SANDBOX_MASTODON_TOKEN": SANDBOX_TOKEN,
        **(extra_env or {}),
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    # The Redis database and broker folder above are already this test process's own; the
    # worker must not move them again (citysocial/settings.py TEST_PROCESS).
    env.pop("PYTEST_XDIST_WORKER", None)
    if os.environ.get("CELERY_BROKER_URL"):
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    log = open(settings.VAR_DIR / "test-worker.log", "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "citysocial",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    return process


def stop_worker(process):
    """Ask the main process to stop (it stops its pool children and hands back what it held),
    then make sure nothing of the group is left. Signalling the whole group at once could
    kill a pool child holding the pool's lock, and the main process would wait for it."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.log.close()


def wait_until_listening(timeout: float = 30.0) -> None:
    """Until the worker start_worker() names answers a ping over the broker, so that timings
    measured from here on do not include its start."""
    from celery import current_app

    name = f"test-{os.getpid()}@{socket.gethostname()}"
    wait_for(
        lambda: current_app.control.ping(destination=[name], timeout=0.3),
        timeout=timeout,
        interval=0,
        message="the worker to listen",
    )


@pytest.fixture
def celery_worker_process(transactional_db):
    # A fresh worker per test: each transactional test flushes the database, and a
    # long-lived worker would keep cached rows (content types) that no longer exist.
    clear_broker_queue()
    process = start_worker()
    wait_until_listening()
    yield process
    stop_worker(process)


def wait_for(predicate, timeout=30.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}.")


# --- A real browser ----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium is not installed at {CHROMIUM}; `make test` installs it (Debian: chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, base_url, username, password=None, device=True):
    """Sign in at the login page, with the second factor's code when the page asks for it.

    With `device`, the browser carries the persona's city-laptop enrollment token (702.3).
    """
    from accounts.demo import DEMO_PASSWORD
    from accounts.equipment import COOKIE, token_for
    from accounts.models import Device

    if device:
        laptop = Device.objects.filter(user__username=username, name__startswith="City laptop")
        if laptop.exists():
            page.context.add_cookies(
                [{"name": COOKIE, "value": token_for(laptop.get()), "url": base_url}]
            )

    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    verify_url = f"{base_url}/two-factor/verify/"
    page.wait_for_url(lambda url: url.startswith((f"{base_url}/dashboard/", verify_url)))
    if page.url.startswith(verify_url):
        from accounts.models import User
        from accounts.two_factor import confirmed_device, usable_code

        authenticator = confirmed_device(User.objects.get(username=username))
        while (code := usable_code(authenticator)) is None:  # this time step's codes are used up
            time.sleep(1)
        page.get_by_label("6-digit code").fill(code)
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base_url}/dashboard/")


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A and AA rules on the page; return the violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
