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
