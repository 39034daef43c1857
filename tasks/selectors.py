"""Reads of the dispatch engine for views, the API and other apps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, DateTimeField, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from stations.models import Officer
from stations.scoping import scope_of

from . import policy
from .models import Instruction, InstructionEvent, Notification

S = Instruction.Status


def overdue_q(now: datetime) -> Q:
    """Running against a deadline that has passed."""
    return Q(status=S.ISSUED, sign_off_due__lt=now) | Q(status__in=Instruction.FEEDBACK_OPEN, feedback_due__lt=now)


def instructions_for(user: Any) -> QuerySet[Instruction]:
    """Every instruction the user may see, with what a list row shows."""
    return Instruction.objects.visible_to(user).select_related(
        "station", "category", "officer__user", "incident__category", "answer_sheet"
    )


def instruction_detail(user: Any) -> QuerySet[Instruction]:
    """As `instructions_for`, with the timeline."""
    events = InstructionEvent.objects.select_related("actor").order_by("at", "pk")
    return instructions_for(user).prefetch_related(Prefetch("events", queryset=events))


def with_urgency(qs: QuerySet[Instruction], now: datetime | None = None) -> QuerySet[Instruction]:
    """Overdue first, then by the deadline each instruction runs against now (none: last)."""
    now = now or timezone.now()
    return qs.annotate(
        overdue_rank=Case(When(overdue_q(now), then=Value(0)), default=Value(1), output_field=IntegerField()),
        running_due=Case(
            When(status=S.ISSUED, then=F("sign_off_due")),
            When(status__in=Instruction.FEEDBACK_OPEN, then=F("feedback_due")),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    ).order_by("overdue_rank", F("running_due").asc(nulls_last=True), "pk")


def station_queue(user: Any, station_id: int) -> QuerySet[Instruction]:
    """The command room's open instructions of one station, overdue first."""
    return with_urgency(instructions_for(user).filter(station_id=station_id, status__in=Instruction.OPEN_STATUSES))


def assignable_officers(station_id: int) -> QuerySet[Officer]:
    return (
        Officer.objects.filter(station_id=station_id, role__in=policy.assignable_roles(), is_active=True)
        .select_related("user")
        .order_by("name", "user__username")
    )


def may(user: Any, verb: str, instruction: Instruction) -> bool:
    """Whether `user` may apply `verb` to `instruction` now (for showing buttons)."""
    from .transitions import TRANSITIONS

    if instruction.status not in TRANSITIONS[verb].sources:
        return False
    return Instruction.objects.filter(policy.actionable(user, verb), pk=instruction.pk).exists()


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications about instructions still in the user's scope (an officer who moved
    station no longer reads about his old station's work); digests and notices without an instruction stay."""
    mine = Notification.objects.filter(recipient=user)
    if not scope_of(user).is_district:
        visible = Instruction.objects.visible_to(user).values("pk")
        mine = mine.filter(Q(instruction__isnull=True) | Q(instruction__in=visible))
    return mine.select_related("instruction")


def visible_payload(user: Any, notification: Notification) -> dict[str, Any]:
    """The notification's payload; a digest lists only the instructions the user may still see."""
    payload = notification.payload or {}
    items = payload.get("items") if isinstance(payload, dict) else None
    if not items or scope_of(user).is_district:
        return payload
    ids = {item.get("instruction") for item in items if isinstance(item, dict)}
    found = Instruction.objects.visible_to(user).filter(pk__in=[i for i in ids if i])
    visible = set(found.values_list("pk", flat=True))
    kept = [item for item in items if isinstance(item, dict) and item.get("instruction") in visible]
    counts: dict[str, int] = {}
    for item in kept:
        counts[item.get("kind", "")] = counts.get(item.get("kind", ""), 0) + 1
    return {**payload, "items": kept, "counts": counts}


def unread_count(user: Any) -> int:
    return notifications_for(user).unread().count()


def open_instruction_for(incident_id: int, kind: str) -> Instruction | None:
    """The incident's open instruction of this kind, if any (the oldest)."""
    return Instruction.objects.filter(incident_id=incident_id, kind=kind).open().order_by("issued_at", "pk").first()
