from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tasks.models import Heartbeat

from .models import RankingSnapshot, RankingWeights, Rectification, SpotCheck

admin.site.site_header = _("Grassroots Control Center administration")
admin.site.site_title = _("Grassroots Control Center")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "at"]


@admin.register(RankingWeights)
class RankingWeightsAdmin(admin.ModelAdmin):
    """One row: the weights of the weekly score. A change applies to live weeks and to the next stored revision."""

    list_display = ["__str__", *RankingWeights.COMPONENTS]

    def has_add_permission(self, request: Any) -> bool:
        return not RankingWeights.objects.exists()

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by services only and never changed."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "week_start", "revision", "generated_at", "generated_by", "reason"]
    list_filter = ["week_start"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ["instruction", "adequate", "inspector", "at"]
    list_filter = ["adequate"]
    list_select_related = ["instruction", "inspector"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["instruction", "due_at", "issued_by", "spot_check"]
    list_select_related = ["instruction", "issued_by", "spot_check"]
