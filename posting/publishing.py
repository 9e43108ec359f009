"""Delivering one publication: claim it, re-check the policy, call the platform, record the answer.

Called by the Celery task; safe to call twice for the same publication.
"""

import logging
import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.permissions import can_publish

from .models import EmergencyStop, PostState, Publication
from .platforms import PlatformError

log = logging.getLogger(__name__)


class PublishRefused(Exception):
    pass


MAX_ATTEMPTS = 6
BACKOFF_BASE = 2.0  # seconds
BACKOFF_CAP = 15 * 60.0


def claim(publication_id: int) -> Publication | None:
    """Take the row for this worker; None when it is done, failed, waiting, paused by an
    emergency stop, or another worker has it."""
    channel_id = (
        Publication.objects.filter(pk=publication_id).values_list("channel_id", flat=True).first()
    )
    if channel_id is None or EmergencyStop.objects.halting(channel_id):
        return None  # stays queued; resuming the stop wakes it
    ready = Q(status=Publication.Status.QUEUED) | Q(
        status=Publication.Status.RETRYING, next_attempt_at__lte=timezone.now()
    )
    claimed = Publication.objects.filter(ready, pk=publication_id).update(
        status=Publication.Status.PUBLISHING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    return Publication.objects.select_related("post", "post__author", "channel").get(
        pk=publication_id
    )


def check_still_allowed(publication: Publication) -> None:
    """702.3, at send time: the author is still authorized and the approval still covers the text."""
    post = publication.post
    if post.state not in {PostState.PUBLISHING, PostState.FAILED}:
        raise PublishRefused(f"The post is {post.get_state_display().lower()}; nothing was sent.")
    if not can_publish(post.author, publication.channel, category=post.category):
        raise PublishRefused(
            f"702.3: {post.author} is no longer authorized to post to {publication.channel}; "
            "nothing was sent."
        )
    if post.current_approval() is None:
        raise PublishRefused("702.3: the content changed after it was approved; nothing was sent.")


def deliver(publication_id: int) -> None:
    publication = claim(publication_id)
    if publication is None:
        return
    try:
        check_still_allowed(publication)
        result = publication.channel.adapter.publish(publication)
    except PlatformError as exc:
        if exc.permanent or publication.attempts >= MAX_ATTEMPTS:
            log.warning("publication %s failed: %s", publication.pk, exc.message)
            record_failure(publication, exc.message)
        else:
            schedule_retry(publication, exc)
    except PublishRefused as exc:
        log.warning("publication %s refused: %s", publication.pk, exc)
        record_failure(publication, str(exc))
    else:
        record_success(publication, result)
    publication.post.settle()


def record_success(publication: Publication, result) -> None:
    from retention.archive import archive_publication

    with transaction.atomic():
        publication.status = Publication.Status.PUBLISHED
        publication.remote_id = result.remote_id
        publication.remote_url = result.remote_url
        publication.published_at = timezone.now()
        publication.last_error = ""
        publication.save(
            update_fields=[
                "status",
                "remote_id",
                "remote_url",
                "published_at",
                "last_error",
                "updated_at",
            ]
        )
        archive_publication(publication, result.raw_response)


def retry_delay(attempt: int, platform_wait: float | None) -> float:
    """Exponential backoff with full jitter, but never sooner than the platform asked."""
    backoff = random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))  # noqa: S311
    return max(backoff, platform_wait or 0.0)


def schedule_retry(publication: Publication, error: PlatformError) -> float:
    delay = retry_delay(publication.attempts, error.retry_after)
    publication.status = Publication.Status.RETRYING
    publication.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    publication.last_error = error.message
    publication.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
    log.info("publication %s: retry %s in %.1fs", publication.pk, publication.attempts, delay)
    from .tasks import wake_for_retry

    wake_for_retry(publication.pk, delay)
    return delay


def record_failure(publication: Publication, message: str) -> None:
    publication.status = Publication.Status.FAILED
    publication.last_error = message
    publication.save(update_fields=["status", "last_error", "updated_at"])
