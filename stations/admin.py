from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .auth import release_lock
from .models import AccountLock, AuditLog, Community, Department, District, Officer, PatrolUnit, Station, Subdistrict
from .services import officer_sync_groups


class ScopedAdminMixin:
    """Admin lists go through the same scope rule as every other page."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return qs
        return qs.visible_to(request.user)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    search_fields = ["code", "name"]


@admin.register(Station)
class StationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "address"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "subdistrict", "station"]
    list_filter = ["station", "subdistrict"]
    search_fields = ["code", "name"]
    list_select_related = ["subdistrict", "station"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(PatrolUnit)
class PatrolUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "station", "plate_number"]
    list_select_related = ["station"]


@admin.register(Officer)
class OfficerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "role", "station", "department", "is_auxiliary", "is_active"]
    list_filter = ["role", "station", "is_auxiliary", "is_active"]
    search_fields = ["user__username", "name", "badge_number"]
    list_select_related = ["user", "station", "department"]
    autocomplete_fields = ["user", "communities"]
    raw_id_fields = ["patrol_unit"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        officer_sync_groups(form.instance)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip", "target"]
    list_filter = ["kind"]
    search_fields = ["username", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccountLock)
class AccountLockAdmin(admin.ModelAdmin):
    list_display = ["username", "locked_at", "locked_until", "released_at", "released_by"]
    search_fields = ["username"]
    actions = ["release"]
    readonly_fields = ["username", "locked_at", "locked_until", "released_at", "released_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Release the selected locks"))
    def release(self, request: HttpRequest, queryset: QuerySet[AccountLock]) -> None:
        released = 0
        for lock in queryset.filter(released_at__isnull=True):
            release_lock(lock, actor=request.user, request=request)
            released += 1
        self.message_user(request, _("%(n)d lock(s) released.") % {"n": released}, messages.SUCCESS)
