"""Every attempt to publish ends in a recorded state, and the workers are woken just enough (702.2).

An error nobody foresaw (a page where the platform's answer should be, a bug, the task's time
limit) counts as an attempt, is retried with backoff and, after the last one, is put before a
person, who is told in plain words; the log names the error, never the credentials. A
person's retry starts a fresh count. A worker that dies is replaced, but never while it may
still be working. The beat wakes each waiting delivery once per period, not once a minute.
The publishing code runs for real against fake servers on 127.0.0.1; only the clock is moved.
"""

import json
import logging
import os
import signal
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import after_task_publish
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.models import Authorization
from posting.models import Channel, PostState, Publication
from posting.publishing import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    claim,
    deliver,
    mark_sent,
    retry_delay,
)
from posting.tasks import (
    SHORT_WAIT,
    STALLED_AFTER,
    WAKE_AGAIN_AFTER,
    retry_due_publications,
    sweep_stalled_publications,
)
from tests.conftest import wait_for

SECRET = "city-token-3b9e-never-in-a-log"
PORTAL = "<html><body>Sign in to City Hall guest Wi-Fi to continue</body></html>"


def approved(city, channels, body=None):
    post = city.submitted(channels=channels, body=body)
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    return post


def deliver_at(moment, publication: Publication) -> Publication:
    with time_machine.travel(moment, tick=False):
        deliver(publication.pk)
    publication.refresh_from_db()
    return publication


def due(publication: Publication):
    return publication.next_attempt_at + timedelta(seconds=1)


class Answering(ThreadingHTTPServer):
    """Whatever sits at the platform's address and answers every request 200 with the same
    body: a captive portal's page, or a platform answering without the fields it documents."""

    def __init__(self, body: str, content_type: str):
        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.server.requests.append((self.command, self.path))
                payload = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.daemon_threads = True
        self.requests: list[tuple[str, str]] = []
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def posts(self) -> list:
        return [r for r in self.requests if r[0] == "POST"]


@pytest.fixture
def answering(city, monkeypatch, settings):
    """A channel on `platform` whose address answers every request with `body`."""
    settings.PLATFORM_HTTP_TIMEOUT = 5
    servers = []

    def channel_answering(platform, body, content_type, secret=SECRET):
        server = Answering(body, content_type)
        servers.append(server)
        monkeypatch.setenv("CITY_ANSWERING_TOKEN", secret)
        channel = Channel.objects.create(
            name=f"City on {platform} ({len(servers)})",
            slug=f"city-{platform}-{len(servers)}",
            platform=platform,
            api_base_url=server.base_url,
            credentials_ref="CITY_ANSWERING_TOKEN",
            owner=city.supervisor2,
        )
        Authorization.grant(user=city.poster, channels=[channel], by=city.mayor)
        return channel, server

    yield channel_answering
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def wake_ups():
    """The publishing wake-ups this process sends to the broker: (publication id, eta)."""
    sent = []

    def record(sender=None, headers=None, body=None, **kwargs):
        if sender == "posting.tasks.publish_publication":
            sent.append((body[0][0], (headers or {}).get("eta")))

    after_task_publish.connect(record, weak=False)
    yield sent
    after_task_publish.disconnect(record)


# --- Errors nobody foresaw ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_instead_of_the_platforms_answer_counts_as_an_attempt_and_is_logged_without_secrets(
    city, answering, caplog
):
    channel, portal = answering("mastodon", PORTAL, "text/html; charset=utf-8")
    post = approved(city, [channel])
    publication = post.publications.get()

    with caplog.at_level(logging.DEBUG):
        tried = deliver_at(timezone.now(), publication)

    assert tried.status == Publication.Status.RETRYING  # not left "publishing" for ever
    assert tried.attempts == 1
    assert tried.outcome_unknown  # the status was sent: it may have been made
    assert tried.next_attempt_at > timezone.now()
    assert "Something unexpected happened while sending to" in tried.last_error
    assert "JSONDecodeError" in tried.last_error
    [logged] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"publication {publication.pk}" in logged.getMessage()
    assert "JSONDecodeError" in logged.getMessage()
    assert "mastodon.py" in logged.getMessage()  # where it happened, for the city's IT staff
    assert SECRET not in caplog.text
    assert "guest Wi-Fi" not in caplog.text  # nor what the answer said
    assert len(portal.posts()) == 1


@pytest.mark.django_db
def test_an_unexpected_error_that_keeps_coming_is_put_before_a_person_after_the_last_attempt(
    city, answering, django_capture_on_commit_callbacks
):
    # Facebook answers 200 without the new post's id. It may have made the post, and the
    # Graph API has no idempotency key, so every retry looks at the Page's posts first.
    login = json.dumps({"page_id": "104000000000001", "access_token": SECRET})
    channel, graph = answering("facebook", "{}", "application/json", secret=login)
    post = approved(city, [channel])
    publication = post.publications.get()
    mail.outbox.clear()

    moment = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS):
        publication = deliver_at(moment, publication)
        assert publication.status == Publication.Status.RETRYING, attempt
        assert publication.attempts == attempt
        assert "KeyError" in publication.last_error
        moment = due(publication)
    assert mail.outbox == []  # retries are not news

    with django_capture_on_commit_callbacks(execute=True):
        parked = deliver_at(moment, publication)

    assert parked.status == Publication.Status.NEEDS_HUMAN
    assert parked.attempts == MAX_ATTEMPTS
    assert f"After {MAX_ATTEMPTS} attempts it is still not known" in parked.last_error
    assert len(graph.posts()) == MAX_ATTEMPTS
    (message,) = mail.outbox
    assert set(message.to) == {city.poster.email, city.supervisor2.email}
    assert "will not send it again by itself" in message.body
    assert "KeyError" in message.body
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING  # not failed: someone has to look


@pytest.mark.django_db
def test_the_soft_time_limit_during_a_send_counts_as_an_attempt_that_may_have_posted(
    city, fake_mastodon
):
    """Celery's soft time limit is a SIGUSR1 that raises SoftTimeLimitExceeded wherever the
    task is (billiard's handler): here, waiting for Mastodon's answer."""
    post = approved(city, [city.mastodon])
    publication = post.publications.get(channel=city.mastodon)
    fake_mastodon.set_latency(2)

    def soft_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    def when_the_platform_has_it():
        wait_for(lambda: fake_mastodon.requests, interval=0.02, message="the send")
        os.kill(os.getpid(), signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, soft_limit)
    timer = threading.Thread(target=when_the_platform_has_it)
    try:
        timer.start()
        cut_off = deliver_at(timezone.now(), publication)
    finally:
        timer.join()
        signal.signal(signal.SIGUSR1, previous)
        fake_mastodon.set_latency(0)

    assert cut_off.status == Publication.Status.RETRYING
    assert cut_off.attempts == 1 and cut_off.outcome_unknown
    assert "SoftTimeLimitExceeded" in cut_off.last_error
    wait_for(lambda: fake_mastodon.statuses, message="Mastodon to make the status nobody awaits")

    # Within the Idempotency-Key's hour the same key brings back the status already made.
    published = deliver_at(due(cut_off), cut_off)
    assert published.status == Publication.Status.PUBLISHED
    assert [s["id"] for s in fake_mastodon.statuses] == [published.remote_id]


# --- Workers that die ---------------------------------------------------------------------


def test_a_live_worker_is_never_taken_for_a_dead_one():
    # Celery kills a task at its hard time limit; until then the worker may still be sending.
    longest_hold = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    assert longest_hold + timedelta(minutes=2) <= STALLED_AFTER


@pytest.mark.django_db
def test_the_sweeper_leaves_a_claimed_row_alone_until_well_after_the_time_limit(city):
    post = approved(city, [city.mastodon])
    publication = post.publications.get()
    claimed_at = timezone.now()
    with time_machine.travel(claimed_at, tick=False):
        mark_sent(claim(publication.pk))

    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with time_machine.travel(claimed_at + limit + timedelta(seconds=30), tick=False):
        assert sweep_stalled_publications() == 0
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHING

    with time_machine.travel(claimed_at + STALLED_AFTER + timedelta(seconds=1), tick=False):
        assert sweep_stalled_publications() == 1
    publication.refresh_from_db()
    assert publication.status == Publication.Status.QUEUED and publication.outcome_unknown


@pytest.mark.django_db
def test_a_delivery_whose_worker_keeps_dying_is_put_before_a_person_and_sent_again_by_one(
    city, fake_mastodon, django_capture_on_commit_callbacks
):
    Channel.objects.filter(pk=city.mastodon.pk).update(owner=city.supervisor2)
    post = approved(city, [city.mastodon])
    publication = post.publications.get()
    mail.outbox.clear()

    moment = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(moment, tick=False):
            mark_sent(claim(publication.pk))  # a worker takes it, sends it, and dies
        moment += STALLED_AFTER + timedelta(seconds=1)
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            woken = sweep_stalled_publications()
        publication.refresh_from_db()
        if attempt < MAX_ATTEMPTS:
            assert woken == 1 and publication.status == Publication.Status.QUEUED, attempt
    assert woken == 0

    # Its first send was over an hour ago: Mastodon has forgotten the Idempotency-Key, so
    # sending it again could post it twice.
    assert publication.status == Publication.Status.NEEDS_HUMAN
    assert publication.attempts == MAX_ATTEMPTS
    assert "The worker sending to" in publication.last_error
    (message,) = mail.outbox
    assert set(message.to) == {city.poster.email, city.supervisor2.email}
    assert "will not send it again by itself" in message.body

    publication.send_again(by=city.poster)  # the author looked: it is not there
    publication.refresh_from_db()
    assert publication.attempts == 0
    assert f"({MAX_ATTEMPTS} earlier attempt(s))" in publication.last_error
    assert MAX_ATTEMPTS in set(publication.history.values_list("attempts", flat=True))
    sent = deliver_at(moment, publication)
    assert sent.status == Publication.Status.PUBLISHED
    assert [s["id"] for s in fake_mastodon.statuses] == [sent.remote_id]


# --- A person's retry ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_persons_retry_after_the_failures_starts_a_fresh_count_of_attempts(
    city, fake_mastodon, django_capture_on_commit_callbacks
):
    fake_mastodon.fail_next(500, count=MAX_ATTEMPTS)
    post = approved(city, [city.mastodon])
    publication = post.publications.get()
    moment = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(MAX_ATTEMPTS):
            publication = deliver_at(moment, publication)
            moment += timedelta(minutes=20)  # past every backoff and the breaker's rest
    assert publication.status == Publication.Status.FAILED
    assert f"It was tried {MAX_ATTEMPTS} times." in publication.last_error
    post.refresh_from_db()
    assert post.state == PostState.FAILED

    with time_machine.travel(moment, tick=False):
        post.retry_failed(by=city.poster)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.QUEUED and publication.attempts == 0
    retry = post.transitions.get(actor=city.poster, to_state=PostState.PUBLISHING)
    assert f"{city.mastodon}: {MAX_ATTEMPTS} attempt(s) before" in retry.reason
    assert MAX_ATTEMPTS in set(publication.history.values_list("attempts", flat=True))

    fake_mastodon.fail_next(500, count=1)  # one passing error does not fail it again
    publication = deliver_at(moment, publication)
    assert publication.status == Publication.Status.RETRYING and publication.attempts == 1
    publication = deliver_at(max(due(publication), moment + timedelta(minutes=2)), publication)
    assert publication.status == Publication.Status.PUBLISHED
    assert len(fake_mastodon.statuses) == 1


# --- Backoff and wake-ups -----------------------------------------------------------------


def test_retries_back_off_exponentially_with_full_jitter_up_to_the_cap():
    for attempt in range(1, 12):
        bound = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
        delays = [retry_delay(attempt, None) for _ in range(400)]
        assert all(0 <= delay <= bound for delay in delays), attempt
        # Full jitter: anywhere between nothing and the bound, so retries do not bunch up.
        assert min(delays) < 0.1 * bound and max(delays) > 0.9 * bound, attempt
    assert bound == BACKOFF_CAP


def test_a_retry_never_comes_before_the_platforms_own_signal():
    for attempt in range(1, 12):
        assert all(retry_delay(attempt, 42.0) >= 42.0 for _ in range(100))
    assert retry_delay(1, 3600.0) == 3600.0  # however early the backoff would have been


@pytest.mark.django_db
def test_a_retry_due_within_a_minute_is_woken_once_by_a_countdown(city, fake_mastodon, wake_ups):
    fake_mastodon.fail_next(500, count=1)
    post = approved(city, [city.mastodon])
    publication = deliver_at(timezone.now(), post.publications.get())
    assert publication.status == Publication.Status.RETRYING
    wait = (publication.next_attempt_at - publication.updated_at).total_seconds()
    assert wait <= SHORT_WAIT
    [(woken, eta)] = wake_ups
    assert woken == publication.pk and eta is not None  # a countdown, held by the worker
    assert publication.woken_at == publication.next_attempt_at

    with time_machine.travel(due(publication), tick=False):
        assert retry_due_publications() == 0  # the countdown wakes it; the beat does not
    # The countdown was lost (the broker restarted empty): the beat wakes it, once a period.
    lost = publication.next_attempt_at + WAKE_AGAIN_AFTER + timedelta(seconds=1)
    with time_machine.travel(lost, tick=False):
        assert retry_due_publications() == 1
        assert retry_due_publications() == 0
    assert [pk for pk, _ in wake_ups] == [publication.pk, publication.pk]


@pytest.mark.django_db
def test_a_longer_wait_is_kept_in_the_database_and_the_beat_wakes_it_when_due(
    city, fake_mastodon, wake_ups
):
    reset = (datetime.now(UTC) + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    fake_mastodon.fail_next(429, count=1, headers={"X-RateLimit-Reset": reset})
    post = approved(city, [city.mastodon])
    publication = deliver_at(timezone.now(), post.publications.get())
    assert publication.status == Publication.Status.RETRYING
    assert (publication.next_attempt_at - timezone.now()).total_seconds() > SHORT_WAIT
    # No Celery countdown longer than a minute: on Redis a long ETA may run more than once.
    assert wake_ups == [] and publication.woken_at is None

    with time_machine.travel(publication.next_attempt_at - timedelta(minutes=5), tick=False):
        assert retry_due_publications() == 0  # not yet
    with time_machine.travel(due(publication), tick=False):
        assert retry_due_publications() == 1
        assert retry_due_publications() == 0  # the beat runs every 15 seconds: woken once
    assert [(pk, eta) for pk, eta in wake_ups] == [(publication.pk, None)]


@pytest.mark.django_db
def test_a_backlog_of_queued_deliveries_is_woken_again_at_most_once_per_period(city, wake_ups):
    # Approved in a transaction that never commits here: the first wake-ups never left.
    posts = [
        approved(city, [city.website, city.mastodon], body=f"Route {n} detour.") for n in (1, 2)
    ]
    queued = {p.pk for post in posts for p in post.publications.all()}
    start = timezone.now()

    with time_machine.travel(start + WAKE_AGAIN_AFTER + timedelta(seconds=1), tick=False):
        assert sweep_stalled_publications() == len(queued)
    for minute in range(1, 5):  # the beat sweeps every minute; the broker is not flooded
        with time_machine.travel(start + WAKE_AGAIN_AFTER + timedelta(minutes=minute), tick=False):
            assert sweep_stalled_publications() == 0
    with time_machine.travel(start + 2 * WAKE_AGAIN_AFTER + timedelta(seconds=2), tick=False):
        assert sweep_stalled_publications() == len(queued)

    assert sorted(pk for pk, _ in wake_ups) == sorted([*queued, *queued])
