from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardConfig(AppConfig):
    name = "standard"
    verbose_name = _("Standard tasks")

    def ready(self) -> None:
        from . import kinds

        kinds.register()
