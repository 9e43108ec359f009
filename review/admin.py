from django.contrib import admin

from posting.admin import ReadOnlyAdmin

from .models import Approval


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("post", "reviewer", "decision", "decided_at", "voided_at")
