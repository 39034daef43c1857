from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Heartbeat

admin.site.site_header = _("Grassroots Control Center administration")
admin.site.site_title = _("Grassroots Control Center")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "at"]
