import logging
from datetime import timedelta

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from . import publishing
from .models import EmergencyStop, Post, Publication

log = logging.getLogger(__name__)

STALLED_AFTER = timedelta(minutes=5)


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


@shared_task(ignore_result=True)
def retry_due_publications() -> int:
    """Beat: wake the rows whose retry time has come (long waits, or a lost countdown)."""
    due = list(Publication.objects.due_retries().not_halted().values_list("pk", flat=True))
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
    """Beat: re-wake rows whose wake-up was lost, and reclaim rows a dead worker held."""
    older_than = timezone.now() - STALLED_AFTER
    stalled = list(Publication.objects.stalled(older_than).not_halted().values_list("pk", "status"))
    for pk, status in stalled:
        if status == Publication.Status.PUBLISHING:
            # The worker that claimed it is gone: the idempotency key makes a resend safe.
            # The worker that claimed it is gone, maybe after the platform acted: the next
            # attempt must check before sending where the platform cannot deduplicate.
            Publication.objects.filter(pk=pk, status=status).update(
                status=Publication.Status.QUEUED, outcome_unknown=True, updated_at=timezone.now()
            )
        enqueue_publication(pk)
    return len(stalled)


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
