"""The kinds of work about incidents, registered with the engine (`tasks.kinds`).

A dispute instruction and a revisit are about an incident: the incident's category gives the feedback
window (3, 6, 9 or 24 hours) and may leave the feedback to the station's duty leader; notices name the
incident's number, category and community. `about_incident` builds such a kind, so that the center's
other free-form kinds (issued with an incident or a category through POST /instructions/) behave alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stations.roles import Role
from tasks import kinds

if TYPE_CHECKING:
    from stations.models import Officer
    from tasks.models import Instruction
    from tasks.notify import Recipients

DISPUTE = "dispute"
REVISIT = "revisit"


def category_reviews(officer: Officer) -> Q | None:
    """A duty leader accepts or returns his station's feedback of the categories that leave it to him."""
    if officer.role == Role.DUTY_LEADER:
        return Q(station_id=officer.station_id, category__accepted_by="duty_leader")
    return None


def category_reviewers(instruction: Instruction, recipients: Recipients) -> list[int]:
    category = instruction.category
    if category is not None and category.accepted_by == "duty_leader":
        return recipients.duty_leader[instruction.station_id]
    return []  # the center


def category_window(instruction: Instruction) -> timedelta | None:
    category = instruction.category
    return timedelta(hours=category.feedback_hours) if category is not None and category.feedback_hours else None


def incident_subject(instruction: Instruction) -> list[str]:
    """The incident's number (or the instruction's own #), its category and community. No personal data."""
    incident = instruction.incident
    parts = [incident.number if incident is not None else f"#{instruction.pk}"]
    if instruction.category is not None:
        parts.append(instruction.category.name)
    if incident is not None and incident.community_id:
        parts.append(incident.community.name)
    return parts


def about_incident(code: str, label: Any, **more: Any) -> kinds.KindOfWork:
    return kinds.KindOfWork(
        code,
        label,
        reviews=category_reviews,
        reviewers=category_reviewers,
        feedback_window=category_window,
        subject=incident_subject,
        subject_related=("incident__community", "category"),
        **more,
    )


def register() -> None:
    kinds.register(about_incident(DISPUTE, _("Dispute")))
    kinds.register(about_incident(REVISIT, _("Revisit")))
