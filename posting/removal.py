"""Taking a post down (702.5): removing each of its publications from public view.

Post.take_down() records who and why, cancels the deliveries that never went out and marks
the ones on a platform REMOVING; a worker then removes each here. A removal claims its row,
captures the post into the archive first (702.7: removal from a platform is never removal of
the record), deletes it on the platform (a post that is already gone counts as removed) and
records the removal. A take-down that finds a delivery still being sent is applied as soon as
that send lands: the publish path calls apply_pending_take_down().

A REMOVING row's `next_attempt_at` says who acts next: a time now or past, a worker (it is
due); a future time, a worker later (a retry waits, or a worker holds the row for LEASE);
empty, a person (the platform refused for good, cannot delete, or cannot say whether it has
the post), who tries again or confirms it was removed by hand.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from accounts.notifications import send

from .models import Platform, Publication, TakeDown
from .platforms import PlatformError

log = logging.getLogger(__name__)

# Longer than a task may run (CELERY_TASK_TIME_LIMIT): a row is taken back only from a
# worker that died holding it.
LEASE = timedelta(minutes=6)
# Transient errors are retried with backoff for about an hour before a person is asked.
MAX_ATTEMPTS = 12
# The platform's own copy is read before removal. When the platform cannot show it this many
# times running, the city's copy (and the published record) stand for it: removing the post
# matters more than the platform's copy of text the archive already holds.
CAPTURE_TRIES = 3

Status = Publication.Status
NOT_SENT = {Status.QUEUED, Status.RETRYING, Status.FAILED}
MAY_BE_PUBLIC = {Status.PUBLISHED, Status.NEEDS_HUMAN}
DONE = {Status.REMOVED, Status.CANCELLED}


class NeedsPerson(Exception):
    """No worker can finish this removal: a person acts on the platform or fixes the cause."""


# --- Moving the rows --------------------------------------------------------------------
@transaction.atomic
def carry_out(take_down: TakeDown) -> None:
    """Move every delivery of the taken-down post toward removal. Safe to call again.

    A delivery still being sent is left to land (apply_pending_take_down takes it then). One
    whose last send may have reached the platform unanswered is removed, not cancelled.
    """
    take_down = TakeDown.objects.select_for_update().get(pk=take_down.pk)
    # Only the deliveries' rows: the ordering joins the channels, which a worker's claim locks.
    for publication in take_down.post.publications.select_for_update(of=("self",)):
        if publication.status in NOT_SENT and not publication.outcome_unknown:
            publication.cancel_for_take_down()
        elif publication.status in NOT_SENT | MAY_BE_PUBLIC:
            publication.begin_removal()
    complete_if_done(take_down)


def apply_pending_take_down(publication: Publication) -> None:
    """Called by the publish path right after a delivery is recorded as published: if the post
    was taken down while it was being sent, it is removed now."""
    take_down = TakeDown.objects.filter(
        post_id=publication.post_id, completed_at__isnull=True
    ).first()
    if take_down is not None:
        carry_out(take_down)


def complete_if_done(take_down: TakeDown) -> None:
    """The take-down is complete once no channel shows the post. Call with its row locked."""
    statuses = set(take_down.post.publications.values_list("status", flat=True))
    if take_down.completed_at is None and statuses <= DONE:
        take_down.completed_at = timezone.now()
        take_down.save(update_fields=["completed_at"])


# --- Waking the workers -------------------------------------------------------------------
def enqueue_removal(publication_id: int) -> None:
    """Wake a worker. If the broker is down the row stays due and the sweeper sends it later."""
    from .tasks import remove_publication

    try:
        remove_publication.delay(publication_id)
    except Exception:  # the broker's errors vary by transport; none may undo the take-down
        log.exception("could not enqueue the removal of publication %s", publication_id)


def wake_for_retry(publication_id: int, delay: float) -> None:
    from .tasks import SHORT_WAIT, remove_publication

    if delay > SHORT_WAIT:
        return  # sweep() wakes it when next_attempt_at comes
    try:
        remove_publication.apply_async((publication_id,), countdown=delay + 0.2)
    except Exception:  # the broker's errors vary by transport; the sweeper covers it
        log.exception("could not schedule the removal retry of publication %s", publication_id)


def sweep() -> int:
    """Beat: finish what take-downs left open and wake the removals that are due.

    This covers a send refused after the take-down (its row is left failed, not published), a
    lost wake-up, a retry waiting longer than a countdown, and a worker that died holding one.
    """
    for take_down in TakeDown.objects.filter(completed_at__isnull=True):
        carry_out(take_down)
    due = list(
        Publication.objects.filter(
            status=Status.REMOVING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for pk in due:
        enqueue_removal(pk)
    return len(due)


# --- One removal ----------------------------------------------------------------------------
def claim(publication_id: int) -> Publication | None:
    """Take the row for this worker; None when it is done, waiting, with a person, or taken."""
    now = timezone.now()
    claimed = Publication.objects.filter(
        pk=publication_id, status=Status.REMOVING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return None
    return Publication.objects.select_related("post", "post__author", "channel").get(
        pk=publication_id
    )


def remove(publication_id: int) -> None:
    """Capture, delete, record. Safe to call twice for the same publication."""
    publication = claim(publication_id)
    if publication is None:
        return
    take_down = publication.post.take_downs.first()
    adapter = publication.channel.adapter
    try:
        known = bool(publication.remote_id) or locate(publication, adapter)
        gone = capture(publication, take_down, adapter if known else None)
        if not known:
            raise NeedsPerson(
                f"It is not known whether {publication.channel} has this post: the answer to "
                "sending it was lost, and the platform cannot say. Look at the account; if the "
                "post is there, delete it, then confirm it here."
            )
        if not adapter.capabilities.can_delete:
            raise NeedsPerson(
                f"{publication.channel} does not let CitySocial delete posts. Delete it by hand "
                f"at {publication.remote_url or 'the account'}, then confirm it here."
            )
        adapter.delete(publication)
    except PlatformError as exc:
        handle_error(publication, take_down, exc)
    except NeedsPerson as exc:
        park(publication, take_down, str(exc))
    else:
        record_removed(publication, take_down, answer=what_happened(publication, gone))


def locate(publication: Publication, adapter) -> bool:
    """The delivery has no id on the platform (its answer was lost): ask the platform for it."""
    found = adapter.find_existing(publication)
    if found is None:
        return False
    publication.remote_id, publication.remote_url = found.remote_id, found.remote_url
    publication.save(update_fields=["remote_id", "remote_url", "updated_at"])
    return True


def capture(publication: Publication, take_down: TakeDown, adapter) -> bool:
    """Archive the post as it stands just before removal, once per delivery.

    Answers whether the platform said the post is already gone.
    """
    from retention.archive import archive_capture_before_removal
    from retention.models import ArchiveRecord

    kind = ArchiveRecord.Kind.CAPTURED_BEFORE_REMOVAL
    if publication.archive_records.filter(kind=kind).exists():
        return False  # captured on an earlier attempt
    platform_copy, note, gone = (
        None,
        "The platform was not asked: nothing shows where it is.",
        False,
    )
    if adapter is not None:
        try:
            platform_copy = adapter.fetch(publication)
            note = "The platform's copy, read just before removal."
        except PlatformError as exc:
            if not exc.permanent and publication.attempts < CAPTURE_TRIES:
                raise  # try again shortly: the capture comes before the removal
            gone = said_gone(exc)
            note = f"The platform did not show its copy ({exc.message}); the city's copy stands."
    archive_capture_before_removal(publication, take_down, platform_copy=platform_copy, note=note)
    return gone


def said_gone(exc: PlatformError) -> bool:
    """The platform says it has no such post: HTTP 404 or 410, or the Graph API's "(#100) ...
    does not exist" (code 100, subcode 33), which comes with a 400."""
    if exc.status in {404, 410}:
        return True
    error = exc.response.get("error") if isinstance(exc.response, dict) else None
    return isinstance(error, dict) and (error.get("code"), error.get("error_subcode")) == (100, 33)


def what_happened(publication: Publication, gone: bool) -> dict:
    """What the removal record says the platform did (the adapters' delete returns nothing)."""
    if publication.channel.platform == Platform.WEBSITE:
        result = "No longer on the City website's news page or in its feed."
    elif gone:
        result = "The platform no longer had the post: it counts as removed."
    else:
        result = "Deleted through the platform's API."
    return {"platform": publication.channel.platform, "result": result}


def handle_error(publication: Publication, take_down: TakeDown, exc: PlatformError) -> None:
    channel = publication.channel
    if exc.permanent:
        park(
            publication,
            take_down,
            f"{exc.message} It may still be public on {channel}. Fix the cause (new credentials "
            "for the channel, say) and try again, or delete it there by hand and confirm it here.",
        )
    elif publication.attempts >= MAX_ATTEMPTS:
        park(
            publication,
            take_down,
            f"{exc.message} After {publication.attempts} attempts it may still be public on "
            f"{channel}. Try again, or delete it there by hand and confirm it here.",
        )
    else:
        schedule_retry(publication, exc)


def schedule_retry(publication: Publication, exc: PlatformError) -> float:
    from .publishing import retry_delay  # publishing calls back here: import when used

    delay = retry_delay(publication.attempts, exc.retry_after)
    due = timezone.now() + timedelta(seconds=delay)
    publication.next_attempt_at = due
    at = date_format(timezone.localtime(due), "g:i:s A T")
    publication.last_error = f"{exc.message} Trying again at {at}."
    publication.save(update_fields=["next_attempt_at", "last_error", "updated_at"])
    log.info(
        "removal of publication %s: retry %s in %.1fs", publication.pk, publication.attempts, delay
    )
    wake_for_retry(publication.pk, delay)
    return delay


def park(publication: Publication, take_down: TakeDown, message: str) -> None:
    """Leave the row REMOVING for a person, and tell the people who must act."""
    log.warning("removal of publication %s needs a person: %s", publication.pk, message)
    publication.next_attempt_at = None
    publication.last_error = message
    publication.save(update_fields=["next_attempt_at", "last_error", "updated_at"])
    tell_people(publication, take_down, message)


def tell_people(publication: Publication, take_down: TakeDown, message: str) -> None:
    people = [take_down.requested_by if take_down else None, publication.channel.owner]
    recipients = sorted({person.email for person in people if person and person.email})
    if not recipients:
        return
    link = f"{settings.SITE_URL}{take_down_url(publication.post_id)}"
    send(
        subject=f"Not yet removed from {publication.channel}: {publication.post}",
        message=(
            f'"{publication.post}" was taken down (702.5) but is not yet removed from '
            f"{publication.channel}, and CitySocial will not try again by itself.\n\n{message}\n\n"
            f"Act on the take-down page: {link}\n"
        ),
        recipients=recipients,
    )


def take_down_url(post_id: int) -> str:
    from django.urls import reverse

    return reverse("posting:take_down", args=[post_id])


def record_removed(
    publication: Publication, take_down: TakeDown, *, answer: dict, removed_by=None
) -> None:
    """Mark the delivery removed and archive the removal (who, why, when, what the platform
    did); complete the take-down when it was the last."""
    from retention.archive import archive_removal

    with transaction.atomic():
        # The take-down first, always: two workers finishing its last two rows take turns,
        # so the second sees the first's removal and completes it.
        take_down = TakeDown.objects.select_for_update().get(pk=take_down.pk)
        row = Publication.objects.select_for_update(of=("self",)).select_related("post", "channel")
        row = row.get(pk=publication.pk)
        if row.status != Status.REMOVING:
            return  # a person, or another worker, recorded it first
        row.status, row.removed_at = Status.REMOVED, timezone.now()
        row.next_attempt_at, row.last_error = None, ""
        row.save(
            update_fields=["status", "removed_at", "next_attempt_at", "last_error", "updated_at"]
        )
        archive_removal(row, take_down, answer=answer, removed_by=removed_by)
        complete_if_done(take_down)


# --- Words for the confirmation page ---------------------------------------------------------
def plan_for(publication: Publication) -> str:
    """What a take-down would do on this channel, in plain words."""
    channel = publication.channel
    if publication.status == Status.PUBLISHED:
        if channel.platform == Platform.WEBSITE:
            return "Taken off the news page and the feed at once."
        return f"Deleted from {channel.platform_label}; the archive keeps a copy first."
    if publication.status == Status.PUBLISHING:
        return "Being sent right now: removed as soon as the send lands."
    if publication.status == Status.NEEDS_HUMAN or publication.outcome_unknown:
        return "It may have gone out: looked for and removed; a person is asked if it cannot be."
    if publication.status in NOT_SENT:
        return "Not sent yet: it never will be."
    return publication.get_status_display()
