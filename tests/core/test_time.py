"""District time: days, ISO weeks and calendar periods start at 00:00 Asia/Shanghai, whatever zone is active."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from core.time import MONTHLY, QUARTERLY, WEEKLY, Week, day_at, day_bounds, day_of, period_bounds, today, yesterday

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_day_is_midnight_to_midnight_in_the_district_even_under_another_active_zone():
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        start, end = day_bounds(dt.date(2026, 11, 30))
        assert start == dt.datetime(2026, 11, 30, tzinfo=SHANGHAI)
        assert end == dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
        late_utc = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # 01:00 the next day in Shanghai
        assert day_of(late_utc) == dt.date(2026, 12, 1)
        assert today(late_utc) == dt.date(2026, 12, 1)
        assert yesterday(late_utc) == dt.date(2026, 11, 30)
        assert day_at(dt.date(2026, 12, 1), dt.time(8, 30)) == dt.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI)


def test_an_iso_week_parses_prints_and_spans_monday_to_monday():
    week = Week.parse("2026-W48")
    assert week.monday == dt.date(2026, 11, 23)
    assert week.sunday == dt.date(2026, 11, 29)
    assert str(week) == week.label == "2026-W48"
    assert week.start == dt.datetime(2026, 11, 23, tzinfo=SHANGHAI)
    assert week.end == dt.datetime(2026, 11, 30, tzinfo=SHANGHAI) == week.next.start
    assert week.previous == Week.parse("2026-W47")
    assert week.shift(6) == Week.parse("2027-W01")
    assert Week.of(dt.datetime(2026, 11, 29, 16, 30, tzinfo=dt.UTC)) == week.next  # Monday 00:30 in Shanghai
    assert Week.containing(dt.date(2026, 11, 29)) == week


@pytest.mark.parametrize("text", ["", "2026-48", "2026-W4", "2026-W54", "9999-W52", "0001-W01", "２０２６-W48"])
def test_anything_but_an_iso_week_in_the_sane_range_is_refused(text):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        Week.parse(text)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (WEEKLY, dt.date(2026, 11, 30), dt.date(2026, 12, 7)),
        (MONTHLY, dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        (QUARTERLY, dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
    ],
)
def test_a_calendar_period_is_the_week_month_or_quarter_of_the_district_day(period, start, end):
    moment = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)  # 2 December 01:00 in Shanghai
    assert period_bounds(period, moment) == (day_at(start), day_at(end))


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="daily"):
        period_bounds("daily", dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
