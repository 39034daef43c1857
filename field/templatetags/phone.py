"""Template filters of the officer's phone: `{{ due|moment }}` (`m-d H:i`, with the year when it is not this
year) and `{{ due|countdown }}` (what is left, in words with units). See `field/countdowns.py`."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from field.countdowns import countdown_label, moment_label

register = template.Library()


@register.filter
def moment(value: datetime | None) -> str:
    return moment_label(value, timezone.now())


@register.filter
def countdown(value: datetime | None) -> str:
    return countdown_label(value, timezone.now())
