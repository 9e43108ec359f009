"""Beat: remind the compilers of overdue updates, and archive the after-action timeline of
closed incidents once every delivery has settled (702.4.1, 702.7)."""

import logging

from celery import shared_task
from django.utils import timezone

from .incident_models import Incident

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def remind_overdue_incident_updates() -> int:
    """Once per missed due time, by e-mail; the board says whether it has gone out."""
    now = timezone.now()
    reminded = 0
    for incident in Incident.objects.awaiting_reminder(now):
        if incident.remind_if_overdue(now):
            log.info("incident %s: update overdue, compilers reminded", incident.pk)
            reminded += 1
    return reminded


@shared_task(ignore_result=True)
def archive_settled_after_actions() -> int:
    """A closed incident's after-action, archived again (a new version) with the delivery
    times of the closing message and of everything that was still in flight at the close."""
    archived = 0
    for incident in Incident.objects.awaiting_after_action().order_by("closed_at"):
        if incident.archive_after_action_if_settled() is not None:
            log.info("incident %s: after-action archived with every delivery settled", incident.pk)
            archived += 1
    return archived
