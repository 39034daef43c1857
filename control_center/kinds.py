"""The center's own kinds of work, registered with the engine (`tasks.kinds`).

Rectifications are ordered by the supervision post, which also reviews them. Verification, intelligence
and interception instructions are issued by the center into a station's queue (with an incident or a
category, through POST /instructions/) until their workflows (enterprises, patrol posts) register them
with flows of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disputes.kinds import about_incident
from stations.roles import Role
from tasks import kinds

if TYPE_CHECKING:
    from stations.models import Officer

RECTIFICATION = "rectification"


def _supervisor(officer: Officer) -> bool:
    return officer.role == Role.SUPERVISOR


def _supervisor_reviews(officer: Officer) -> Q | None:
    return Q() if officer.role == Role.SUPERVISOR else None


def register() -> None:
    kinds.register(about_incident("verification", _("Verification")))
    kinds.register(about_incident("intelligence", _("Intelligence")))
    kinds.register(about_incident("interception", _("Interception")))
    kinds.register(
        kinds.KindOfWork(RECTIFICATION, _("Rectification"), issuers=_supervisor, reviews=_supervisor_reviews)
    )
