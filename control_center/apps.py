from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlCenterConfig(AppConfig):
    name = "control_center"
    verbose_name = _("Control center")

    def ready(self) -> None:
        from . import kinds

        kinds.register()
