"""Who may do what to an instruction. Each verb narrows the instructions a user may act on;
anything else answers 404, like anything outside scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stations.roles import PERSONAL_DATA_ROLES, Role
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


def may_issue_directly(user: Any, kind: str = "") -> bool:
    """A free-form instruction into a station's queue (POST /instructions/, the incident pages): the center,
    and the supervision post its rectifications. Departments and the internal-security brigade issue their
    work only through the standard-task flow (`may_issue_task`)."""
    scope = scope_of(user)
    officer = scope.officer
    if user.is_superuser or (officer is not None and officer.role == Role.CENTER_STAFF):
        return True
    return kind == "rectification" and officer is not None and officer.role == Role.SUPERVISOR


def may_issue_task(user: Any, version: Any) -> bool:
    """A standard task (a version of it): the center any; a department or the brigade only the tasks its
    department leads or co-leads (the departments that use the answers)."""
    officer = scope_of(user).officer
    if user.is_superuser or (officer is not None and officer.role == Role.CENTER_STAFF):
        return True
    if not may_issue(user, "standard_task") or officer is None:
        return False
    if version.lead_department_id == officer.department_id:
        return True
    return version.consumers.filter(pk=officer.department_id).exists()


def sees_caller(user: Any, assigned_officer_id: int | None = None) -> bool:
    """Whether the caller's name (like the phone, personal data) shows in full: the roles that act on
    incidents (center staff, command room, duty leader) and an officer on his own item. Supervisors,
    departments, auditors and the brigade see it masked (docs/access.md)."""
    officer = scope_of(user).officer
    if officer is None or not officer.is_active:
        return False
    if officer.role in PERSONAL_DATA_ROLES:
        return True
    return assigned_officer_id is not None and assigned_officer_id == officer.pk


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
