from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Authorization, Department, User


class ReadOnlyAdminMixin:
    """For governed rows that change only through their model methods, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class CityUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("City", {"fields": ("department", "supervisor", "job_title")}),
    )
    list_display = ("username", "get_full_name", "department", "supervisor", "is_active")
    list_filter = ("department", "groups", "is_active")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    search_fields = ("name",)


@admin.register(Authorization)
class AuthorizationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: grants and revocations go through Authorization.grant()/revoke() (702.3)."""

    list_display = ("user", "granted_by", "valid_from", "valid_until", "revoked_at")
    list_filter = ("revoked_at",)
