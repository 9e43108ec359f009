"""Fetching the platforms' own counts of published posts (702.6: the effectiveness of the
content), on a schedule that tapers as a post ages: hourly on its first day, every six hours
in its first week, daily in its first month, weekly until it is 90 days old, then never again.

The database says what is due (EngagementSchedule); beat only wakes `claim_due()` up, and one
short task per publication asks its platform. A platform that refuses or cannot be reached
is noted on that publication alone: the others are fetched all the same.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from posting.models import Platform, Publication
from posting.platforms import ask_published

from .annual_models import EngagementSchedule, EngagementSnapshot

log = logging.getLogger(__name__)

# The platforms that count engagement. The city website tracks no readers (702.6: "not
# tracked" in the review), so there is nothing to ask it.
COUNTED_PLATFORMS = [Platform.MASTODON, Platform.BLUESKY, Platform.FACEBOOK, Platform.X]
# (age of the post below which, fetch every): fresh posts move fast, old ones barely.
TAPER = [
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
    (timedelta(days=90), timedelta(days=7)),
]
STOP_AFTER = TAPER[-1][0]
BATCH_SIZE = 50


def interval_for(age: timedelta) -> timedelta | None:
    """How long until the next fetch of a post this old; None: it is no longer fetched."""
    for younger_than, every in TAPER:
        if age < younger_than:
            return every
    return None


def due_publications(now):
    """Published posts on counting platforms, younger than 90 days, whose time has come."""
    return Publication.objects.filter(
        status=Publication.Status.PUBLISHED,
        channel__platform__in=COUNTED_PLATFORMS,
        channel__is_active=True,
        published_at__gt=now - STOP_AFTER,
    ).filter(
        Q(engagement_schedule__isnull=True)
        | Q(engagement_schedule__next_due_at__isnull=True)
        | Q(engagement_schedule__next_due_at__lte=now)
    )


def claim_due(batch_size: int = BATCH_SIZE, now=None) -> list[int]:
    """The publications to fetch now, never-fetched and longest-waiting first, each marked
    with its next time before anything is asked, so the next run moves on to others."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            due_publications(now)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by(F("engagement_schedule__next_due_at").asc(nulls_first=True), "pk")
            .values_list("pk", "published_at")[:batch_size]
        )
        for publication_id, published_at in due:
            every = interval_for(now - published_at) or STOP_AFTER
            EngagementSchedule.objects.update_or_create(
                publication_id=publication_id,
                defaults={"checked_at": now, "next_due_at": now + every},
            )
    return [publication_id for publication_id, _ in due]


def fetch_engagement(publication_id: int) -> EngagementSnapshot | None:
    """Ask the platform for one published post's counts and keep them as a snapshot."""
    answer = ask_published(
        publication_id,
        lambda adapter, publication: adapter.engagement(publication),
        cannot="gives no counts",
    )
    if answer is None:
        return None
    publication, counts = answer.publication, answer.value
    if answer.error:
        _note_error(publication, answer.error)
        return None
    with transaction.atomic():
        snapshot = EngagementSnapshot.objects.create(
            publication=publication,
            views=counts.views,
            likes=counts.likes,
            shares=counts.shares,
            replies=counts.replies,
            raw=counts.raw,
        )
        EngagementSchedule.objects.update_or_create(
            publication=publication, defaults={"last_error": ""}
        )
    return snapshot


def fetch_all_due(now=None) -> int:
    """Claim and fetch, in this process: the command line and tests use it; beat sends one
    task per publication instead (review.tasks.fetch_due_engagement)."""
    fetched = 0
    for publication_id in claim_due(now=now):
        try:
            fetched += fetch_engagement(publication_id) is not None
        except Exception:  # one post's surprise must not stop the rest
            log.exception("engagement of publication %s was not fetched", publication_id)
    return fetched


def _note_error(publication, message: str) -> None:
    log.info("engagement of publication %s: %s", publication.pk, message)
    EngagementSchedule.objects.update_or_create(
        publication=publication, defaults={"last_error": message[:2000]}
    )
