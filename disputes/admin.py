from django.contrib import admin

from stations.admin import ScopedAdminMixin

from .models import ImportAlias, Incident


@admin.register(Incident)
class IncidentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "received_at", "category", "station", "community", "resolved_at_scene"]
    list_filter = ["category", "station", "resolved_at_scene"]
    search_fields = ["number", "address"]
    date_hierarchy = "received_at"
    list_select_related = ["category", "station", "community"]
    raw_id_fields = ["community", "created_by"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(ImportAlias)
class ImportAliasAdmin(admin.ModelAdmin):
    """The district's other names for categories and communities, accepted by the import."""

    list_display = ["alias", "kind", "category", "community"]
    list_filter = ["kind"]
    search_fields = ["alias", "category__name", "community__name"]
    autocomplete_fields = ["category", "community"]
