from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolConfig(AppConfig):
    """Patrol posts at work: their units, the units' statuses and shifts, each post's patrol area."""

    name = "patrol"
    verbose_name = _("Patrol posts")
