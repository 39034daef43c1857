"""The standard task as a kind of work, registered with the engine (`tasks.kinds`): departments and the
internal-security brigade issue it (only through its own flow: a standard task's issue, straight to the
officers), and its feedback goes to everyone whose issue it answers (merged asks included)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from stations.roles import Role
from tasks import kinds

if TYPE_CHECKING:
    from stations.models import Officer
    from tasks.models import Instruction
    from tasks.notify import Recipients

STANDARD_TASK = "standard_task"


def _department(officer: Officer) -> bool:
    """A department's staff and the internal-security brigade issue standard tasks (their department's)."""
    return officer.role in (Role.DEPARTMENT_STAFF, Role.INTERNAL_SECURITY) and officer.department_id is not None


def _requesters(instruction: Instruction, recipients: Recipients) -> list[int]:
    """Everyone whose issue a standard-task instruction answers (merged asks included)."""
    from .models import StandardTaskRequest

    issuers = StandardTaskRequest.objects.filter(occurrence__instruction=instruction, issue__issued_by__isnull=False)
    return sorted(set(issuers.values_list("issue__issued_by_id", flat=True)))


def register() -> None:
    kinds.register(
        kinds.KindOfWork(
            STANDARD_TASK, _("Standard task"), issuers=_department, issued_directly=False, reviewers=_requesters
        )
    )
