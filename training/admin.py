from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ReadOnlyAdminMixin

from .models import (
    Completion,
    ExpiryReminder,
    ModuleVersion,
    QuizChoice,
    QuizQuestion,
    TrainingModule,
    TrainingPage,
)

# 702.8: modules change through TrainingModule.configure() and publish_version(), which
# check that the Mayor's office is acting and keep versions; completions are permanent.
# The admin is for looking, like the archive's.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class PageInline(ReadOnlyInline):
    model = TrainingPage
    fields = ("position", "title")


class QuestionInline(ReadOnlyInline):
    model = QuizQuestion
    fields = ("position", "prompt")


class VersionInline(ReadOnlyInline):
    model = ModuleVersion
    fields = ("number", "published_at", "published_by", "requires_retraining", "note")


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "topic",
        "required",
        "completion_mode",
        "pass_mark",
        "validity_days",
        "version",
        "counts_from_version",
    )
    list_filter = ("required", "completion_mode", "topic")
    inlines = [PageInline, QuestionInline, VersionInline]


@admin.register(TrainingPage)
class TrainingPageAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("module", "position", "title")
    list_filter = ("module",)


class ChoiceInline(ReadOnlyInline):
    model = QuizChoice
    fields = ("position", "text", "is_correct")
    show_change_link = False


@admin.register(QuizQuestion)
class QuizQuestionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("module", "position", "prompt")
    list_filter = ("module",)
    inlines = [ChoiceInline]


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "module",
        "version",
        "method",
        "passed",
        "score",
        "completed_at",
        "expires_at",
    )
    list_filter = ("module", "passed", "method")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    date_hierarchy = "completed_at"


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("completion", "days_before", "created_at", "sent_at", "error")
    list_filter = ("days_before",)
