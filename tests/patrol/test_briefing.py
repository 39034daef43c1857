"""The 09:00 briefing's figures, checked against a small hand-made week of incidents counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from core.time import day_at
from disputes.identity import normalise_address, place_key
from disputes.models import Incident
from patrol.briefing import PREVENTABLE_CODES, briefing, year_earlier
from tests.factories import CategoryFactory, CommunityFactory, IncidentFactory, StationFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 30)  # the briefing's day: the week is 23-29 November 2026
BUS_STOP = "江汉区解放大道100号公交站"
FLAT = "江汉区前进一路88号3栋2单元501室"
METRO = "江汉区发展大道地铁站C出口"
CROSSING = "江汉路步行街路口"
ELSEWHERE = "江汉区香港路12号便利店门口"


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return day_at(day, dt.time(hour, minute, second))


def nov(day: int, hour: int, minute: int = 0, second: int = 0, year: int = 2026) -> dt.datetime:
    return at(dt.date(year, 11, day), hour, minute, second)


@pytest.fixture
def area():
    """The post's patrol area (one community of a station that is not a neighbour), one neighbouring
    station, and places outside both."""
    far = StationFactory(code="far", name="远处派出所")
    neighbour = StationFactory(code="nb", name="邻近派出所")
    outside = StationFactory(code="out", name="外面派出所")
    return {
        "patrolled": CommunityFactory(code="patrolled", station=far),
        "far_other": CommunityFactory(code="far-other", station=far),  # the far station's, not patrolled
        "neighbour": CommunityFactory(code="nb-c", station=neighbour),
        "outside": CommunityFactory(code="out-c", station=outside),
        "neighbour_station": neighbour,
        "theft": CategoryFactory(code="theft", name="盗窃", is_dispute=False, is_criminal=True, feedback_hours=None),
        "pickpocketing": CategoryFactory(
            code="pickpocketing", name="扒窃", is_dispute=False, is_criminal=True, feedback_hours=None
        ),
        "fraud": CategoryFactory(code="fraud", name="诈骗", is_dispute=False, is_criminal=True, feedback_hours=None),
        "family": CategoryFactory(code="family", name="家庭纠纷"),
    }


def incident(area, when: dt.datetime, address: str, category: str, community: str = "patrolled") -> Incident:
    return IncidentFactory(
        received_at=when,
        address=address,
        address_norm=place_key(address),  # as the intake stores it
        category=area[category],
        community=area[community],
    )


def week_of_incidents(area) -> None:
    # In the 7 days, in the area: 9 incidents.
    incident(area, nov(23, 8, 15), BUS_STOP, "theft")
    incident(area, nov(24, 8, 40), BUS_STOP, "theft")
    incident(area, nov(25, 18, 5), "江汉区 解放大道100号，公交站", "pickpocketing")  # the same stop, spaced
    incident(area, nov(29, 23, 59, 59), "江汉区解放大道１００号公交站", "fraud")  # full-width digits
    incident(area, nov(26, 20, 30), FLAT, "family")
    incident(area, nov(27, 20, 10), "江汉区前进一路88号3-2-501", "family")  # the same flat
    incident(area, nov(28, 3, 0), FLAT, "theft")
    incident(area, nov(23, 0, 0), METRO, "fraud")  # the first moment of the week
    incident(area, nov(28, 18, 45), CROSSING, "theft", community="neighbour")  # counted by its station
    # Not counted: the briefing's day itself, the moment before the week, a community outside, and the far
    # station's other community (the far station is not a neighbour).
    incident(area, at(DAY, 0, 0), BUS_STOP, "theft")
    incident(area, nov(22, 23, 59, 59), BUS_STOP, "theft")
    incident(area, nov(25, 12, 0), BUS_STOP, "theft", community="outside")
    incident(area, nov(25, 12, 0), BUS_STOP, "theft", community="far_other")
    # The same 7 days a year earlier (23-29 November 2025): 10 incidents in the area.
    incident(area, nov(23, 9, 0, year=2025), BUS_STOP, "theft")
    for d in (23, 24, 25, 29):
        incident(area, nov(d, 21, 0, year=2025), FLAT, "family")
    incident(area, nov(26, 10, 0, year=2025), CROSSING, "fraud", community="neighbour")
    incident(area, nov(27, 10, 0, year=2025), CROSSING, "fraud", community="neighbour")
    for d in (24, 25, 26):
        incident(area, nov(d, 19, 0, year=2025), ELSEWHERE, "pickpocketing")  # no incident there this week
    # Not counted a year earlier: outside the 7 days, or outside the area.
    incident(area, nov(30, 0, 0, year=2025), BUS_STOP, "theft")
    incident(area, nov(22, 23, 0, year=2025), BUS_STOP, "theft")
    incident(area, nov(25, 9, 0, year=2025), BUS_STOP, "theft", community="outside")


def compute(area, **kwargs):
    return briefing(communities=[area["patrolled"]], stations=[area["neighbour_station"]], day=DAY, **kwargs)


def test_the_week_by_place_hour_and_category_counted_by_hand(area):
    week_of_incidents(area)
    result = compute(area, top=3)

    assert (result.first, result.last) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert (result.last_year_first, result.last_year_last) == (dt.date(2025, 11, 23), dt.date(2025, 11, 29))
    assert (result.total, result.total_last_year) == (9, 10)

    hours = [0] * 24
    for hour, n in {0: 1, 3: 1, 8: 2, 18: 2, 20: 2, 23: 1}.items():
        hours[hour] = n
    assert result.by_hour == tuple(hours)
    preventable_hours = [0] * 24
    for hour, n in {0: 1, 3: 1, 8: 2, 18: 2, 23: 1}.items():  # all but the two family disputes
        preventable_hours[hour] = n
    assert result.preventable_by_hour == tuple(preventable_hours)

    assert [(c.code, c.count, c.last_year) for c in result.preventable] == [
        ("ebike_theft", 0, 0),
        ("pickpocketing", 1, 3),
        ("burglary", 0, 0),
        ("theft", 4, 1),
        ("fraud", 2, 2),
    ]
    assert (result.preventable_total, result.preventable_total_last_year) == (7, 6)

    bus_stop = normalise_address(BUS_STOP)
    flat = place_key(FLAT)
    assert [(p.key, p.address, p.count, p.last_year, p.change) for p in result.places] == [
        (bus_stop, BUS_STOP, 4, 1, 3),  # the most frequent spelling shown
        (flat, FLAT, 3, 4, -1),
        (normalise_address(METRO), METRO, 1, 0, 1),  # 江汉区 sorts before 江汉路
        (normalise_address(CROSSING), CROSSING, 1, 2, -1),
    ]
    assert result.hot_spots == result.places[:3]
    assert compute(area).hot_spots == result.places  # 10 by default: all four


def test_the_days_calendar_entries_only(db, django_assert_num_queries):
    entries = [
        (DAY - dt.timedelta(days=1), "周日", "holiday"),
        (DAY, "汉马开跑", "event"),
        (DAY, "车站返程客流", "crowd"),
        (DAY + dt.timedelta(days=1), "元旦", "holiday"),
    ]
    with django_assert_num_queries(0):  # no area: nothing to count
        result = briefing(communities=[], stations=[], day=DAY, calendar=entries)
    assert [(e.day, e.label, e.kind) for e in result.calendar] == [
        (DAY, "汉马开跑", "event"),
        (DAY, "车站返程客流", "crowd"),
    ]
    assert (result.total, result.places, result.by_hour) == (0, (), (0,) * 24)


def test_public_place_keys_computed_by_the_database_equal_the_python_normal_form(area):
    addresses = [
        "江汉区 解放大道100号，公交站（东）",
        "ＡＢＣ广场—南门",
        "江汉路步行街12室门口",
        "发展大道_地铁站C出口",
        "台北路：便利店#2",
    ]
    for address in addresses:
        assert place_key(address) == ""
        incident(area, nov(25, 10), address, "theft")
    result = compute(area)
    assert sorted(p.key for p in result.places) == sorted(normalise_address(a) for a in addresses)


def test_the_year_earlier_of_29_february_is_28_february():
    assert year_earlier(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert year_earlier(dt.date(2026, 11, 30)) == dt.date(2025, 11, 30)
    result = briefing(communities=[], stations=[], day=dt.date(2029, 3, 1))
    assert (result.last_year_first, result.last_year_last) == (dt.date(2028, 2, 23), dt.date(2028, 2, 29))


def test_ids_count_as_the_rows(area):
    week_of_incidents(area)
    by_rows = compute(area)
    by_ids = briefing(communities=[area["patrolled"].pk], stations=[area["neighbour_station"].pk], day=DAY)
    assert by_ids.places == by_rows.places
    assert by_ids.by_hour == by_rows.by_hour


def test_every_preventable_code_is_listed_once():
    assert len(set(PREVENTABLE_CODES)) == len(PREVENTABLE_CODES)


@pytest.mark.parametrize("count", [10, 200])
def test_the_queries_are_the_same_however_many_incidents(area, count, django_assert_num_queries):
    Incident.objects.bulk_create(
        Incident(
            number=f"BRIEF{n:06d}",
            received_at=nov(23 + n % 7, n % 24, n % 60),
            category=area[("theft", "fraud", "family", "pickpocketing")[n % 4]],
            caller_name="陈女士",
            caller_phone="13800138000",
            address=f"江汉区解放大道{n % 13}号公交站",
            community=area[("patrolled", "neighbour", "outside")[n % 3]],
            station=area[("patrolled", "neighbour", "outside")[n % 3]].station,
            summary="报警人称电动车被盗",
        )
        for n in range(count)
    )
    with django_assert_num_queries(2):
        result = compute(area)
    assert result.total == sum(1 for n in range(count) if n % 3 != 2)  # the outside community's are not
