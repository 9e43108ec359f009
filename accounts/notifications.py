"""E-mail to the people the policy says must be told."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

log = logging.getLogger(__name__)


def notify_posts_held(author, posts, reason: str) -> None:
    """702.3: when an authorization ends, the author's waiting posts are held and their supervisor told."""
    recipients = [u.email for u in (author, author.supervisor) if u is not None and u.email]
    if not recipients:
        return
    lines = [
        f"- {post.title}: {settings.SITE_URL}{reverse('posting:detail', args=[post.pk])}"
        for post in posts
    ]
    send(
        subject=f"Posts by {author} are held: authorization no longer current",
        message=(
            f"{author}'s authorization to post for the City is no longer current ({reason}).\n"
            "Under Policy 702.3 their queued and scheduled posts are held and will not be "
            "published. Drafts are kept.\n\n" + "\n".join(lines) + "\n"
        ),
        recipients=recipients,
    )


def send(*, subject: str, message: str, recipients: list[str]) -> bool:
    """Send, and never let a mail outage undo the action that caused it: log it instead."""
    try:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        log.exception("could not send %r to %d recipient(s)", subject, len(recipients))
        return False
    return True
