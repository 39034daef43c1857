"""The standard tasks in the admin: the catalogue and its versions, and the issues (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Max
from django.http import HttpRequest

from .models import StandardTask, StandardTaskIssue, StandardTaskRequest, StandardTaskVersion


class StandardTaskVersionInline(admin.TabularInline):
    model = StandardTaskVersion
    fields = ["version", "name", "lead_department", "limit_unit", "limit_value", "answer_sheet", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StandardTask)
class StandardTaskAdmin(admin.ModelAdmin):
    """The catalogue. Change a task by adding a version (below, or "Save as new" on a version)."""

    list_display = ["code", "current", "is_active"]
    list_filter = ["is_active", "current__lead_department"]
    list_select_related = ["current"]
    search_fields = ["code", "current__name"]
    readonly_fields = ["current"]
    inlines = [StandardTaskVersionInline]


@admin.register(StandardTaskVersion)
class StandardTaskVersionAdmin(admin.ModelAdmin):
    """Versions are never rewritten once officers were asked for them: save a changed one as new, and
    the new version becomes the task's current one."""

    list_display = ["task", "version", "name", "lead_department", "limit_unit", "limit_value", "created_at"]
    list_filter = ["lead_department", "limit_unit"]
    list_select_related = ["task", "lead_department"]
    search_fields = ["task__code", "name"]
    filter_horizontal = ["consumers"]
    save_as = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.occurrences.exists():
            return [f.name for f in StandardTaskVersion._meta.get_fields() if f.concrete and f.name != "id"]
        return ["version"]

    def save_model(self, request: HttpRequest, obj: StandardTaskVersion, form: Any, change: bool) -> None:
        if not change:
            last = obj.task.versions.aggregate(n=Max("version"))["n"] or 0
            obj.version = last + 1
        super().save_model(request, obj, form, change)
        if not change:
            StandardTask.objects.filter(pk=obj.task_id).update(current=obj)


class StandardTaskRequestInline(admin.TabularInline):
    model = StandardTaskRequest
    fields = ["occurrence", "requested_at", "merged"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StandardTaskIssue)
class StandardTaskIssueAdmin(admin.ModelAdmin):
    """Read-only: issue through the issuing page or the API, so that duplicates are merged."""

    list_display = ["pk", "task", "department", "scope", "recurrence", "created_at", "is_active", "next_run_at"]
    list_filter = ["recurrence", "scope", "is_active", "department"]
    list_select_related = ["task", "department"]
    inlines = [StandardTaskRequestInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
