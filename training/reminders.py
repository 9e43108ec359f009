"""E-mail reminders before a completion expires (702.8: training stays current).

The database says what is due; beat only wakes `send_due_reminders()` up. A reminder's
row is claimed (unique per completion and threshold) before the e-mail is sent, so a
second run, or a second worker, never sends it again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .models import Completion, ExpiryReminder
from .services import REMINDER_DAYS

log = logging.getLogger(__name__)


def due_reminders(now=None) -> list[tuple[Completion, int]]:
    """(completion, days before expiry) for each reminder due now and not yet sent."""
    now = now or timezone.now()
    renewed = Completion.objects.filter(
        user=OuterRef("user"),
        module=OuterRef("module"),
        passed=True,
        expires_at__gt=OuterRef("expires_at"),
    )
    candidates = (
        Completion.objects.counting(now)
        .filter(
            module__required=True,
            expires_at__lte=now + timedelta(days=max(REMINDER_DAYS)),
            user__is_active=True,
        )
        .exclude(user__email="")
        # Someone who already renewed is not reminded about the completion they replaced.
        .exclude(Exists(renewed))
        .select_related("user", "module")
        .prefetch_related("reminders")
    )
    due = []
    for completion in candidates:
        # Only the nearest threshold reached: a reminder that is late (beat was down)
        # goes out once, not once per threshold passed.
        threshold = min(
            days for days in REMINDER_DAYS if completion.expires_at - timedelta(days=days) <= now
        )
        if any(r.days_before <= threshold for r in completion.reminders.all()):
            continue
        due.append((completion, threshold))
    return due


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for completion, days_before in due_reminders(now):
        try:
            with transaction.atomic():
                reminder = ExpiryReminder.objects.create(
                    completion=completion, days_before=days_before, created_at=now
                )
        except IntegrityError:
            continue  # another run claimed it
        try:
            send_mail(
                *reminder_message(completion, now),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[completion.user.email],
            )
        except Exception as exc:  # SMTP errors vary; one bad address must not stop the rest
            log.exception("training reminder %s was not sent", reminder.pk)
            reminder.error = str(exc)[:1000]
            reminder.save(update_fields=["error"])
        else:
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            sent += 1
    return sent


def reminder_message(completion: Completion, now) -> tuple[str, str]:
    user, module = completion.user, completion.module
    expires = date_format(timezone.localtime(completion.expires_at), "DATE_FORMAT")
    days = max((completion.expires_at - now).days, 0)
    url = settings.SITE_URL + reverse("training:module", args=[module.slug])
    subject = f"Your training “{module.title}” expires on {expires}"
    body = (
        f"Hello {user.first_name or user.username},\n\n"
        f"Your completion of the training module “{module.title}” expires on {expires}, "
        f"in {days} day{'s' if days != 1 else ''}.\n\n"
        "Policy 702.8: employees who use social media on behalf of the City keep their "
        "training current. Without it, an authorization to post (702.3) stops.\n\n"
        f"Take the module again here:\n{url}\n\n"
        f"CitySocial, {settings.CITY_NAME}\n"
    )
    return subject, body
