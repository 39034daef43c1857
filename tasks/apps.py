from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Dispatch engine")

    def ready(self) -> None:
        from . import standard_kind

        standard_kind.register()  # until the standard tasks have their own app
