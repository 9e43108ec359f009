"""Beat: remind the compilers of incidents whose next update is overdue (702.4.1)."""

import logging

from celery import shared_task
from django.utils import timezone

from .incident_models import Incident

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def remind_overdue_incident_updates() -> int:
    """Once per missed due time, by e-mail; the board shows it as soon as it is due."""
    now = timezone.now()
    reminded = 0
    for incident in Incident.objects.awaiting_reminder(now):
        if incident.remind_if_overdue(now):
            log.info("incident %s: update overdue, compilers reminded", incident.pk)
            reminded += 1
    return reminded
