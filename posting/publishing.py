"""Delivering one publication: claim it, re-check the policy, call the platform, record the answer.

Called by the Celery task; safe to call twice for the same publication.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.permissions import can_publish

from .models import PostState, Publication
from .platforms import PlatformError

log = logging.getLogger(__name__)


class PublishRefused(Exception):
    pass


def claim(publication_id: int) -> Publication | None:
    """Take the row for this worker; None when it is done, failed or another worker has it."""
    claimed = Publication.objects.filter(
        pk=publication_id, status=Publication.Status.QUEUED
    ).update(
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
    except (PublishRefused, PlatformError) as exc:
        message = getattr(exc, "message", str(exc))
        log.warning("publication %s failed: %s", publication.pk, message)
        record_failure(publication, message)
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


def record_failure(publication: Publication, message: str) -> None:
    publication.status = Publication.Status.FAILED
    publication.last_error = message
    publication.save(update_fields=["status", "last_error", "updated_at"])
