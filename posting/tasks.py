import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from . import publishing
from .models import EmergencyStop, Post, Publication

log = logging.getLogger(__name__)

# A worker holds a claimed row for at most the task's hard time limit (Celery then kills it).
# The sweeper takes a row back only well after that, so that it never takes one a live worker
# still holds: the margin covers a slow commit and clocks that differ between hosts.
STALLED_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=5)
# A queued row whose wake-up was lost (the broker was down, or a backlog holds it) is woken
# again after this, and then at most once per this period, so that a backlog is not flooded
# with duplicate wake-ups.
WAKE_AGAIN_AFTER = timedelta(minutes=5)


@shared_task(ignore_result=True)
def publish_publication(publication_id: int) -> None:
    publishing.deliver(publication_id)


def enqueue_publication(publication_id: int) -> None:
    """Wake a worker. If the broker is down the row stays queued and the sweeper sends it later."""
    try:
        publish_publication.delay(publication_id)
    except Exception:  # the broker's errors vary by transport; none may break the request
        log.exception("could not enqueue publication %s; the sweeper will retry", publication_id)


# A retry sooner than this is a Celery countdown; a later one waits for the beat sweeper,
# because countdowns longer than the broker's visibility timeout may run more than once.
SHORT_WAIT = 60.0


def wake_for_retry(publication_id: int, delay: float) -> None:
    if delay > SHORT_WAIT:
        return  # retry_due_publications picks it up when next_attempt_at comes
    try:
        publish_publication.apply_async((publication_id,), countdown=delay + 0.2)
    except Exception:  # the broker's errors vary by transport; the sweeper covers it
        log.exception("could not schedule the retry of publication %s", publication_id)
        return
    # Woken for this attempt: retry_due_publications sends no second wake-up when it is due.
    Publication.objects.filter(pk=publication_id).update(woken_at=F("next_attempt_at"))


@shared_task(ignore_result=True)
def retry_due_publications() -> int:
    """Beat: wake the rows whose retry time has come and that no countdown wakes (long waits),
    and, once per WAKE_AGAIN_AFTER, those whose wake-up was lost."""
    now = timezone.now()
    due = list(
        Publication.objects.due_retries(now, woken_before=now - WAKE_AGAIN_AFTER)
        .not_halted()
        .values_list("pk", flat=True)
    )
    Publication.objects.filter(pk__in=due).update(woken_at=now)
    for pk in due:
        enqueue_publication(pk)
    return len(due)


@shared_task(ignore_result=True)
def release_due_posts() -> int:
    """Beat: release approved posts whose scheduled time has come."""
    released = 0
    if EmergencyStop.objects.halted_channel_ids() is None:
        return 0  # a stop on every channel: scheduled posts wait until it is lifted
    for post in Post.objects.due_for_release():
        try:
            post.release()
        except (PermissionDenied, ValidationError) as exc:
            log.warning("scheduled post %s was not released: %s", post.pk, exc)
        else:
            released += 1
    return released


@shared_task(ignore_result=True)
def sweep_stalled_publications() -> int:
    """Beat: take back rows a dead worker held, and wake queued rows whose wake-up was lost.

    Answers how many rows were woken. A row taken back counts as an attempt; after
    publishing.MAX_ATTEMPTS it is given up on (and people are told) instead of queued again.
    """
    now = timezone.now()
    woken = []
    for pk in (
        Publication.objects.abandoned(now - STALLED_AFTER).not_halted().values_list("pk", flat=True)
    ):
        if publishing.take_back(pk, older_than=now - STALLED_AFTER):
            woken.append(pk)
    lost = list(
        Publication.objects.awaiting_wakeup(now - WAKE_AGAIN_AFTER)
        .not_halted()
        .values_list("pk", flat=True)
    )
    woken += lost
    Publication.objects.filter(pk__in=woken).update(woken_at=now)
    for pk in woken:
        enqueue_publication(pk)
    return len(woken)


def resume_halted_deliveries() -> int:
    """After an emergency stop is lifted: wake the deliveries it held back and release the
    scheduled posts that came due meanwhile. Rows still under another stop keep waiting."""
    queued = Publication.objects.filter(status=Publication.Status.QUEUED).not_halted()
    retrying = Publication.objects.filter(status=Publication.Status.RETRYING).not_halted()
    woken = list(queued.values_list("pk", flat=True))
    for pk in woken:
        enqueue_publication(pk)
    now = timezone.now()
    # A retry's wake-up may have come and gone during the stop; wake it again when it is due.
    for pk, due_at in retrying.values_list("pk", "next_attempt_at"):
        wake_for_retry(pk, max(0.0, (due_at - now).total_seconds()) if due_at else 0.0)
        woken.append(pk)
    release_due_posts()
    return len(woken)


@shared_task(ignore_result=True)
def remove_publication(publication_id: int) -> None:
    """702.5: remove one delivery of a taken-down post from its platform."""
    from . import removal

    removal.remove(publication_id)


@shared_task(ignore_result=True)
def retry_due_removals() -> int:
    """Beat: finish open take-downs and wake the removals that are due (posting.removal.sweep)."""
    from . import removal

    return removal.sweep()
