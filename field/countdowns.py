"""How the phone says a deadline: a countdown with units (`27分`, `2小时59分`, `5天4小时`, `29天`) and the due
moment with its year when that is not this year (`2027-01-01 00:00`, never a bare `01-01` that reads as the
coming New Year's Day). Pure functions, `now` passed in; `static/js/clock.js` draws the same words live from
the formats of `unit_formats()`, so the page says the same thing before and after its script runs."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

WEEK_DAYS = 7  # a week away or more: days alone


def unit_formats() -> dict[str, str]:
    """The countdown's words, in the user's language ({d} days, {h} hours, {m} minutes, {t} a countdown)."""
    return {
        "dh": _("{d} d {h} h"),
        "d": _("{d} d"),
        "hm": _("{h} h {m} min"),
        "h": _("{h} h"),
        "m": _("{m} min"),
        "late": _("overdue {t}"),
    }


def span_label(seconds: float) -> str:
    """A stretch of time in the largest units that matter: minutes (at least one), hours and minutes, days and
    hours, or days alone from a week on."""
    formats = unit_formats()
    minutes = max(1, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        key = "d" if days >= WEEK_DAYS or not hours else "dh"
    elif hours:
        key = "hm" if minutes else "h"
    else:
        key = "m"
    return formats[key].format(d=days, h=hours, m=minutes)


def countdown_label(due: datetime | None, now: datetime) -> str:
    """What is left until `due` (or how late it is), in words with units."""
    if due is None:
        return ""
    left = (due - now).total_seconds()
    if left > 0:
        return span_label(left)
    return unit_formats()["late"].format(t=span_label(-left))


def moment_label(at: datetime | None, now: datetime) -> str:
    """A moment in district time: `m-d H:i` within this year, `Y-m-d H:i` in any other."""
    if at is None:
        return ""
    local = timezone.localtime(at)
    if local.year == timezone.localtime(now).year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
