"""Who may do what to an instruction. Each verb narrows the instructions a user may act on;
anything else answers 404, like anything outside scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stations.roles import Role
from stations.scoping import scope_of

NOTHING = Q(pk__in=[])


def may_issue(user: Any, kind: str = "") -> bool:
    """The center issues every kind; a department's staff issue standard tasks too."""
    scope = scope_of(user)
    officer = scope.officer
    if user.is_superuser or (officer is not None and officer.role == Role.CENTER_STAFF):
        return True
    if kind == "rectification" and officer is not None and officer.role == Role.SUPERVISOR:
        return True  # the supervision post orders rectifications
    return (
        kind == "standard_task"
        and officer is not None
        and officer.role in (Role.DEPARTMENT_STAFF, Role.INTERNAL_SECURITY)
        and officer.department_id is not None
    )


def actionable(user: Any, verb: str) -> Q:
    """A filter on Instruction: the instructions `user` may apply `verb` to (status aside)."""
    scope = scope_of(user)
    officer = scope.officer
    if officer is None:
        return Q() if user.is_superuser and verb in ("accept", "return", "cancel") else NOTHING
    role = officer.role
    if verb == "sign_off":
        return Q(station_id=officer.station_id) if role == Role.COMMAND_ROOM else NOTHING
    if verb == "submit_feedback":
        return Q(officer_id=officer.pk)
    if verb in ("accept", "return"):
        if role == Role.CENTER_STAFF:
            return Q()
        if role == Role.SUPERVISOR:
            return Q(kind="rectification")
        if role == Role.DUTY_LEADER:
            return Q(station_id=officer.station_id, category__accepted_by="duty_leader")
        return NOTHING
    if verb == "cancel":
        return Q() if role == Role.CENTER_STAFF else NOTHING
    raise ValueError(verb)


def assignable_roles() -> tuple[str, ...]:
    """The roles a command room may hand an instruction to."""
    return (Role.COMMUNITY_OFFICER, Role.PATROL_OFFICER)
