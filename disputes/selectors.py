"""Reads of incidents, their repeat history and what followed them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from tasks.models import Instruction, InstructionEvent

from .models import Dispatch, FollowUp, Incident, Push, RepeatGroup, RepeatLink


def incidents_for(user: Any) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user).select_related("category", "community", "station")


def history_of(incident: Incident, user: Any, *, limit: int = 50) -> list[Incident]:
    """Earlier incidents in the same repeat groups (same caller or same place) that `user` may see, oldest first.

    A nested collection follows the same scope rule as the top level: a neighbour station's calls stay out."""
    return list(
        Incident.objects.visible_to(user)
        .filter(repeat_links__group__links__incident=incident)
        .exclude(pk=incident.pk)
        .filter(received_at__lte=incident.received_at)
        .select_related("category")
        .distinct()
        .order_by("received_at", "pk")[:limit]
    )


def repeat_links_of(incident_ids: list[int]) -> list[tuple[int, int]]:
    """(repeat group, incident) for the given incidents: which of them belong to one caller or one place."""
    return list(RepeatLink.objects.filter(incident_id__in=incident_ids).values_list("group_id", "incident_id"))


def groups_of(incident: Incident) -> QuerySet[RepeatGroup]:
    members = Incident.objects.select_related("category").order_by("received_at", "pk")
    return (
        RepeatGroup.objects.filter(links__incident=incident)
        .select_related("revisit")
        .prefetch_related(Prefetch("incidents", queryset=members))
        .order_by("kind", "pk")
    )


def instructions_of(incident: Incident, user: Any) -> QuerySet[Instruction]:
    """The instructions about the incident that `user` may see, with their timelines."""
    events = InstructionEvent.objects.select_related("actor__officer").order_by("at", "pk")
    return (
        Instruction.objects.visible_to(user)
        .filter(dispatch__incident=incident)
        .select_related("officer", "station")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("issued_at", "pk")
    )


def pushes_for(user: Any) -> QuerySet[Push]:
    return Push.objects.visible_to(user).select_related("community", "subdistrict", "incident__category", "instruction")


def may_reveal(user: Any, incident: Incident) -> bool:
    """The roles that need a caller's full phone and ID, and the officer assigned to follow the incident up."""
    from stations.roles import PERSONAL_DATA_ROLES
    from stations.scoping import scope_of

    officer = scope_of(user).officer
    if officer is None:
        return False
    if officer.role in PERSONAL_DATA_ROLES:
        return True
    return Instruction.objects.filter(
        dispatch__incident=incident, officer=officer, status__in=Instruction.OPEN_STATUSES
    ).exists()


def callers_shown(user: Any, incident_ids: Any = None) -> bool | set[int]:
    """Whose callers' names `user` sees in full: True for the roles that act on incidents, else the ids of
    the incidents the user holds an item about (an officer on his own items); masked for everyone else."""
    from stations.scoping import scope_of
    from tasks.policy import sees_caller

    if sees_caller(user):
        return True
    officer = scope_of(user).officer
    if officer is None:
        return set()
    mine = Dispatch.objects.filter(instruction__officer=officer, incident__isnull=False)
    if incident_ids is not None:
        mine = mine.filter(incident_id__in=incident_ids)
    return set(mine.values_list("incident_id", flat=True))


def caller_name_for(user: Any, incident: Incident) -> str:
    """The caller's name as `user` may see it (see `callers_shown`)."""
    from stations.masking import mask_name

    shown = callers_shown(user, [incident.pk])
    return incident.caller_name if shown is True or incident.pk in shown else mask_name(incident.caller_name)


def follow_ups_of(incident: Incident) -> QuerySet[FollowUp]:
    """The revisits asked for on a date about this incident: scheduled ones and those already issued."""
    return (
        FollowUp.objects.filter(incident=incident)
        .select_related("requested_by__officer", "issued")
        .order_by("due_on", "pk")
    )


def scheduled_for(officer_id: int | None) -> QuerySet[FollowUp]:
    """The follow-up revisits an officer asked for that are not issued yet, soonest first."""
    return (
        FollowUp.objects.filter(requested_by__officer_id=officer_id, issued_at__isnull=True)
        .select_related("incident__category", "requested_by")
        .order_by("due_on", "pk")
    )


def open_instruction_for(incident_id: int, kind: str) -> Instruction | None:
    """The incident's open instruction of this kind, if any (the oldest)."""
    return (
        Instruction.objects.filter(dispatch__incident_id=incident_id, kind=kind)
        .open()
        .order_by("issued_at", "pk")
        .first()
    )


def dispatch_of(instruction: Instruction) -> Dispatch | None:
    """What an instruction is about, if it is of a kind about incidents (its Dispatch row), else None."""
    try:
        return instruction.dispatch  # type: ignore[attr-defined,no-any-return]
    except Dispatch.DoesNotExist:
        return None


def incident_of(instruction: Instruction) -> Incident | None:
    """The incident an instruction is about, if any."""
    link = dispatch_of(instruction)
    return link.incident if link is not None else None
