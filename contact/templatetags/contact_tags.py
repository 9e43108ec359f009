from django.db.models import Count, Q
from django.template import Library

from ..models import ContactMessage, ContactTopic

register = Library()


@register.simple_tag(takes_context=True)
def contact_inbox_summary(context):
    """For the dashboard: the person's topics with what waits in each, and whether they
    manage the topics (the Mayor's office)."""
    user = context["request"].user
    topics = list(
        ContactTopic.objects.for_member(user)
        .select_related("department")
        .annotate(
            waiting=Count("messages", filter=Q(messages__state=ContactMessage.State.WAITING)),
            held=Count("messages", filter=Q(messages__state=ContactMessage.State.HELD)),
        )
    )
    return {
        "topics": topics,
        "waiting": sum(topic.waiting for topic in topics),
        "held": sum(topic.held for topic in topics),
        "manages": ContactTopic.may_manage(user),
    }
