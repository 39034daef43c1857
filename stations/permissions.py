"""The one home of role checks: who is the center, who sees personal data, who reads the audit, who
ranks, who supervises, who acknowledges pushes, whom a command room may hand work to.

Each check is a question about a user (or his officer profile), answered from the role on the profile;
apps ask here instead of comparing roles themselves. What an instruction's verbs allow is the engine's
`tasks/policy.py`, built on these; what a kind of work adds (its issuers, its reviewers) is registered
with the engine by the app that owns the kind (`tasks/kinds.py`).
"""

from __future__ import annotations

from typing import Any

from .models import Officer
from .roles import AREA_ROLES, FIELD_ROLES, LEAD_ROLES, PERSONAL_DATA_ROLES, SIGN_OFF_ROLES, STATION_ROLES, Role
from .scoping import scope_of


def _officer(user: Any) -> Officer | None:
    return scope_of(user).officer


def _superuser(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def is_center(user: Any) -> bool:
    """Control-center staff (or the superuser): they issue and dispatch every kind of work."""
    officer = _officer(user)
    return _superuser(user) or (officer is not None and officer.role == Role.CENTER_STAFF)


def is_center_staff(officer: Officer | None) -> bool:
    """The profile is control-center staff (a person, not the superuser)."""
    return officer is not None and officer.role == Role.CENTER_STAFF


def is_supervisor(user: Any) -> bool:
    """The supervision post (or the superuser): spot checks and rectification orders."""
    officer = _officer(user)
    return _superuser(user) or (officer is not None and officer.role == Role.SUPERVISOR)


def sees_rankings(user: Any) -> bool:
    """The district-wide weekly rankings: supervisors and center staff (and the superuser)."""
    if _superuser(user):
        return True
    officer = _officer(user)
    return officer is not None and officer.role in (Role.SUPERVISOR, Role.CENTER_STAFF)


def station_role_officer(user: Any) -> Officer | None:
    """The officer profile of a station's command room, duty leader, post chief or duty desk (their own
    station's pages)."""
    officer = _officer(user)
    if officer is None or officer.role not in STATION_ROLES or officer.station_id is None:
        return None
    return officer


def signs_off(officer: Officer | None) -> bool:
    """The people who sign off at a station: its command room, or a patrol post's duty desk (值班台)."""
    return officer is not None and officer.station_id is not None and officer.role in SIGN_OFF_ROLES


def leads_station(officer: Officer | None) -> bool:
    """The people who lead a station: its duty leader, or a patrol post's chief (站长)."""
    return officer is not None and officer.station_id is not None and officer.role in LEAD_ROLES


def sets_unit_status(officer: Officer | None, *, unit_id: int, station_id: int) -> bool:
    """A patrol unit's status is set by its members (on their phones), its post's duty desk and its chief."""
    if officer is None or not officer.is_active:
        return False
    if officer.role == Role.PATROL_OFFICER and officer.patrol_unit_id == unit_id:
        return True
    return officer.station_id == station_id and (signs_off(officer) or leads_station(officer))


def sign_off_roles() -> tuple[str, ...]:
    """The roles told of new work at a station and reminded of its sign-off, in a stable order."""
    return (Role.COMMAND_ROOM, Role.DUTY_DESK)  # SIGN_OFF_ROLES


def lead_roles() -> tuple[str, ...]:
    """The roles an overdue station's work escalates to, in a stable order."""
    return (Role.DUTY_LEADER, Role.POST_CHIEF)  # LEAD_ROLES


def may_read_audit_log(user: Any) -> bool:
    """Auditors (and the superuser) read the security audit log."""
    if _superuser(user):
        return True
    officer = _officer(user)
    return officer is not None and officer.role == Role.AUDITOR


def sees_personal_data(user: Any, assigned_officer_id: int | None = None) -> bool:
    """Whether a caller's name, phone and ID show in full: the roles that act on incidents (center staff,
    command room, duty leader, a post's desk and chief) and an officer on an item assigned to him.
    Supervisors, departments, auditors and the brigade see them masked (docs/access.md)."""
    officer = _officer(user)
    if officer is None or not officer.is_active:
        return False
    if officer.role in PERSONAL_DATA_ROLES:
        return True
    return assigned_officer_id is not None and assigned_officer_id == officer.pk


def is_area_worker(user: Any) -> bool:
    """A subdistrict or community worker: the people who acknowledge outcomes pushed to their area."""
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None  # no scope of their own
    return officer is not None and officer.is_active and officer.role in AREA_ROLES


def is_field_officer(officer: Officer | None) -> bool:
    """A community or patrol officer: the phone is his desk."""
    return officer is not None and officer.role in FIELD_ROLES


def is_supervisor_profile(officer: Officer | None) -> bool:
    """The profile is the supervision post's (a person): the rankings are his start page."""
    return officer is not None and officer.role == Role.SUPERVISOR


def assignable_roles() -> tuple[str, ...]:
    """The roles a command room may hand an instruction to."""
    return (Role.COMMUNITY_OFFICER, Role.PATROL_OFFICER)  # FIELD_ROLES, in a stable order


def may_be_assigned(officer: Officer | None, station_id: int | None) -> bool:
    """An active field officer of the given station."""
    return (
        officer is not None
        and officer.is_active
        and officer.station_id == station_id
        and officer.role in assignable_roles()
    )
