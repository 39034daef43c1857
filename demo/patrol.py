"""The six patrol posts at work in the demo: each post's patrol area (the communities along its roads, their
stations as neighbours, its road sections and places), today's shifts, and the units' statuses, set through
the real service by the post's duty desk. Idempotent: a unit that has a status keeps it."""

from __future__ import annotations

import datetime as dt

from core.time import day_at, day_of
from demo.district import PATROL_PLACES, PATROL_POSTS, POLICE_STATIONS, community_code
from patrol.models import AreaPlace, PatrolArea, Shift, UnitState, UnitStatus
from patrol.services import unit_set_status
from stations.models import Community, Officer, PatrolUnit, Station
from stations.roles import Role

S = UnitStatus
# The statuses the two units of each post are left in, post by post (through legal moves from off duty).
PATHS = [
    ([S.ON_DUTY], [S.ON_DUTY, S.BUSY]),
    ([S.ON_DUTY], [S.ON_DUTY, S.EN_ROUTE]),
    ([S.ON_DUTY, S.EN_ROUTE, S.ON_SCENE], [S.ON_DUTY]),
    ([S.ON_DUTY], []),
    ([S.ON_DUTY, S.BUSY], [S.ON_DUTY]),
    ([S.ON_DUTY], [S.ON_DUTY, S.EN_ROUTE, S.ON_SCENE]),
]


def seed_patrol(now: dt.datetime) -> None:
    posts = {p.code: p for p in Station.objects.filter(kind=Station.Kind.PATROL_POST)}
    seed_areas(posts)
    seed_shifts(now)
    seed_statuses(posts, now)


def seed_areas(posts: dict[str, Station]) -> None:
    communities = {c.code: c for c in Community.objects.all()}
    for spec in PATROL_POSTS:
        area, _ = PatrolArea.objects.get_or_create(post=posts[spec.code])
        along = [
            communities[community_code(station, i)]
            for station in POLICE_STATIONS
            for i in range(len(station.communities))
            if station.roads[i % len(station.roads)] in spec.roads and community_code(station, i) in communities
        ]
        area.communities.set(along)
        area.neighbours.set({c.station_id for c in along})
        names = [(AreaPlace.Kind.ROAD_SECTION, road) for road in spec.roads]
        names += [(AreaPlace.Kind.PLACE, place) for place in PATROL_PLACES.get(spec.code, ())]
        for order, (kind, name) in enumerate(names):
            AreaPlace.objects.update_or_create(area=area, kind=kind, name=name, defaults={"sort_order": order})


def seed_shifts(now: dt.datetime) -> None:
    """Today's two shifts: the first unit of a post by day (08:00-20:00), the second by night (20:00-08:00)."""
    today = day_of(now)
    for unit in PatrolUnit.objects.filter(station__kind=Station.Kind.PATROL_POST):
        night = unit.code.endswith("-2")
        starts = day_at(today, dt.time(20 if night else 8))
        Shift.objects.get_or_create(unit=unit, starts_at=starts, defaults={"ends_at": starts + dt.timedelta(hours=12)})


def seed_statuses(posts: dict[str, Station], now: dt.datetime) -> None:
    desks = {o.station_id: o.user for o in Officer.objects.filter(role=Role.DUTY_DESK).select_related("user")}
    has_state = set(UnitState.objects.values_list("unit_id", flat=True))
    for index, spec in enumerate(PATROL_POSTS):
        post = posts[spec.code]
        desk = desks.get(post.pk)
        if desk is None:
            continue
        for unit, path in zip(post.patrol_units.order_by("code"), PATHS[index % len(PATHS)], strict=False):
            if unit.pk in has_state:
                continue
            for step, status in enumerate(path):
                at = now - dt.timedelta(minutes=5 * (len(path) - step))
                unit_set_status(unit=unit, actor=desk, status=status, note="", now=at)
