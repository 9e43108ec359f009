"""E-mail about exports and public records requests (702.7)."""

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from accounts.notifications import send
from accounts.roles import Role


def notify_export_ready(job) -> bool:
    """The Clerk who asked is told the package is ready, with where to download it."""
    if not job.requester.email:
        return False
    link = f"{settings.SITE_URL}{reverse('records:export', args=[job.pk])}"
    return send(
        subject=f"Export {job.pk} of public records is ready",
        message=(
            f"The export you requested ({job.query_summary()}) is ready: {job.records_total} "
            f"records, signed with the city's key.\n\nDownload it here: {link}\n\n"
            "Downloads are recorded in the custody log (702.7).\n"
        ),
        recipients=[job.requester.email],
    )


def notify_export_failed(job) -> bool:
    if not job.requester.email:
        return False
    link = f"{settings.SITE_URL}{reverse('records:export', args=[job.pk])}"
    return send(
        subject=f"Export {job.pk} of public records failed",
        message=f"The export you requested failed: {job.error}\n\nSee {link}\n",
        recipients=[job.requester.email],
    )


def notify_request_due(records_request) -> bool:
    """RCW 42.56.520: the response is due within the statutory business days."""
    recipients = list(
        User.objects.filter(groups__name=Role.CITY_CLERK.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return False
    link = f"{settings.SITE_URL}{reverse('records:request', args=[records_request.pk])}"
    return send(
        subject=(
            f"Public records request {records_request.reference} is due "
            f"{records_request.due_on:%A, %B} {records_request.due_on.day}"
        ),
        message=(
            f"The response to {records_request.reference} from {records_request.requester_name}, "
            f"received {records_request.received_on:%B} {records_request.received_on.day}, is due "
            f"by {records_request.due_on:%A, %B} {records_request.due_on.day}, "
            f"{records_request.due_on.year} ({records_request.business_days} business days; "
            "RCW 42.56.520).\n\n"
            f"The request: {records_request.text}\n\nSee {link}\n"
        ),
        recipients=recipients,
    )
