from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import ArchiveRecord


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """702.7: records are looked at here, never added, changed or deleted."""

    list_display = ("sequence", "kind", "recorded_at", "channel", "digest")
    readonly_fields = [f.name for f in ArchiveRecord._meta.fields]
