from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import (
    ArchiveRecord,
    CertificateEntry,
    DispositionBatch,
    DispositionCertificate,
    LegalHold,
    RecordRetention,
    RetentionSeries,
)


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """702.7: records are looked at here, never added, changed or deleted."""

    list_display = ("sequence", "kind", "recorded_at", "channel", "digest", "certificate")
    exclude = ["search_vector"]
    readonly_fields = [f.name for f in ArchiveRecord._meta.fields if f.name != "search_vector"]


# The Clerk changes these on the public records pages, through the model methods that check
# who is acting; here they are read only, and nothing of the archive is ever deleted.
@admin.register(RetentionSeries)
class RetentionSeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title", "final_action", "authority", "is_active")


@admin.register(RecordRetention)
class RecordRetentionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("record", "series", "clock_started_at")


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("matter", "placed_by", "placed_at", "released_at")


@admin.register(DispositionBatch)
class DispositionBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "series", "status", "proposed_at", "decided_by")


@admin.register(DispositionCertificate)
class DispositionCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "series_code", "record_count", "approved_by", "approved_at")


@admin.register(CertificateEntry)
class CertificateEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("certificate", "sequence", "digest")
