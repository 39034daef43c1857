"""When standard tasks fall due: an occurrence's window and deadline in the calendar periods (week from
Monday, month, quarter) of the district's time zone (core.time), and a time limit in words. Pure
functions, aware datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from core.time import period_bounds

from .models import StandardTaskIssue, StandardTaskVersion

Limit = StandardTaskVersion.Limit
Recurrence = StandardTaskIssue.Recurrence


def period_start(unit: str, at: datetime) -> datetime:
    """The start of the calendar week (Monday), month or quarter that contains `at`."""
    return period_bounds(unit, at)[0]


def next_period_start(unit: str, at: datetime) -> datetime:
    """The start of the period after the one that contains `at`."""
    return period_bounds(unit, at)[1]


def limit_delta(version: StandardTaskVersion) -> timedelta | None:
    if version.limit_unit == Limit.HOURS:
        return timedelta(hours=version.limit_value)
    if version.limit_unit == Limit.DAYS:
        return timedelta(days=version.limit_value)
    return None


def window(version: StandardTaskVersion, recurrence: str, at: datetime) -> tuple[datetime, datetime, datetime]:
    """(period start, period end, feedback due) of an occurrence created at `at`.

    Once: from `at` for the task's time limit (to the end of the week/month/quarter for a recurring task).
    On a recurrence: the calendar period containing `at`, due at its end or within the task's limit."""
    delta = limit_delta(version)
    if recurrence == Recurrence.ONCE:
        if delta is not None:
            return at, at + delta, at + delta
        end = next_period_start(version.limit_unit, at)
        return at, end, end
    start, end = period_bounds(recurrence, at)
    return start, end, min(at + delta, end) if delta is not None else end


def default_recurrence(version: StandardTaskVersion) -> str:
    return version.limit_unit if version.is_recurring else Recurrence.ONCE


def limit_label(unit: str, value: int) -> str:
    if unit == Limit.HOURS:
        return _("within %(n)d hours") % {"n": value}
    if unit == Limit.DAYS:
        return _("within %(n)d days") % {"n": value}
    return str(Limit(unit).label)
