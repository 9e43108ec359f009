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

from . import notifications
from .models import ChannelHealth, EmergencyStop, PostState, Publication
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
        wait = wait_for_channel(publication)
        if wait:
            defer(publication, wait)
            return
        result = send(publication)
    except PlatformError as exc:
        handle_platform_error(publication, exc)
    except PublishRefused as exc:
        log.warning("publication %s refused: %s", publication.pk, exc)
        record_failure(publication, str(exc))
        publication.apply_pending_take_down()  # refused because it was taken down meanwhile
    except NeedsPerson as exc:
        park_for_person(publication, str(exc))
    else:
        record_success(publication, result)
        publication.apply_pending_take_down()
        close_breaker(publication)
    publication.post.settle()


class NeedsPerson(Exception):
    """The platform may already have the post and nothing can tell: a person decides."""


def wait_for_channel(publication: Publication) -> float:
    """Seconds until the channel's breaker and shared rate limit let this one go (0: go)."""
    with transaction.atomic():
        return ChannelHealth.locked(publication.channel_id).wait_before_sending(timezone.now())


def send(publication: Publication):
    """Publish; after a lost answer on a platform that cannot deduplicate, look first."""
    adapter = publication.channel.adapter
    if publication.outcome_unknown and not adapter.capabilities.safe_to_resend:
        try:
            existing = adapter.find_existing(publication)
        except PlatformError as exc:
            answer = f"it answered {exc.status}" if exc.status else "it did not answer"
            raise NeedsPerson(
                f"The last attempt may have reached {publication.channel}, and its recent posts "
                f"could not be read to check ({answer}). Look at the account, then mark it as "
                "published or send it again."
            ) from exc
        if existing is not None:
            return existing
    reply_to = publication.post.in_reply_to_publication(publication.channel)
    return adapter.publish(publication, reply_to=reply_to)


def handle_platform_error(publication: Publication, exc: PlatformError) -> None:
    now = timezone.now()
    if exc.outcome_unknown and not publication.outcome_unknown:
        publication.outcome_unknown = True
        publication.save(update_fields=["outcome_unknown", "updated_at"])
    if exc.permanent:
        log.warning("publication %s failed: %s", publication.pk, exc.message)
        record_failure(publication, exc.message)
        return
    with transaction.atomic():
        health = ChannelHealth.locked(publication.channel_id)
        health.failed(exc.message, now)
        if exc.retry_after:
            health.platform_asked_to_wait(exc.retry_after, now)
    if publication.attempts < MAX_ATTEMPTS:
        schedule_retry(publication, exc)
    elif (
        publication.outcome_unknown and not publication.channel.adapter.capabilities.safe_to_resend
    ):
        park_for_person(
            publication,
            f"{exc.message} After {publication.attempts} attempts it is still not known whether "
            f"the post is on {publication.channel}. Look at the account, then mark it as "
            "published or send it again.",
        )
    else:
        log.warning("publication %s failed: %s", publication.pk, exc.message)
        record_failure(publication, exc.message)


def close_breaker(publication: Publication) -> None:
    """The platform answered: its run of failures is over."""
    ChannelHealth.objects.filter(
        Q(consecutive_failures__gt=0) | Q(open_until__isnull=False),
        channel_id=publication.channel_id,
    ).update(consecutive_failures=0, open_until=None)


def defer(publication: Publication, seconds: float) -> None:
    """Not this publication's turn (rate limit or open breaker): wait without using an attempt."""
    health = ChannelHealth.objects.get(channel_id=publication.channel_id)
    reason = (
        f"{publication.channel} has failed {health.consecutive_failures} times in a row; "
        "sending is paused for a moment so the other channels are not held up."
        if health.is_open
        else f"Waiting for {publication.channel}'s posting pace."
    )
    Publication.objects.filter(pk=publication.pk).update(
        status=Publication.Status.RETRYING,
        attempts=F("attempts") - 1,
        next_attempt_at=timezone.now() + timedelta(seconds=seconds),
        last_error=reason,
        updated_at=timezone.now(),
    )
    from .tasks import wake_for_retry

    wake_for_retry(publication.pk, seconds)


def record_success(publication: Publication, result) -> None:
    from retention.archive import archive_publication

    with transaction.atomic():
        publication.status = Publication.Status.PUBLISHED
        publication.remote_id = result.remote_id
        publication.remote_url = result.remote_url
        publication.published_at = timezone.now()
        publication.last_error = ""
        publication.outcome_unknown = False
        publication.save(
            update_fields=[
                "status",
                "remote_id",
                "remote_url",
                "published_at",
                "last_error",
                "outcome_unknown",
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
    """A permanent error: stop retrying and tell the author and the channel owner."""
    with transaction.atomic():
        publication.status = Publication.Status.FAILED
        publication.last_error = message
        publication.save(update_fields=["status", "last_error", "updated_at"])
        transaction.on_commit(lambda: notifications.publication_failed(publication))


def park_for_person(publication: Publication, message: str) -> None:
    log.warning("publication %s needs a person: %s", publication.pk, message)
    with transaction.atomic():
        publication.status = Publication.Status.NEEDS_HUMAN
        publication.last_error = message
        publication.save(update_fields=["status", "last_error", "updated_at"])
        transaction.on_commit(lambda: notifications.publication_needs_person(publication))
