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
