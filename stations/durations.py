"""Durations as people say them: the two largest units, run together in Chinese ("5天4小时", "2小时59分",
"27分"), never Django's "5 日，4 小时"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


def compact(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        if hours:
            return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        return _("%(days)s d") % {"days": days}
    if hours:
        if minutes:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


def since(moment: datetime, now: datetime | None = None) -> str:
    return compact((now or timezone.now()) - moment)


def until(moment: datetime, now: datetime | None = None) -> str:
    return compact(moment - (now or timezone.now()))
