"""Who may do what to an instruction. Each verb narrows the instructions a user may act on;
anything else answers 404, like anything outside scope.

Role checks come from `stations.permissions`; what a kind of work adds (who besides the center issues
it, who besides the center reviews its feedback) comes from the kind's registration (`kinds.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stations import permissions
from stations.scoping import scope_of

from . import kinds

NOTHING = Q(pk__in=[])


def may_issue(user: Any, kind: str = "") -> bool:
    """The center issues every kind; others the kinds that register them as issuers."""
    if permissions.is_center(user):
        return True
    officer = scope_of(user).officer
    return bool(kind) and officer is not None and kinds.get(kind).issuers(officer)


def may_issue_directly(user: Any, kind: str = "") -> bool:
    """A free-form instruction into a station's queue (POST /instructions/, the incident pages): the center,
    and the issuers of a kind that is issued that way (the supervision post its rectifications). Kinds with
    a flow of their own (a standard task's issue) are issued only through it."""
    return permissions.is_center(user) or (bool(kind) and kinds.get(kind).issued_directly and may_issue(user, kind))


def sees_caller(user: Any, assigned_officer_id: int | None = None) -> bool:
    """Whether the caller's name (like the phone, personal data) shows in full (`stations.permissions`)."""
    return permissions.sees_personal_data(user, assigned_officer_id)


def _reviews(officer: Any) -> Q:
    """The instructions an officer other than the center may accept or return: what the kinds register."""
    allowed = NOTHING
    for kind in kinds.all_kinds():
        narrowed = kind.reviews(officer) if kind.reviews is not None else None
        if narrowed is not None:
            allowed |= Q(kind=kind.code) & narrowed
    return allowed


def actionable(user: Any, verb: str) -> Q:
    """A filter on Instruction: the instructions `user` may apply `verb` to (status aside)."""
    officer = scope_of(user).officer
    if officer is None:
        return Q() if user.is_superuser and verb in ("accept", "return", "cancel") else NOTHING
    if verb == "sign_off":
        return Q(station_id=officer.station_id) if permissions.signs_off(officer) else NOTHING
    if verb == "submit_feedback":
        return Q(officer_id=officer.pk)
    if verb in ("accept", "return"):
        return Q() if permissions.is_center_staff(officer) else _reviews(officer)
    if verb == "cancel":
        return Q() if permissions.is_center_staff(officer) else NOTHING
    raise ValueError(verb)


def assignable_roles() -> tuple[str, ...]:
    """The roles a command room may hand an instruction to (`stations.permissions`)."""
    return permissions.assignable_roles()
