"""When standard tasks fall due: calendar periods (week from Monday, month, quarter) in the district's
time zone, an occurrence's window and deadline, and a time limit in words. Pure functions, aware datetimes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .models import StandardTaskIssue, StandardTaskVersion

Limit = StandardTaskVersion.Limit
Recurrence = StandardTaskIssue.Recurrence


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def period_start(unit: str, at: datetime) -> datetime:
    """The start of the calendar week (Monday), month or quarter that contains `at`."""
    day = at.astimezone(zone()).date()
    if unit == Limit.WEEKLY:
        day -= timedelta(days=day.weekday())
    elif unit == Limit.MONTHLY:
        day = day.replace(day=1)
    elif unit == Limit.QUARTERLY:
        day = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        raise ValueError(unit)
    return datetime.combine(day, time(), tzinfo=zone())


def next_period_start(unit: str, at: datetime) -> datetime:
    """The start of the period after the one that contains `at`."""
    start = period_start(unit, at).date()
    if unit == Limit.WEEKLY:
        following = start + timedelta(days=7)
    else:
        following = _months_later(start, 1 if unit == Limit.MONTHLY else 3)
    return datetime.combine(following, time(), tzinfo=zone())


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
    start, end = period_start(recurrence, at), next_period_start(recurrence, at)
    return start, end, min(at + delta, end) if delta is not None else end


def default_recurrence(version: StandardTaskVersion) -> str:
    return version.limit_unit if version.is_recurring else Recurrence.ONCE


def limit_label(unit: str, value: int) -> str:
    if unit == Limit.HOURS:
        return _("within %(n)d hours") % {"n": value}
    if unit == Limit.DAYS:
        return _("within %(n)d days") % {"n": value}
    return str(Limit(unit).label)
