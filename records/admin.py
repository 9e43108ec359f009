from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import CustodyEntry, Exemption, ExportJob, RecordsRequest


@admin.register(RecordsRequest)
class RecordsRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """702.7: requests are logged and answered on the City Clerk's pages, never here."""

    list_display = ("pk", "requester_name", "received_on", "due_on", "status")
    readonly_fields = [f.name for f in RecordsRequest._meta.fields]


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("records_request", "record", "action", "exemption", "by", "at")
    readonly_fields = [f.name for f in Exemption._meta.fields]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "requester", "status", "records_total", "created_at", "finished_at")
    readonly_fields = [f.name for f in ExportJob._meta.fields]


@admin.register(CustodyEntry)
class CustodyEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "records_request", "export")
    readonly_fields = [f.name for f in CustodyEntry._meta.fields]
