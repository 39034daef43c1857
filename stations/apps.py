from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import auth  # noqa: F401  (connects the login-failure receiver)
