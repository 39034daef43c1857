"""The known week of the rankings tests: three police stations and two patrol posts and each instruction of
the week played by hand (`world`), shared by the rankings, bulletin and browser tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from control_center.rankings import Week
from stations.models import Station
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import (
    instruction_accept,
    instruction_cancel,
    instruction_return,
    instruction_sign_off,
    instruction_submit_feedback,
)
from tests.factories import GOOD_ANSWERS, CategoryFactory, StationFactory, issue, make_officer

WEEK = Week.parse("2026-W10")  # Monday 2 March to Sunday 8 March 2026
TZ = timezone.get_default_timezone()
SNAPSHOT_AT = dt.datetime(2026, 3, 9, 6, 0, tzinfo=TZ)  # the beat's Monday 06:00


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment of the week: day 1 is Monday 2 March; day 8 the next Monday."""
    return dt.datetime(2026, 3, 1 + day, hour, minute, second, tzinfo=TZ)


@dataclass
class Unit:
    station: Station
    room: Any
    officer: Any


@dataclass
class World:
    a: Unit
    b: Unit
    c: Unit
    p: Unit
    q: Unit
    center: Any
    late: Instruction  # B's instruction whose 24-hour feedback arrives after the snapshot


def handle(
    u: Unit,
    kind: str,
    issued: dt.datetime,
    *,
    center: Any,
    category: Any = None,
    sign: float | None = None,
    feedback: float | None = None,
    accept: float | None = None,
    back: float | None = None,
    again: float | None = None,
    cancel: float | None = None,
) -> Instruction:
    """Issue to the unit and play its life; each step in minutes after the issue."""
    i = issue(kind=kind, by=center, station=u.station, category=category, now=issued)

    def t(m: float) -> dt.datetime:
        return issued + dt.timedelta(minutes=m)

    if cancel is not None:
        return instruction_cancel(instruction=i, actor=center.user, reason="重复", now=t(cancel))
    if sign is not None:
        instruction_sign_off(instruction=i, actor=u.room.user, officer=u.officer, now=t(sign))
    if feedback is not None:
        instruction_submit_feedback(instruction=i, actor=u.officer.user, answers=GOOD_ANSWERS, now=t(feedback))
    if back is not None:
        instruction_return(instruction=i, actor=center.user, comment="补充走访情况", now=t(back))
        if again is not None:
            instruction_submit_feedback(instruction=i, actor=u.officer.user, answers=GOOD_ANSWERS, now=t(again))
    if accept is not None:
        instruction_accept(instruction=i, actor=center.user, now=t(accept))
    i.refresh_from_db()
    return i


@pytest.fixture
def world(cast) -> World:
    """Three police stations and two patrol posts, a week of known instructions (see each line)."""
    three = CategoryFactory(code="neighbour3", name="邻里纠纷", feedback_hours=3)  # feedback due 3 h after sign-off
    third = StationFactory(code="third", name="前进派出所")
    p_post = StationFactory(code="post-p", name="前进一路警务站", kind=Station.Kind.PATROL_POST)
    q_post = StationFactory(code="post-q", name="汉口站警务站", kind=Station.Kind.PATROL_POST)

    def staff(station: Station, field_role: str = Role.COMMUNITY_OFFICER) -> Unit:
        return Unit(
            station, make_officer(Role.COMMAND_ROOM, station=station), make_officer(field_role, station=station)
        )

    a = Unit(cast.home, cast.command_room, cast.officer)
    b = Unit(cast.neighbour, cast.neighbour_command_room, cast.neighbour_officer)
    c = staff(third)
    p = staff(p_post, Role.PATROL_OFFICER)
    q = staff(q_post, Role.PATROL_OFFICER)
    go = {"center": cast.center}

    # A: four instructions received, and a standard task due in the week.
    handle(a, "dispute", at(1, 9), category=three, sign=10, feedback=120, accept=130, **go)  # all on time
    handle(a, "dispute", at(2, 10), category=three, sign=40, feedback=40 + 200, **go)  # sign 10 late, feedback 20 late
    handle(a, "revisit", at(3, 11), category=three, sign=5, feedback=60, accept=70, **go)  # a revisit done
    handle(a, "dispute", at(5, 14), category=three, sign=15, feedback=90, back=100, again=150, **go)  # returned once
    handle(a, "standard_task", at(4, 12), sign=20, feedback=100, **go)  # due Friday 12:20 (24 h), answered on time
    handle(a, "standard_task", at(7, 20), sign=1, **go)  # due the next Monday: not this week's
    # Outside the week: the Sunday before at 23:59:59 and the next Monday at 00:00:00.
    handle(a, "dispute", at(0, 23, 59, 59), category=three, **go)
    handle(a, "dispute", at(8, 0), category=three, **go)

    # B: five, one cancelled in time, one never signed, one whose feedback is due after the snapshot.
    handle(b, "dispute", at(1, 8), category=three, sign=30, feedback=30 + 170, accept=210, **go)  # at the due minute
    handle(b, "dispute", at(6, 22), category=three, **go)  # never signed off: overdue since Saturday 22:30
    late = handle(b, "dispute", at(7, 23), sign=20, **go)  # 24-hour feedback, due Monday 23:20
    handle(b, "dispute", at(3, 9), category=three, cancel=10, **go)  # cancelled before its sign-off was due
    handle(b, "revisit", at(4, 9), category=three, sign=10, feedback=60, **go)  # awaiting acceptance: not done
    handle(b, "standard_task", at(0, 9), sign=60, **go)  # issued the week before, due Monday 10:00, never answered

    # C: two; the second missed its feedback deadline, was returned and then answered on time.
    handle(c, "dispute", at(2, 9), category=three, sign=35, feedback=100, accept=110, **go)  # sign 5 late
    handle(c, "dispute", at(3, 9), category=three, sign=10, feedback=200, back=210, again=240, **go)

    # Patrol post P: two alerts acknowledged in 2 and 6 minutes, and a late dispute feedback.
    handle(p, "intelligence", at(1, 23, 28), sign=2, feedback=60, accept=70, **go)
    handle(p, "interception", at(3, 10), sign=6, feedback=30, **go)
    handle(p, "dispute", at(4, 10), category=three, sign=10, feedback=10 + 200, **go)  # feedback 20 late
    # Patrol post Q: an alert acknowledged 15 minutes late, one never acknowledged.
    handle(q, "intelligence", at(2, 3), sign=45, feedback=105, **go)
    handle(q, "intelligence", at(5, 20), **go)
    return World(a, b, c, p, q, cast.center, late)


def rows_by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["station"]: r for r in rows}


def signed_in(who: Any) -> Client:
    client = Client()
    client.force_login(getattr(who, "user", who))
    return client
