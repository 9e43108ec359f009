"""Background work of the archive (702.7): short tasks that call retention's own code."""

import logging

from celery import shared_task

from . import disposition, platform_versions

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def propose_dispositions() -> int:
    """Beat: put the records due for destruction (and not held) into batches for the Clerk."""
    return len(disposition.propose_batches())


@shared_task(ignore_result=True)
def fetch_platform_versions(batch_size: int = platform_versions.BATCH_SIZE) -> int:
    """Beat: fetch back the published posts checked longest ago, a batch at a time."""
    due = platform_versions.claim_due(batch_size)  # committed: the claim is written first
    for publication_id in due:
        enqueue_platform_check(publication_id)
    return len(due)


@shared_task(ignore_result=True)
def fetch_platform_version(publication_id: int) -> None:
    platform_versions.check_publication(publication_id)


def enqueue_platform_check(publication_id: int) -> None:
    try:
        fetch_platform_version.delay(publication_id)
    except Exception:  # the broker's errors vary by transport; the next round checks it again
        log.exception("could not enqueue the platform check of publication %s", publication_id)
