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


def notify_content_reported(report) -> None:
    """702.5: a report of content reaches the supervisor responsible for the channel, and the
    channel's owner, by e-mail as well as in their queue."""
    from review.reports import channel_supervisors, report_link_for

    recipients = sorted({person.email for person in channel_supervisors(report) if person.email})
    if not recipients:
        return
    if report.source == report.Source.DETECTED:
        opening = (
            f"CitySocial found {report.subject} on {report.channel} and opened a report of a "
            "possibly unauthorized post (702.5(g)):"
        )
    else:
        opening = (
            f"{report.reported_by} reported {report.subject} as {report.get_concern_display()}:"
        )
    shown = f"\n\nWhat the platform shows:\n{report.remote_text}" if report.remote_text else ""
    link = f"\nLink: {report.link}" if report.link else ""
    send(
        subject=f"Report of content (702.5): {report.subject}",
        message=(
            f"{opening}\n\n{report.reason}{shown}{link}\n\n"
            "Under Policy 702.5 the supervisor ensures its removal from public view and "
            f"investigates the cause. Open the report:\n{report_link_for(report)}\n"
        ),
        recipients=recipients,
    )
