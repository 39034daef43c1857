"""Who is told what: the recipients of each notice, looked up in one query, written in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from stations import permissions
from stations.models import Officer
from stations.roles import Role

from .models import Notification


@dataclass
class Recipients:
    """Users by role: per station for station roles, district-wide for the center's. `command_room` holds
    who signs off at a station (its command room, a post's duty desk), `duty_leader` who leads it (its duty
    leader, a post's chief): `stations.permissions` answers both."""

    command_room: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    duty_leader: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    supervisors: list[int] = field(default_factory=list)
    center: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, station_ids: Iterable[int]) -> Recipients:
        station_ids = set(station_ids)
        found = cls()
        if not station_ids:
            return found
        rows = (
            Officer.objects.filter(is_active=True, user__is_active=True)
            .filter(
                Q(station_id__in=station_ids, role__in=[*permissions.sign_off_roles(), *permissions.lead_roles()])
                | Q(role__in=[Role.SUPERVISOR, Role.CENTER_STAFF], is_auxiliary=False)
            )
            .order_by("user_id")
            .values_list("user_id", "role", "station_id")
        )
        for user_id, role, station_id in rows:
            if role in permissions.sign_off_roles():
                found.command_room[station_id].append(user_id)
            elif role in permissions.lead_roles():
                found.duty_leader[station_id].append(user_id)
            elif role == Role.SUPERVISOR:
                found.supervisors.append(user_id)
            else:
                found.center.append(user_id)
        return found

    def center_for(self, issued_by_id: int | None) -> list[int]:
        """The center person answerable for an instruction: its issuer, else every center officer."""
        return [issued_by_id] if issued_by_id else self.center


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    kind: str
    instruction_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)


def send(notices: Iterable[Notice], *, now: datetime) -> list[Notification]:
    """Write the notices, one per (recipient, kind, instruction)."""
    unique = {(n.recipient_id, n.kind, n.instruction_id): n for n in notices}
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=n.recipient_id, kind=n.kind, instruction_id=n.instruction_id, created_at=now, payload=n.payload
        )
        for n in unique.values()
    )


def send_with_digest(notices: Iterable[Notice], *, now: datetime, threshold: int) -> list[Notification]:
    """Like `send`, but a person owed more than `threshold` notices gets one digest listing them."""
    by_person: dict[int, list[Notice]] = defaultdict(list)
    for n in notices:
        by_person[n.recipient_id].append(n)
    out: list[Notice] = []
    for person, theirs in by_person.items():
        if len(theirs) <= threshold:
            out.extend(theirs)
            continue
        counts: dict[str, int] = defaultdict(int)
        for n in theirs:
            counts[n.kind] += 1
        items = [{"kind": n.kind, "instruction": n.instruction_id, **n.payload} for n in theirs]
        out.append(Notice(person, Notification.Kind.DIGEST, None, {"counts": dict(counts), "items": items}))
    return send(out, now=now)


def settle(instruction_id: int, kinds: Iterable[str], *, now: datetime) -> int:
    """The instruction no longer needs what these notices asked for: mark them read, for everyone told."""
    told = Notification.objects.filter(instruction_id=instruction_id, kind__in=list(kinds), read_at__isnull=True)
    return told.update(read_at=now)
