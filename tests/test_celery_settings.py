"""The broker and the workers are set so that each approved post is delivered at least once and
takes effect once (702.2): a task is acknowledged only when it is done, handed back when its
worker dies, taken one at a time, and stopped long before Redis would give it to another
worker; a broker that is down is given up on within seconds, so approving never hangs."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from citysocial.celery import app
from posting.tasks import SHORT_WAIT, STALLED_AFTER

ROOT = Path(__file__).resolve().parent.parent


def test_a_task_is_acknowledged_after_it_ran_and_handed_back_if_its_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_each_worker_process_reserves_one_task_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_a_task_is_stopped_long_before_redis_would_hand_it_to_another_worker():
    hard, soft = app.conf.task_time_limit, app.conf.task_soft_time_limit
    assert (hard, soft) == (settings.CELERY_TASK_TIME_LIMIT, settings.CELERY_TASK_SOFT_TIME_LIMIT)
    assert soft < hard  # the soft limit leaves time to record the attempt
    visibility = settings.REDIS_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 4 * hard <= visibility
    # A countdown is held, unacknowledged, by the worker until it is due and then runs.
    assert SHORT_WAIT + hard < visibility
    # The sweeper takes a claimed row back only after the worker holding it is surely gone.
    assert STALLED_AFTER.total_seconds() > hard


def test_a_broker_that_is_down_is_given_up_on_within_seconds():
    options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 10
    assert 0 < app.conf.broker_connection_timeout <= 5


def test_with_redis_as_the_broker_the_app_uses_those_options():
    """Whatever broker this suite runs on, a process configured with REDIS_URL gets them."""
    # Not a test process either: in one, the settings move REDIS_URL to that process's database.
    unset = {"CELERY_BROKER_URL", "PYTEST_XDIST_WORKER"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(REDIS_URL="redis://127.0.0.1:6399/0", DJANGO_SETTINGS_MODULE="citysocial.settings")
    script = (
        "import json, django; django.setup(); from citysocial.celery import app; "
        "print(json.dumps({'url': app.conf.broker_url, "
        "'options': app.conf.broker_transport_options, "
        "'acks_late': app.conf.task_acks_late}))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    configured = json.loads(answer.stdout.strip().splitlines()[-1])
    assert configured["url"] == "redis://127.0.0.1:6399/0"
    assert configured["options"] == settings.REDIS_BROKER_TRANSPORT_OPTIONS
    assert configured["acks_late"] is True
