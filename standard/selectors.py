"""Reading standard tasks: the catalogue, the issues and what each asked for, and who issues them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from stations import permissions
from stations.models import Department
from stations.scoping import scope_of
from tasks import policy

from .kinds import STANDARD_TASK
from .models import StandardTask, StandardTaskIssue, StandardTaskOccurrence, StandardTaskRequest

# --- who issues ------------------------------------------------------------------------------------


def issuer_name(department: Department | None) -> str:
    return department.name if department is not None else _("Control center")


def issuing_department(user: Any) -> Department | None:
    """Who an issue by `user` is from: their department, or None for the center."""
    officer = scope_of(user).officer
    if officer is None or permissions.is_center_staff(officer):
        return None
    return officer.department


def may_manage(user: Any, issue: StandardTaskIssue) -> bool:
    """The center manages every issue; a department its own."""
    officer = scope_of(user).officer
    if permissions.is_center(user):
        return True
    return officer is not None and officer.department_id is not None and officer.department_id == issue.department_id


# --- issues ----------------------------------------------------------------------------------------


def issues_for(user: Any) -> QuerySet[StandardTaskIssue]:
    """Issues a user may see: the district's people see all of them."""
    if not scope_of(user).is_district:
        return StandardTaskIssue.objects.none()
    return StandardTaskIssue.objects.select_related(
        "task__current", "department", "issued_by", "officer", "station", "community"
    )


def issue_occurrences(issue: StandardTaskIssue) -> QuerySet[StandardTaskOccurrence]:
    """The occurrences an issue asked for, with who else asked for each (what was merged)."""
    requests = StandardTaskRequest.objects.select_related("issue__department").order_by("requested_at", "pk")
    return (
        StandardTaskOccurrence.objects.filter(requests__issue=issue)
        .select_related("instruction", "officer", "community", "version")
        .prefetch_related(Prefetch("requests", queryset=requests))
        .order_by("-period_start", "officer__name", "target_label", "pk")
    )


# --- the catalogue ---------------------------------------------------------------------------------


def catalogue_tasks() -> QuerySet[StandardTask]:
    """The tasks in use, with everything a catalogue row shows."""
    return (
        StandardTask.objects.filter(is_active=True, current__isnull=False)
        .select_related("current__lead_department", "current__answer_sheet")
        .prefetch_related("current__consumers")
        .order_by("code")
    )


def entry_of(task: StandardTask) -> dict[str, Any]:
    version = task.current
    assert version is not None  # noqa: S101  (catalogue_tasks() has only tasks with a version)
    return {
        "code": task.code,
        "name": version.name,
        "lead_department": version.lead_department.code,
        "basis": version.basis,
        "measures": version.measures,
        "work_standard": version.work_standard,
        "limit_unit": version.limit_unit,
        "limit_value": version.limit_value,
        "consumers": sorted(d.code for d in version.consumers.all()),
        "fields": version.answer_sheet.fields,
    }


def department_codes() -> dict[str, str]:
    """Department names and codes -> codes, for reading a workbook."""
    pairs = list(Department.objects.values_list("code", "name"))
    return {**{name: code for code, name in pairs}, **{code: code for code, _name in pairs}}


def may_issue_task(user: Any, version: Any) -> bool:
    """A standard task (a version of it): the center any; a department or the brigade only the tasks its
    department leads or co-leads (the departments that use the answers)."""
    if permissions.is_center(user):
        return True
    officer = scope_of(user).officer
    if not policy.may_issue(user, STANDARD_TASK) or officer is None:
        return False
    if version.lead_department_id == officer.department_id:
        return True
    return version.consumers.filter(pk=officer.department_id).exists()
