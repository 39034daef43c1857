"""django-filter filters for what a client sends: a datetime filter that refuses UTC offsets beyond
±14:00 and days out of range with 400 naming the parameter (PostgreSQL would answer a 500)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from .inputs import moment_problem

MESSAGES = {
    "offset": _("A UTC offset is between -14:00 and +14:00."),
    "range": _("Give a date between 1900-01-01 and 2100-12-31."),
}


class SaneIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        result = super().to_python(value)
        if result is not None:
            problem = moment_problem(result)
            if problem:
                raise forms.ValidationError(MESSAGES[problem], code=problem)
        return result


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SaneIsoDateTimeField
