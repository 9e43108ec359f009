from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ReadOnlyAdminMixin

from .models import ContactMessage, ContactTopic


@admin.register(ContactTopic)
class ContactTopicAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Topics change on the Mayor's office's page (contact:topics), with its checks."""

    list_display = ["label", "department", "email", "is_active", "position"]


@admin.register(ContactMessage)
class ContactMessageAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Messages change only through their methods (release, assign, move, answer)."""

    list_display = ["reference", "topic", "state", "received_at"]
    list_filter = ["state", "topic"]
