from django.apps import AppConfig


class FieldConfig(AppConfig):
    """The officer's phone: inbox, item pages, combined sheets. No models."""

    name = "field"
