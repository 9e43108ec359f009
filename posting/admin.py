from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ReadOnlyAdminMixin

from .models import Channel, Post, Publication


@admin.register(Channel)
class ChannelAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "platform", "handle", "is_active")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Posts and publications change only through their state methods, never by hand."""


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("title", "author", "category", "state", "updated_at")
    list_filter = ("state", "category")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("post", "channel", "status", "attempts", "published_at")
    list_filter = ("status", "channel")
