"""Patrol posts in the admin: shifts and patrol areas are edited here; a unit's status only through its
service (read-only here), its events never."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stations.admin import ScopedAdminMixin

from .models import AreaPlace, PatrolArea, Shift, UnitState, UnitStatusEvent


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["unit", "starts_at", "ends_at", "note"]
    list_filter = ["unit__station"]
    list_select_related = ["unit"]
    date_hierarchy = "starts_at"


class AreaPlaceInline(admin.TabularInline):
    model = AreaPlace
    extra = 1


@admin.register(PatrolArea)
class PatrolAreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["post"]
    list_select_related = ["post"]
    filter_horizontal = ["communities", "neighbours"]
    inlines = [AreaPlaceInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnitState)
class UnitStateAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["unit", "status", "since", "changed_by"]
    list_filter = ["status", "unit__station"]
    list_select_related = ["unit", "changed_by"]


@admin.register(UnitStatusEvent)
class UnitStatusEventAdmin(ReadOnlyAdmin):
    list_display = ["unit", "at", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status", "unit__station"]
    list_select_related = ["unit", "actor"]
