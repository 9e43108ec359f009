from django.contrib import admin

from .models import ArchiveRecord


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(admin.ModelAdmin):
    """702.7: records are looked at here, never added, changed or deleted."""

    list_display = ("sequence", "kind", "recorded_at", "channel", "digest")
    readonly_fields = [f.name for f in ArchiveRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
