from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Incidents and disputes")

    def ready(self) -> None:
        from . import kinds, services  # noqa: F401  (services registers what happens when revisits close)

        kinds.register()
