"""One-row settings edited in the admin (selection policy, repeat rule, ranking weights)."""

from __future__ import annotations

from typing import Self

from django.db import models


class SettingsRow(models.Model):
    """An abstract model with exactly one row, made on first use."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls) -> Self:
        row, _created = cls._default_manager.get_or_create(pk=1)
        return row


def lines(text: str) -> list[str]:
    """The non-blank lines of a text field: one word or phrase per line."""
    return [w.strip() for w in text.splitlines() if w.strip()]
