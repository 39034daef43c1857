from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stations.admin import ScopedAdminMixin

from .models import (
    AnswerSheet,
    Instruction,
    InstructionEvent,
    Notification,
)


@admin.register(AnswerSheet)
class AnswerSheetAdmin(admin.ModelAdmin):
    """Sheets are versioned: change one by saving it as a new version ("Save as new")."""

    list_display = ["code", "version", "title", "created_at"]
    search_fields = ["code", "title"]
    save_as = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A version that instructions were issued with is frozen; save it as a new version instead.
        if obj is not None and obj.instructions.exists():
            return ["code", "version", "title", "fields"]
        return []


class EventInline(admin.TabularInline):
    model = InstructionEvent
    fields = readonly_fields = ("at", "kind", "actor", "from_status", "to_status", "note", "due_at")
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instruction)
class InstructionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: every change goes through the engine's services (the API and pages)."""

    list_display = ["pk", "kind", "status", "station", "officer", "issued_at", "sign_off_due", "feedback_due"]
    list_filter = ["status", "kind", "station"]
    date_hierarchy = "issued_at"
    list_select_related = ["station", "officer"]
    search_fields = ["=id", "note"]
    inlines = [EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "instruction", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "instruction"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
