"""Reads of incidents, their repeat history and what followed them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from tasks.models import Instruction, InstructionEvent

from .models import FollowUp, Incident, Push, RepeatGroup


def incidents_for(user: Any) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user).select_related("category", "community", "station")


def history_of(incident: Incident, *, limit: int = 50) -> list[Incident]:
    """Earlier incidents in the same repeat groups (same caller or same place), oldest first."""
    return list(
        Incident.objects.filter(repeat_links__group__links__incident=incident)
        .exclude(pk=incident.pk)
        .filter(received_at__lte=incident.received_at)
        .select_related("category")
        .distinct()
        .order_by("received_at", "pk")[:limit]
    )


def groups_of(incident: Incident) -> QuerySet[RepeatGroup]:
    members = Incident.objects.select_related("category").order_by("received_at", "pk")
    return (
        RepeatGroup.objects.filter(links__incident=incident)
        .select_related("revisit")
        .prefetch_related(Prefetch("incidents", queryset=members))
        .order_by("kind", "pk")
    )


def instructions_of(incident: Incident) -> QuerySet[Instruction]:
    events = InstructionEvent.objects.select_related("actor__officer").order_by("at", "pk")
    return (
        Instruction.objects.filter(incident=incident)
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
    return Instruction.objects.filter(incident=incident, officer=officer, status__in=Instruction.OPEN_STATUSES).exists()


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
