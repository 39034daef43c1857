"""Reads of the dispatch engine for views, the API and other apps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, DateTimeField, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from stations.models import Officer
from stations.scoping import scope_of

from . import kinds, policy
from .models import Instruction, InstructionEvent, Notification, NotificationQuerySet

S = Instruction.Status


def overdue_q(now: datetime) -> Q:
    """Running against a deadline that has passed."""
    return Q(status=S.ISSUED, sign_off_due__lt=now) | Q(status__in=Instruction.FEEDBACK_OPEN, feedback_due__lt=now)


def instructions_for(user: Any) -> QuerySet[Instruction]:
    """Every instruction the user may see, with what a list row shows."""
    return Instruction.objects.visible_to(user).select_related(
        "station", "officer__user", "answer_sheet", *kinds.subject_related()
    )


def instruction_detail(user: Any) -> QuerySet[Instruction]:
    """As `instructions_for`, with the timeline and the milestones."""
    events = InstructionEvent.objects.select_related("actor__officer").order_by("at", "pk")
    return instructions_for(user).prefetch_related(Prefetch("events", queryset=events), "milestones")


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


def assignable_officers(station_id: int, community_id: int | None = None) -> QuerySet[Officer]:
    """The officers a command room may hand work to; those who cover `community_id` first."""
    qs = Officer.objects.filter(station_id=station_id, role__in=policy.assignable_roles(), is_active=True)
    if community_id is None:
        return qs.select_related("user").order_by("name", "user__username")
    covers = Officer.communities.through.objects.filter(officer_id=OuterRef("pk"), community_id=community_id)
    return qs.select_related("user").annotate(covers=Exists(covers)).order_by("-covers", "name", "user__username")


def covering(officers: list[Officer], community_id: int | None) -> list[Officer]:
    """Those of `officers` (carrying `community_ids`) who cover the community, in their order."""
    return [o for o in officers if community_id is not None and community_id in o.community_ids]  # type: ignore[attr-defined]


def with_community_ids(officers: QuerySet[Officer]) -> list[Officer]:
    """The officers, each with the set of community ids he covers (one query more, whatever the number)."""
    found = list(officers.prefetch_related("communities"))
    for officer in found:
        officer.community_ids = {c.pk for c in officer.communities.all()}  # type: ignore[attr-defined]
    return found


def case_of(user: Any, instruction: Instruction) -> list[Instruction]:
    """The other instructions of the instruction's case (siblings), as far as the user sees."""
    if instruction.case_id is None:
        return []
    return list(
        Instruction.objects.visible_to(user)
        .filter(Q(pk=instruction.case_id) | Q(case_id=instruction.case_id))
        .exclude(pk=instruction.pk)
        .select_related("officer", "station")
        .order_by("pk")
    )


def may(user: Any, verb: str, instruction: Instruction) -> bool:
    """Whether `user` may apply `verb` to `instruction` now (for showing buttons)."""
    from .transitions import TRANSITIONS

    if instruction.status not in TRANSITIONS[verb].sources:
        return False
    return Instruction.objects.filter(policy.actionable(user, verb), pk=instruction.pk).exists()


def notifications_for(user: Any) -> NotificationQuerySet:
    """The user's own notifications about instructions still in the user's scope (an officer who moved
    station no longer reads about his old station's work); digests and notices without an instruction stay."""
    mine = Notification.objects.filter(recipient=user)
    if not scope_of(user).is_district:
        visible = Instruction.objects.visible_to(user).values("pk")
        mine = mine.filter(Q(instruction__isnull=True) | Q(instruction__in=visible))
    return mine.select_related("instruction")


def unread_count(user: Any) -> int:
    return notifications_for(user).unread().count()
