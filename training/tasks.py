import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accounts.models import User

from . import reminders
from .models import refresh_authorizations

log = logging.getLogger(__name__)

# Beat runs the lapse check hourly; looking a day back means a few missed runs lose nothing
# (the accounts re-check is idempotent).
LAPSE_LOOKBACK = timedelta(hours=25)


@shared_task(ignore_result=True)
def send_expiry_reminders() -> int:
    """Beat: e-mail people whose training expires soon (30 and 7 days before by default)."""
    return reminders.send_due_reminders()


@shared_task(ignore_result=True)
def refresh_authorizations_after_lapse() -> int:
    """Beat: training lapses with time, not with an event; have accounts re-check the
    authorizations of people whose required training just expired (702.3 / 702.8)."""
    now = timezone.now()
    people = User.objects.filter(
        training_completions__passed=True,
        training_completions__module__required=True,
        training_completions__expires_at__gt=now - LAPSE_LOOKBACK,
        training_completions__expires_at__lte=now,
    ).distinct()
    people = list(people)
    refresh_authorizations(people)
    return len(people)
