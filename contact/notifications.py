"""E-mail about messages from the public (702.5.1): to the department, and to the resident.

Sent after the message is committed (ContactMessage._deliver_on_commit), so the message waits
in the inbox whatever the mail server does. A failure is logged by its reference number and the
kind of error only: a mail server's error text can carry the resident's address.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

log = logging.getLogger(__name__)


def send(*, subject: str, message: str, recipients: list[str], reference: str) -> bool:
    try:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as error:  # never let mail undo or hide a stored message
        log.warning(
            "e-mail about contact message %s not sent (%s)", reference, type(error).__name__
        )
        return False
    return True


def _link(message) -> str:
    return f"{settings.SITE_URL}{message.get_absolute_url()}"


def notify_inbox(message, *, moved: bool = False) -> bool:
    """The department's shared address and each inbox member get the message itself."""
    recipients = message.topic.recipients()
    if not recipients:
        return False
    received = timezone.localtime(message.received_at)
    given = [
        f"Name: {message.name or 'not given'}",
        f"E-mail: {message.email or 'not given'}",
        f"Phone: {message.phone or 'not given'}",
    ]
    lead = (
        "A message from the public was moved to your department's inbox"
        if moved
        else "A member of the public wrote to your department"
    )
    return send(
        subject=f"[{message.reference}] Message from the public: {message.topic.label}",
        message=(
            f"{lead} through the city's contact page (Policy 702.5.1), "
            f"on {received:%B %-d, %Y at %-I:%M %p}.\n\n"
            f"Topic: {message.topic.label} ({message.topic.department})\n"
            f"Reference: {message.reference}\n" + "\n".join(given) + "\n\n"
            f"{message.body}\n\n"
            "Answer the person directly, then record how you answered in the inbox:\n"
            f"{_link(message)}\n\n"
            "This message is a public record (702.7); it is archived as received.\n"
        ),
        recipients=recipients,
        reference=message.reference,
    )


def acknowledge(message) -> bool:
    """The resident, when they left an e-mail address. The message is not repeated: the form
    must not become a way to send anyone a text of one's choosing from the city's address."""
    if not message.email:
        return False
    return send(
        subject=f"{settings.CITY_NAME}: we received your message ({message.reference})",
        message=(
            f"Thank you for contacting the {settings.CITY_NAME}.\n\n"
            f"We received your message about “{message.topic.label}” and sent it to "
            f"{message.topic.department}. Staff read messages on working days and reply to "
            "the contact details you gave.\n\n"
            f"Your reference number is {message.reference}. Please quote it if you write or "
            f"call again: {settings.CITY_PHONE} ({settings.CITY_PHONE_HOURS}).\n\n"
            "This address is not watched for emergencies: in an emergency, call 911.\n\n"
            "Messages to the city are public records and may be disclosed under the Public "
            "Records Act (chapter 42.56 RCW).\n\n"
            "If you did not write to us, you can ignore this e-mail.\n"
        ),
        recipients=[message.email],
        reference=message.reference,
    )
