"""Delivering one publication: claim it, re-check the policy, call the platform, record the answer.

Called by the Celery task; safe to call twice for the same publication. Every attempt ends in
a recorded state, whatever happens: published, retrying (with backoff), failed (told to the
author and the channel's owner), or waiting for a person (told likewise).
"""

import logging
import random
import traceback
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.permissions import can_publish

from . import notifications
from .models import Channel, ChannelHealth, EmergencyStop, PostState, Publication, TakeDown
from .platforms import PlatformError

log = logging.getLogger(__name__)


class PublishRefused(Exception):
    pass


class TakenDown(PublishRefused):
    """702.5: the post was taken down after this delivery was claimed; nothing was sent."""


class NeedsPerson(Exception):
    """The platform may already have the post and nothing can tell: a person decides."""


class MayHavePosted(Exception):
    """Something unexpected broke off a call to the platform (a malformed answer, the task's
    time limit): the platform may have made the post. The original error is the cause."""


MAX_ATTEMPTS = 6
BACKOFF_BASE = 2.0  # seconds
BACKOFF_CAP = 15 * 60.0
# An idempotency key is trusted only this long short of the platform's window, so that a
# resend never races the key's expiry.
KEY_MARGIN = timedelta(minutes=10)


# --- Claiming -------------------------------------------------------------------------------
def claim(publication_id: int) -> Publication | None:
    """Take the row for this worker; None when it is done, failed, waiting, paused by an
    emergency stop, or another worker has it.

    The stop is checked in the same statement that claims, after locking the channel's row,
    which EmergencyStop.start() locks too: a stop either committed first, and the claim sees it
    and leaves the row queued (resuming the stop wakes it), or the claim came first, and the
    stop waits for it. No stop can commit between the check and the claim.
    """
    now = timezone.now()
    with transaction.atomic():
        channel_id = (
            Publication.objects.filter(pk=publication_id)
            .values_list("channel_id", flat=True)
            .first()
        )
        if channel_id is None:
            return None
        list(Channel.objects.select_for_update(no_key=True).filter(pk=channel_id).values("pk"))
        halting = EmergencyStop.objects.active().filter(
            Q(channel__isnull=True) | Q(channel_id=OuterRef("channel_id"))
        )
        ready = Q(status=Publication.Status.QUEUED) | Q(
            status=Publication.Status.RETRYING, next_attempt_at__lte=now
        )
        claimed = (
            Publication.objects.filter(ready, pk=publication_id)
            .exclude(Exists(halting))
            .update(
                status=Publication.Status.PUBLISHING, attempts=F("attempts") + 1, updated_at=now
            )
        )
    if not claimed:
        return None
    return Publication.objects.select_related("post", "post__author", "channel").get(
        pk=publication_id
    )


def check_still_allowed(publication: Publication) -> None:
    """702.3, at send time: the author is still authorized and the approval still covers the text."""
    post = publication.post
    if post.state == PostState.REMOVED:
        raise TakenDown(
            f"702.5: the post was taken down before it went out to {publication.channel}; "
            "nothing was sent."
        )
    if post.state not in {PostState.PUBLISHING, PostState.FAILED}:
        raise PublishRefused(f"The post is {post.get_state_display().lower()}; nothing was sent.")
    if not can_publish(post.author, publication.channel, category=post.category):
        raise PublishRefused(
            f"702.3: {post.author} is no longer authorized to post to {publication.channel}; "
            "nothing was sent."
        )
    if post.current_approval() is None:
        raise PublishRefused("702.3: the content changed after it was approved; nothing was sent.")


# --- One attempt ----------------------------------------------------------------------------
def deliver(publication_id: int) -> None:
    publication = claim(publication_id)
    if publication is not None:
        deliver_claimed(publication)


def deliver_claimed(publication: Publication) -> None:
    """The attempt of a claimed row, to its end: no error leaves it in flight."""
    try:
        check_still_allowed(publication)
        wait = wait_for_channel(publication)
        if wait:
            defer(publication, wait)
            return
        result = send(publication)
    except TakenDown as exc:
        stand_down(publication, str(exc))
    except PlatformError as exc:
        handle_platform_error(publication, exc)
    except PublishRefused as exc:
        log.warning("publication %s refused: %s", publication.pk, exc)
        record_failure(publication, str(exc))
        publication.apply_pending_take_down()  # a take-down may have come meanwhile
    except NeedsPerson as exc:
        park_for_person(publication, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug, a malformed answer, the soft time limit
        handle_unexpected(publication, exc)
    else:
        record_success(publication, result)
        publication.apply_pending_take_down()
        close_breaker(publication)
        slow_down_if_asked(publication, result)
    publication.post.settle()


def wait_for_channel(publication: Publication) -> float:
    """Seconds until the channel's breaker and shared rate limit let this one go (0: go)."""
    with transaction.atomic():
        return ChannelHealth.locked(publication.channel_id).wait_before_sending(timezone.now())


def must_look_first(publication: Publication, adapter) -> bool:
    """After an unknown outcome: whether sending again could make a second post.

    Nothing this delivery sent can be on the platform if it never sent anything. Otherwise a
    platform without an idempotency key cannot tell a resend from a new post, and one with a
    key (Mastodon) forgets the key after a while: past that, a resend is a new post too.
    """
    if not publication.outcome_unknown or publication.first_sent_at is None:
        return False
    capabilities = adapter.capabilities
    if not capabilities.safe_to_resend:
        return True
    window = capabilities.idempotency_window
    if window is None:
        return False
    return timezone.now() - publication.first_sent_at > window - KEY_MARGIN


def look_for_earlier_post(publication: Publication, adapter, *, why: str):
    """The post an earlier attempt made, if the platform shows it; NeedsPerson if it cannot say."""
    try:
        return adapter.find_existing(publication)
    except PlatformError as exc:
        answer = f"it answered {exc.status}" if exc.status else "it did not answer"
        raise NeedsPerson(
            f"{why} and its recent posts could not be read to check ({answer}). Look at the "
            "account, then mark it as published or send it again."
        ) from exc


def send(publication: Publication):
    """Publish; after a lost answer that the platform's own mechanism cannot cover, look first."""
    adapter = publication.channel.adapter
    if must_look_first(publication, adapter):
        existing = look_for_earlier_post(
            publication, adapter, why=f"The last attempt may have reached {publication.channel},"
        )
        if existing is not None:
            return existing
    reply_to = publication.post.in_reply_to_publication(publication.channel)
    mark_sent(publication)
    try:
        return adapter.publish(publication, reply_to=reply_to)
    except PlatformError as exc:
        if not (exc.duplicate and (publication.outcome_unknown or publication.attempts > 1)):
            raise
        # The platform already has this text, and an earlier attempt of ours may have put it
        # there: that is no failure. Look again; if it still cannot be found, a person decides.
        existing = look_for_earlier_post(
            publication,
            adapter,
            why=f"{publication.channel} refused the post as a duplicate of one it already has,",
        )
        if existing is not None:
            return existing
        raise NeedsPerson(
            f"{publication.channel} refused the post as a duplicate of one it already has; an "
            "earlier attempt probably reached it, but it is not among the account's recent "
            "posts. Look at the account, then mark it as published or send it again."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - the platform was being called: it may have acted
        raise MayHavePosted() from exc


def mark_sent(publication: Publication) -> None:
    """Note when this delivery first goes to the platform (an idempotency key's window opens)."""
    if publication.first_sent_at is None:
        now = timezone.now()
        Publication.objects.filter(pk=publication.pk, first_sent_at__isnull=True).update(
            first_sent_at=now
        )
        publication.first_sent_at = now


# --- Answers --------------------------------------------------------------------------------
def handle_platform_error(publication: Publication, exc: PlatformError) -> None:
    now = timezone.now()
    if exc.outcome_unknown:
        note_outcome_unknown(publication)
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
        schedule_retry(publication, exc.message, exc.retry_after)
    else:
        give_up(publication, exc.message)


def handle_unexpected(publication: Publication, exc: Exception) -> None:
    """An error no code path expected. It counts as an attempt and is retried with backoff;
    after MAX_ATTEMPTS the delivery is parked like any other, and people are told.

    The log names the error's kind and where it happened, never its message or the answer it
    came from, which may carry a credential or a platform's response.
    """
    may_have_posted = isinstance(exc, MayHavePosted)
    cause = exc.__cause__ if may_have_posted and exc.__cause__ is not None else exc
    kind = type(cause).__name__
    where = "".join(traceback.format_list(traceback.extract_tb(cause.__traceback__)))
    log.error(
        "publication %s on channel %s, attempt %s: unexpected %s%s\n%s",
        publication.pk,
        publication.channel_id,
        publication.attempts,
        kind,
        " while the platform was being called" if may_have_posted else "",
        where,
    )
    if may_have_posted:
        note_outcome_unknown(publication)
        message = (
            f"Something unexpected happened while sending to {publication.channel} ({kind}); "
            "the post may or may not have been made."
        )
    else:
        message = (
            f"Something unexpected went wrong while preparing the post for "
            f"{publication.channel} ({kind}); nothing was sent this time."
        )
    if publication.attempts < MAX_ATTEMPTS:
        schedule_retry(publication, message, None)
    else:
        give_up(publication, f"{message} The city's IT staff can find the details in the log.")


def note_outcome_unknown(publication: Publication) -> None:
    if not publication.outcome_unknown:
        publication.outcome_unknown = True
        publication.save(update_fields=["outcome_unknown", "updated_at"])


def give_up(publication: Publication, message: str) -> None:
    """MAX_ATTEMPTS reached: a person decides when the post may be on the platform and sending
    again could post it twice; otherwise the delivery has failed. Either way the author and the
    channel's owner are told."""
    attempts = publication.attempts
    if must_look_first(publication, publication.channel.adapter):
        park_for_person(
            publication,
            f"{message} After {attempts} attempts it is still not known whether the post is on "
            f"{publication.channel}. Look at the account, then mark it as published or send it "
            "again.",
        )
    else:
        log.warning(
            "publication %s failed after %s attempts: %s", publication.pk, attempts, message
        )
        record_failure(publication, f"{message} It was tried {attempts} times.")


def take_back(publication_id: int, older_than) -> bool:
    """The sweeper: a worker claimed this row and stopped answering before `older_than` (killed,
    out of memory, past its time limit). Its attempt counts, and it may have reached the
    platform. Answers True when the row is queued again; after MAX_ATTEMPTS it is given up on
    (and people are told) instead."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("post", "post__author", "channel")
            .filter(pk=publication_id, status=Publication.Status.PUBLISHING)
            .filter(updated_at__lt=older_than)
            .first()
        )
        if publication is None:
            return False  # it answered meanwhile
        note_outcome_unknown(publication)
        message = (
            f"The worker sending to {publication.channel} stopped without an answer "
            f"(attempt {publication.attempts})."
        )
        if publication.attempts >= MAX_ATTEMPTS:
            give_up(publication, message)
        else:
            publication.status = Publication.Status.QUEUED
            publication.last_error = f"{message} It will be tried again."
            publication.save(update_fields=["status", "last_error", "updated_at"])
            return True
    publication.post.settle()
    return False


def close_breaker(publication: Publication) -> None:
    """The platform answered: its run of failures is over."""
    ChannelHealth.objects.filter(
        Q(consecutive_failures__gt=0) | Q(open_until__isnull=False),
        channel_id=publication.channel_id,
    ).update(consecutive_failures=0, open_until=None)


def slow_down_if_asked(publication: Publication, result) -> None:
    """The platform's answer says its budget of calls is nearly spent (Facebook's usage
    headers): every worker rests the channel for a while, before the platform throttles it."""
    seconds = getattr(result, "slow_down", None)
    if not seconds:
        return
    log.info(
        "channel %s: slowed for %.0fs at the platform's request", publication.channel_id, seconds
    )
    with transaction.atomic():
        ChannelHealth.locked(publication.channel_id).platform_asked_to_wait(seconds, timezone.now())


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


def schedule_retry(publication: Publication, message: str, platform_wait: float | None) -> float:
    delay = retry_delay(publication.attempts, platform_wait)
    publication.status = Publication.Status.RETRYING
    publication.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    publication.last_error = message
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


def stand_down(publication: Publication, message: str) -> None:
    """702.5: the post was taken down while this delivery was being claimed, so it was refused.

    That is no failure for the author to retry: the take-down decides what becomes of the row
    (cancelled; or removed, if an earlier attempt may have reached the platform) and tells its
    own people in its own words (posting.removal).
    """
    from .removal import carry_out

    log.info("publication %s: %s", publication.pk, message)
    with transaction.atomic():
        # The take-down's row first, then the delivery's, in the order removal.carry_out locks.
        take_down = TakeDown.objects.select_for_update().filter(post_id=publication.post_id).first()
        publication.status = Publication.Status.QUEUED  # unsent: handed to the take-down now
        publication.last_error = message
        publication.save(update_fields=["status", "last_error", "updated_at"])
        if take_down is None:
            publication.cancel_for_take_down()
        else:
            carry_out(take_down)
