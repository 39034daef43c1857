"""Deadline arithmetic: pure functions, `now` passed in, aware datetimes only."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings


def sign_off_window(window: timedelta | None = None) -> timedelta:
    """The instruction's own sign-off window (e.g. 3 minutes for an urgent alert), or the district default."""
    if window:
        return window
    return timedelta(minutes=settings.INSTRUCTION_SIGN_OFF_MINUTES)


def remind_at(start: datetime, due: datetime, lead: timedelta) -> datetime:
    """When the reminder of a deadline is due: `lead` before it, but no earlier than half-way through its
    window, so that a 3-minute window is reminded after 90 seconds, not on the first sweep after it starts."""
    return due - min(lead, (due - start) / 2)


def sign_off_remind_at(start: datetime, due: datetime) -> datetime:
    return remind_at(start, due, timedelta(minutes=settings.INSTRUCTION_SIGN_OFF_REMINDER_MINUTES))


def feedback_remind_at(start: datetime, due: datetime) -> datetime:
    return remind_at(start, due, timedelta(minutes=settings.INSTRUCTION_FEEDBACK_REMINDER_MINUTES))


def feedback_window(window: timedelta | None) -> timedelta:
    """The kind's window for this instruction (e.g. a dispute category's 3, 6, 9 or 24 hours), or the
    default for instructions without one."""
    if window:
        return window
    return timedelta(minutes=settings.INSTRUCTION_DEFAULT_FEEDBACK_MINUTES)


def return_window(window: timedelta | None) -> timedelta:
    """After a return: the configured window, or the kind's window again."""
    minutes = settings.INSTRUCTION_RETURN_FEEDBACK_MINUTES
    return timedelta(minutes=minutes) if minutes else feedback_window(window)


def minutes_late(due: datetime, done: datetime) -> int:
    """Whole minutes past the deadline, rounded up; 0 when on time."""
    if due.tzinfo is None or done.tzinfo is None:
        raise ValueError("aware datetimes only")
    seconds = (done - due).total_seconds()
    return max(0, math.ceil(seconds / 60))
