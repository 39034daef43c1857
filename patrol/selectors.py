"""Every read of patrol posts that a page, the API or another app needs, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stations import permissions
from stations.models import Officer, PatrolUnit, Station
from stations.scoping import scope_of

from .models import Shift, UnitStatus
from .transitions import next_statuses


def post_for(user: Any, code: str) -> Station:
    """The patrol post with `code`, or 404 when it is not a post or outside the user's scope."""
    return get_object_or_404(Station.objects.visible_to(user).filter(kind=Station.Kind.PATROL_POST), code=code)


def units_for(user: Any, *, post: Station | None = None, now: datetime | None = None) -> QuerySet[PatrolUnit]:
    """The units the user sees (of one post, if given), each with its state, its members (`members`: police
    officers first, then auxiliaries) and its shifts not yet over (`coming_shifts`): three queries."""
    now = now or timezone.now()
    members = Officer.objects.filter(is_active=True).order_by("is_auxiliary", "name", "pk")
    shifts = Shift.objects.filter(ends_at__gt=now).order_by("starts_at", "pk")
    units = PatrolUnit.objects.visible_to(user)
    if post is not None:
        units = units.filter(station=post)
    return (
        units.select_related("station", "state")
        .prefetch_related(
            Prefetch("officers", queryset=members, to_attr="members"),
            Prefetch("shifts", queryset=shifts, to_attr="coming_shifts"),
        )
        .order_by("station__code", "code")
    )


def status_of(unit: PatrolUnit) -> str:
    """A unit's status: off duty until its first change."""
    state = getattr(unit, "state", None)
    return state.status if state is not None else UnitStatus.OFF_DUTY


def since_of(unit: PatrolUnit) -> datetime | None:
    state = getattr(unit, "state", None)
    return state.since if state is not None else None


@dataclass(frozen=True)
class PhoneUnit:
    """The patrol officer's unit as his phone shows it: its status and the one-tap moves from there."""

    unit: PatrolUnit
    status: str
    label: str
    since: datetime | None
    moves: list[tuple[str, str]]  # (status, label)


def phone_unit(user: Any) -> PhoneUnit | None:
    """The unit of the signed-in patrol officer (one query), None for everybody else (no query)."""
    officer = scope_of(user).officer
    if officer is None or officer.patrol_unit_id is None or not permissions.is_field_officer(officer):
        return None
    unit = PatrolUnit.objects.select_related("state").filter(pk=officer.patrol_unit_id).first()
    if unit is None:
        return None
    status = status_of(unit)
    moves = [(s, UnitStatus(s).label) for s in next_statuses(status)]
    return PhoneUnit(unit, status, UnitStatus(status).label, since_of(unit), moves)


def may_set_status(user: Any, unit: PatrolUnit) -> bool:
    return permissions.sets_unit_status(scope_of(user).officer, unit_id=unit.pk, station_id=unit.station_id)
