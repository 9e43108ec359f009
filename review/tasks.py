import logging

from celery import shared_task

from accounts.notifications import send

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def lapse_overdue_approvals() -> int:
    """Beat: 702.3, a post still waiting for approval at its scheduled time goes back to its author."""
    from django.conf import settings

    from posting.models import Post

    lapsed = 0
    for post in Post.objects.approval_overdue().select_related("author"):
        post.lapse_approval()
        lapsed += 1
        if post.author.email:
            send(
                subject=f"Not published: “{post.title}” was not approved in time",
                message=(
                    f"“{post.title}” was still waiting for approval at its scheduled time, so "
                    "it was not published (702.3). It is back in your drafts: choose a new time "
                    f"and submit it again.\n\n{settings.SITE_URL}{post.get_absolute_url()}\n"
                ),
                recipients=[post.author.email],
            )
    return lapsed


# --- Oversight (702.5, 702.5.1): one task per channel, so a slow platform delays only itself ---
@shared_task(ignore_result=True)
def detect_unauthorized_posts() -> int:
    """Beat: read every active channel's recent posts back (702.5)."""
    from posting.models import Channel

    channels = list(Channel.objects.filter(is_active=True).values_list("pk", flat=True))
    for channel_id in channels:
        _enqueue(check_channel_posts, channel_id)
    return len(channels)


@shared_task(ignore_result=True)
def check_channel_posts(channel_id: int) -> int:
    from .reports import check_channel_posts as check

    return len(check(channel_id))


@shared_task(ignore_result=True)
def check_public_posting() -> int:
    """Beat: ask each active channel's platform who may post or reply there (702.5.1)."""
    from posting.models import Channel

    channels = list(Channel.objects.filter(is_active=True).values_list("pk", flat=True))
    for channel_id in channels:
        _enqueue(record_public_posting_check, channel_id)
    return len(channels)


@shared_task(ignore_result=True)
def record_public_posting_check(channel_id: int) -> None:
    from .reports import check_public_posting as check

    check(channel_id)


def _enqueue(task, channel_id: int) -> None:
    try:
        task.delay(channel_id)
    except Exception:  # the broker's errors vary by transport; the next round asks again
        log.exception("could not enqueue %s for channel %s", task.name, channel_id)


# --- 702.6: the annual review -----------------------------------------------------------


@shared_task(ignore_result=True)
def send_annual_review_reminders() -> int:
    """Beat: tell the reviewer and the Mayor's office when a review is due and when it is
    overdue, each once."""
    from .annual_review import send_review_reminders

    return send_review_reminders()


@shared_task(ignore_result=True)
def fetch_due_engagement(batch_size: int = 50) -> int:
    """Beat: claim the published posts whose counts are due, one task each."""
    from . import engagement

    due = engagement.claim_due(batch_size)  # committed: the claim is written first
    for publication_id in due:
        try:
            fetch_publication_engagement.delay(publication_id)
        except Exception:  # the broker's errors vary by transport; the next claim comes later
            log.exception("could not enqueue the engagement of publication %s", publication_id)
    return len(due)


@shared_task(ignore_result=True)
def fetch_publication_engagement(publication_id: int) -> None:
    from .engagement import fetch_engagement

    fetch_engagement(publication_id)
