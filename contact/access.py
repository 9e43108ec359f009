"""The one place that decides who may see and handle which messages from the public."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import ContactMessage, ContactTopic


def require_inbox_member(user):
    """The topics whose inbox the person reads; refused when they read none."""
    topics = list(ContactTopic.objects.for_member(user).select_related("department"))
    if not topics:
        raise PermissionDenied(
            "702.5.1: messages from the public are read by the staff the Mayor's office names "
            "for each topic. You are not named for any."
        )
    return topics


def get_message_for_user(request, reference: str) -> ContactMessage:
    message = get_object_or_404(
        ContactMessage.objects.select_related("topic__department", "assigned_to", "answered_by"),
        reference=reference,
    )
    if not message.topic.has_member(request.user):
        raise PermissionDenied(
            f"702.5.1: only the inbox members of “{message.topic}” read its messages."
        )
    return message


def require_topic_manager(user) -> None:
    if not ContactTopic.may_manage(user):
        raise PermissionDenied("702.5.1: only the Mayor's office manages the contact topics.")
