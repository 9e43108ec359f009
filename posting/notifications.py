"""Telling people about posting requests (702.3)."""

from django.conf import settings

from accounts.notifications import send


def _link(obj) -> str:
    return f"{settings.SITE_URL}{obj.get_absolute_url()}"


def request_filed(request) -> None:
    if request.supervisor.email:
        send(
            subject=f"Posting request from {request.requester} ({request.get_urgency_display()})",
            message=f"{request.requester} asks for a post:\n\n{request.what}\n\nDecide: {_link(request)}\n",
            recipients=[request.supervisor.email],
        )


def request_decided(request) -> None:
    recipients = [u.email for u in (request.requester, request.forwarded_to) if u and u.email]
    if recipients:
        send(
            subject=f"Posting request: {request.get_status_display()}",
            message=f"{request.progress}.\n{request.decision_note}\n\n{_link(request)}\n",
            recipients=recipients,
        )
