"""District time: the district's time zone, its calendar days, ISO weeks and calendar periods.

The one implementation for every app. A day, a week or a period starts at 00:00 in the district's
time zone (settings.TIME_ZONE, Asia/Shanghai), whatever time zone is active, and is given as aware
datetimes: from its start (included) to the next one's start (excluded), which is what a query on a
datetime column wants (`at__gte=start, at__lt=end`).

The ground floor: imports no app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone

from .inputs import day_in_range

WEEK_RE = re.compile(r"([0-9]{4})-W([0-9]{2})", re.ASCII)

# Calendar periods, named as the standard tasks' recurrences and time limits name them.
WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
PERIODS = (WEEKLY, MONTHLY, QUARTERLY)


def zone() -> tzinfo:
    """The district's time zone (settings.TIME_ZONE)."""
    return timezone.get_default_timezone()


def local(moment: datetime) -> datetime:
    """The moment in district time."""
    return timezone.localtime(moment, zone())


def day_of(moment: datetime) -> date:
    """The district's calendar day of the moment."""
    return local(moment).date()


def today(now: datetime | None = None) -> date:
    """The district's calendar day now (or at `now`)."""
    return day_of(now or timezone.now())


def yesterday(now: datetime | None = None) -> date:
    return today(now) - timedelta(days=1)


def day_at(day: date, clock: time = time.min) -> datetime:
    """The aware moment of the day at the clock time, district time (00:00 by default)."""
    return datetime.combine(day, clock, tzinfo=zone())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of the calendar day and the start of the next one, district time."""
    return day_at(day), day_at(day + timedelta(days=1))


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, named like 2026-W48, from Monday 00:00 to the next Monday 00:00 (district time)."""

    monday: date

    @classmethod
    def parse(cls, text: str) -> Week:
        """The week named like 2026-W48; ValueError for anything else or a week out of the sane range."""
        match = WEEK_RE.fullmatch(text or "")
        if match is None:
            raise ValueError(text)
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValueError(text) from None
        if not day_in_range(monday):
            raise ValueError(text)  # the pages look a year back and a week ahead: keep far from date.min/max
        return cls(monday)

    @classmethod
    def containing(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def of(cls, moment: datetime) -> Week:
        """The week the moment falls in, district time."""
        return cls.containing(day_of(moment))

    @property
    def label(self) -> str:
        year, week, _day = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> datetime:
        return day_at(self.monday)

    @property
    def end(self) -> datetime:
        return self.shift(1).start

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shift(self, weeks: int) -> Week:
        return Week(self.monday + timedelta(weeks=weeks))

    @property
    def previous(self) -> Week:
        return self.shift(-1)

    @property
    def next(self) -> Week:
        return self.shift(1)


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def period_first_day(period: str, day: date) -> date:
    """The first day of the calendar week (Monday), month or quarter that contains the day."""
    if period == WEEKLY:
        return Week.containing(day).monday
    if period == MONTHLY:
        return day.replace(day=1)
    if period == QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    raise ValueError(period)


def period_bounds(period: str, moment: datetime) -> tuple[datetime, datetime]:
    """The start of the calendar week, month or quarter that contains the moment and the start of the
    next one, district time."""
    first = period_first_day(period, day_of(moment))
    months = {MONTHLY: 1, QUARTERLY: 3}.get(period)
    return day_at(first), day_at(first + timedelta(days=7) if months is None else _months_later(first, months))
