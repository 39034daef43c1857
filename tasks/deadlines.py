"""Deadline arithmetic: pure functions, `now` passed in, aware datetimes only."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from .models import Category


def sign_off_window() -> timedelta:
    return timedelta(minutes=settings.INSTRUCTION_SIGN_OFF_MINUTES)


def feedback_window(category: Category | None) -> timedelta:
    """The category's feedback hours (3, 6, 9, 24), or the default for instructions without one."""
    if category is not None and category.feedback_hours:
        return timedelta(hours=category.feedback_hours)
    return timedelta(minutes=settings.INSTRUCTION_DEFAULT_FEEDBACK_MINUTES)


def return_window(category: Category | None) -> timedelta:
    """After a return: the configured window, or the category's hours again."""
    minutes = settings.INSTRUCTION_RETURN_FEEDBACK_MINUTES
    return timedelta(minutes=minutes) if minutes else feedback_window(category)


def minutes_late(due: datetime, done: datetime) -> int:
    """Whole minutes past the deadline, rounded up; 0 when on time."""
    if due.tzinfo is None or done.tzinfo is None:
        raise ValueError("aware datetimes only")
    seconds = (done - due).total_seconds()
    return max(0, math.ceil(seconds / 60))
