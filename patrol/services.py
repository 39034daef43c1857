"""Every write of patrol posts: a unit's status (one service, the transition table in `transitions.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from stations import permissions
from stations.models import PatrolUnit
from stations.scoping import scope_of

from .models import UnitState, UnitStatus, UnitStatusEvent
from .transitions import StatusNotAllowed, check

NOTE_LENGTH = 200


@transaction.atomic
def unit_set_status(
    *, unit: PatrolUnit | int, actor: Any, status: str, note: str = "", now: datetime | None = None
) -> UnitState:
    """Move a unit to `status`: its member, its post's desk or its chief; anybody else finds no such unit
    (`PatrolUnit.DoesNotExist`, a 404). A move the table does not allow raises `StatusNotAllowed` (409).
    Locks the unit, saves the state with `update_fields` and writes the event (who, when, from, to, why)."""
    now = now or timezone.now()
    unit_id = unit.pk if isinstance(unit, PatrolUnit) else unit
    locked = PatrolUnit.objects.select_for_update().filter(pk=unit_id).first()
    officer = scope_of(actor).officer
    if locked is None or not permissions.sets_unit_status(officer, unit_id=locked.pk, station_id=locked.station_id):
        raise PatrolUnit.DoesNotExist
    state = UnitState.objects.filter(unit=locked).first()  # the unit's lock covers its state
    current = state.status if state is not None else UnitStatus.OFF_DUTY
    if status not in UnitStatus.values:
        raise StatusNotAllowed(current, status)
    check(current, status)
    if state is None:
        state = UnitState.objects.create(unit=locked, status=status, since=now, changed_by=actor)
    else:
        state.status, state.since, state.changed_by = status, now, actor
        state.save(update_fields=["status", "since", "changed_by"])
    UnitStatusEvent.objects.create(
        unit=locked, at=now, actor=actor, from_status=current, to_status=status, note=note.strip()[:NOTE_LENGTH]
    )
    return state
