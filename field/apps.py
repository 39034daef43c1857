from django.apps import AppConfig


class FieldConfig(AppConfig):
    """The officer's phone: inbox, item pages, combined sheets. No models."""

    name = "field"

    def ready(self) -> None:
        from django.urls import reverse

        from tasks import notices

        notices.field_url = lambda pk: reverse("field:mobile-item", args=[pk])  # an officer's notice opens here
