"""{% load durations %}: {{ due|since:now }} and {{ due|until:now }} say "5天4小时" (stations/durations.py)."""

from __future__ import annotations

from datetime import datetime

from django import template

from stations import durations

register = template.Library()


@register.filter
def since(value: datetime | None, now: datetime | None = None) -> str:
    return "" if value is None else durations.since(value, now)


@register.filter
def until(value: datetime | None, now: datetime | None = None) -> str:
    return "" if value is None else durations.until(value, now)
