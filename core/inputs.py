"""What a client sends, checked before it reaches the database: ASCII integers, dates and times
in a sane range, JSON of a bounded depth.

Each check answers None (or False) for a bad value; the caller turns that into 404 for a path or
query parameter and into 400 naming the field for a body.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

MIN_DAY = dt.date(1900, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)
MAX_OFFSET = dt.timedelta(hours=14)  # UTC-12:00 to UTC+14:00 are the offsets in use on earth
MAX_INT = 2**31 - 1  # PostgreSQL integer (and serial ids)
JSON_MAX_DEPTH = 32

_ASCII_INT = re.compile(r"[0-9]{1,10}", re.ASCII)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def ascii_int(value: Any, *, maximum: int = MAX_INT) -> int | None:
    """The integer written in ASCII digits only (no sign, no ², １ or ٣), within 0..maximum; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    if not isinstance(value, str) or not _ASCII_INT.fullmatch(value):
        return None
    number = int(value)
    return number if number <= maximum else None


def day_in_range(day: dt.date) -> bool:
    return MIN_DAY <= day <= MAX_DAY


def parse_day(value: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD, ASCII digits) between MIN_DAY and MAX_DAY; else None."""
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day_in_range(day) else None


def moment_problem(value: dt.datetime) -> str | None:
    """Why a datetime a client sent cannot be used (an offset beyond ±14:00, a day out of range), or None."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return "offset"
    if not day_in_range(value.date()):
        return "range"
    return None


def json_too_deep(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """True when the JSON text nests arrays and objects deeper than `limit` (checked without parsing)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
