"""DRF fields for what a client sends: integers in ASCII digits, datetimes with a real UTC offset,
dates in a sane range. Each refuses with 400 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .inputs import day_in_range, moment_problem


class IntegerField(serializers.IntegerField):
    """Like DRF's, but "١٢" or "１２" (non-ASCII digits) is not 12."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "offset": _("A UTC offset is between -14:00 and +14:00."),
        "range": _("Give a date between 1900-01-01 and 2100-12-31."),
    }

    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None:
                problem = moment_problem(parsed)
                if problem:
                    self.fail(problem)
        return super().to_internal_value(value)


class DateField(serializers.DateField):
    default_error_messages = {
        "range": _("Give a date between 1900-01-01 and 2100-12-31."),
    }

    def to_internal_value(self, value: Any) -> dt.date:
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")
        day = super().to_internal_value(value)
        if not day_in_range(day):
            self.fail("range")
        return day
