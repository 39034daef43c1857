"""The 09:00 briefing's figures (每日勤务研判): what a patrol post's chief reads before he deploys his units.

`briefing(communities=..., stations=..., day=...)` counts the incidents of the post's patrol area (its
communities) and of the neighbouring stations over the 7 district days before `day`:

- by place: the place key is the incident's normalised dwelling (`address_norm`, as repeat detection
  keys it) or, for a public place (a bus stop, a crossroads: `address_norm` is empty), the address in the
  same normal form (`disputes.identity.normalise_address`), computed by the database; each place is shown
  with its most frequent address as written;
- by hour of the day (0-23, district time), all incidents and those a patrol can prevent;
- the categories a patrol can prevent (`PREVENTABLE`), each with its count;
- the top hot spots (places, default 10) with their count in the same 7 days one year earlier and the
  change;
- the day's entries of the center's calendar (holidays, large events, crowds), and the totals.

Two aggregate queries, whatever the number of incidents (GROUP BY in the database). Nothing personal is
read: no caller, phone, ID number or summary, only places, times and categories.

The same 7 days one year earlier are the 7 days that end on the same calendar date a year earlier (29
February gives 28 February): year-on-year (同比) by date, as holidays fall by date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Aggregate, CharField, Count, F, Func, Q, Value
from django.db.models.functions import Coalesce, ExtractHour, Lower, NullIf
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.time import day_at, zone
from disputes.models import Incident

DAYS = 7
HOT_SPOTS = 10

# The categories a patrol can prevent, by category code, in the order the briefing lists them. Of the
# shipped categories (disputes 0010) only `theft` (盗窃, every theft) and `fraud` (诈骗) exist; the three
# finer theft codes count once the center adds them as categories (until then their count is 0).
PREVENTABLE: tuple[tuple[str, Promise], ...] = (
    ("ebike_theft", _("E-bike theft")),
    ("pickpocketing", _("Pickpocketing")),
    ("burglary", _("Burglary")),
    ("theft", _("Theft")),
    ("fraud", _("Fraud")),
)
PREVENTABLE_CODES = tuple(code for code, _label in PREVENTABLE)

# disputes.identity.normalise_address in SQL, for addresses that name no dwelling (whose address_norm is
# empty): NFKC, no spaces or punctuation, one dash, "12室" -> "12", lower case. The unit words that make a
# dwelling (栋, 单元) cannot occur there, or place_key would have kept the address.
_PUNCTUATION = "[\\s,，.。;；:：'\"“”‘’()（）#]"
_ROOM = "([0-9]+)(室|房|户)"


def _regexp_replace(expression: Any, pattern: str, replacement: str) -> Func:
    return Func(
        expression, Value(pattern), Value(replacement), Value("g"), function="REGEXP_REPLACE", output_field=CharField()
    )


def place_key_sql(field: str = "address") -> Func:
    """The normal form of the address column, computed by the database (see normalise_address)."""
    nfkc = Func(F(field), template="normalize(%(expressions)s, NFKC)", output_field=CharField())
    bare = _regexp_replace(nfkc, _PUNCTUATION, "")
    dashes = Func(bare, Value("—－_"), Value("---"), function="TRANSLATE", output_field=CharField())
    return Lower(_regexp_replace(dashes, _ROOM, "\\1"))


def place_key() -> Coalesce:
    """The incident's place: its dwelling key, else its address's normal form."""
    return Coalesce(NullIf(F("address_norm"), Value("")), place_key_sql(), output_field=CharField())


class Mode(Aggregate):
    """The most frequent value (the smallest of the most frequent), PostgreSQL's ordered-set aggregate."""

    function = "MODE"
    template = "%(function)s() WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = CharField()


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    label: str
    kind: str  # holiday, event, crowd... as the center's calendar names it


@dataclass(frozen=True)
class Place:
    key: str  # the normal form: what groups the incidents
    address: str  # the place's most frequent address in the 7 days, as written
    count: int  # in the 7 days
    last_year: int  # in the same 7 days a year earlier
    change: int  # count - last_year


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    count: int
    last_year: int


@dataclass(frozen=True)
class Briefing:
    day: date
    first: date  # the 7 days: first..last (district days)
    last: date
    last_year_first: date
    last_year_last: date
    total: int
    total_last_year: int
    by_hour: tuple[int, ...]  # 24 counts, 0:00-0:59 first, district time
    preventable_by_hour: tuple[int, ...]
    preventable: tuple[CategoryCount, ...]  # in PREVENTABLE's order, zeros included
    places: tuple[Place, ...]  # every place of the 7 days, most incidents first
    hot_spots: tuple[Place, ...]  # the first `top` places
    calendar: tuple[CalendarEntry, ...]  # the day's entries
    computed_at: datetime

    @property
    def preventable_total(self) -> int:
        return sum(c.count for c in self.preventable)

    @property
    def preventable_total_last_year(self) -> int:
        return sum(c.last_year for c in self.preventable)


def year_earlier(day: date) -> date:
    """The same calendar date a year earlier; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _pks(items: Iterable[Any]) -> list[int]:
    return sorted({item if isinstance(item, int) else item.pk for item in items})


def briefing(
    *,
    communities: Iterable[Any],
    stations: Iterable[Any],
    day: date,
    calendar: Sequence[tuple[date, str, str]] = (),
    now: datetime | None = None,
    top: int = HOT_SPOTS,
) -> Briefing:
    """The briefing of `day` for a post whose patrol area is `communities` (Community rows or pks), with
    the incidents of the neighbouring `stations` (Station rows or pks) counted too. `calendar` is the
    center's calendar, (day, label, kind) entries: the day's are kept. `top` hot spots; `now` is recorded
    as the moment of computation. No area at all: nothing is counted and no query is made."""
    start, end = day_at(day - timedelta(days=DAYS)), day_at(day)
    last_year_end = year_earlier(day)
    last_year_start = last_year_end - timedelta(days=DAYS)
    area = Q(community_id__in=_pks(communities)) | Q(station_id__in=_pks(stations))
    week = Q(received_at__gte=start, received_at__lt=end)
    last_year = Q(received_at__gte=day_at(last_year_start), received_at__lt=day_at(last_year_end))
    incidents = Incident.objects.filter(area).filter(week | last_year).order_by()

    # 1. hours x categories: the hours, the preventable categories and the totals, both periods.
    by_hour, preventable_by_hour = [0] * 24, [0] * 24
    counts = {code: [0, 0] for code in PREVENTABLE_CODES}
    total = total_last_year = 0
    cells = incidents.values(hour=ExtractHour("received_at", tzinfo=zone()), code=F("category__code")).annotate(
        n=Count("pk", filter=week), n_last_year=Count("pk", filter=last_year)
    )
    for cell in cells:
        total += cell["n"]
        total_last_year += cell["n_last_year"]
        by_hour[cell["hour"]] += cell["n"]
        if cell["code"] in counts:
            preventable_by_hour[cell["hour"]] += cell["n"]
            counts[cell["code"]][0] += cell["n"]
            counts[cell["code"]][1] += cell["n_last_year"]

    # 2. places, with last year's count of each place of the week.
    rows = (
        incidents.values(key=place_key())
        .annotate(
            n=Count("pk", filter=week),
            n_last_year=Count("pk", filter=last_year),
            address=Mode("address", filter=week),
        )
        .filter(n__gt=0)
        .order_by("-n", "key")
    )
    places = tuple(Place(r["key"], r["address"], r["n"], r["n_last_year"], r["n"] - r["n_last_year"]) for r in rows)

    return Briefing(
        day=day,
        first=day - timedelta(days=DAYS),
        last=day - timedelta(days=1),
        last_year_first=last_year_start,
        last_year_last=last_year_end - timedelta(days=1),
        total=total,
        total_last_year=total_last_year,
        by_hour=tuple(by_hour),
        preventable_by_hour=tuple(preventable_by_hour),
        preventable=tuple(CategoryCount(code, str(label), *counts[code]) for code, label in PREVENTABLE),
        places=places,
        hot_spots=places[:top],
        calendar=tuple(CalendarEntry(d, label, kind) for d, label, kind in calendar if d == day),
        computed_at=now or timezone.now(),
    )
