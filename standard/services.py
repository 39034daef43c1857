"""Standard tasks (标准件): issuing, the recurrence job, merging duplicate asks, and maintaining
the catalogue. Reading is in `selectors`, periods in `recurrence`, the combined sheet in `combined`,
progress in `progress`, the Excel exports in `workbooks`.

- An issue (a department or the center asking officers for a task) creates occurrences: one instruction
  of kind `standard_task` per officer and target (a community, or a named place or person), assigned
  straight to the officer with the task's deadline; the dispatch engine's clocks take it from there.
- No duplicates: when an officer already has an occurrence of the same task for the same target over an
  overlapping period (not cancelled), a new ask is linked to it (`StandardTaskRequest.merged`) instead of
  creating a second one. The officer's row is locked meanwhile, so two concurrent asks cannot both create.
- A recurring issue carries `next_run_at`; the beat job claims it with a conditional UPDATE on that
  column (healthchecks' sendalerts) in the same transaction that creates the occurrences, so a period is
  run exactly once however many workers run the job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import Community, Department, Officer, Station
from stations.roles import Role
from tasks import policy, services
from tasks.answer_sheets import validate_definition
from tasks.models import AnswerSheet, Instruction

from . import catalogue
from .kinds import STANDARD_TASK
from .models import (
    StandardTask,
    StandardTaskIssue,
    StandardTaskOccurrence,
    StandardTaskRequest,
    StandardTaskVersion,
)
from .recurrence import default_recurrence, next_period_start, window
from .selectors import issuer_name, issuing_department, may_issue_task, may_manage

KIND = STANDARD_TASK
Limit = StandardTaskVersion.Limit
Recurrence = StandardTaskIssue.Recurrence
Scope = StandardTaskIssue.Scope


# --- who and what an issue asks for ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    community: Community | None = None


def subject_key(subject: str) -> str:
    """The same place or person typed with different spaces or case is one target."""
    normalized = "".join(subject.split()).casefold()
    return "subject-" + hashlib.sha256(normalized.encode()).hexdigest()[:16]


def community_target(community: Community) -> Target:
    return Target(f"community-{community.code}", community.name, community)


def officers_in_scope(issue: StandardTaskIssue) -> QuerySet[Officer]:
    officers = Officer.objects.filter(is_active=True, user__is_active=True, station__isnull=False)
    if issue.scope == Scope.OFFICER:
        officers = officers.filter(pk=issue.officer_id)
    else:
        officers = officers.filter(role=Role.COMMUNITY_OFFICER)
        if issue.scope == Scope.STATION:
            officers = officers.filter(station_id=issue.station_id)
        elif issue.scope == Scope.COMMUNITY:
            officers = officers.filter(communities=issue.community_id)
    return officers.select_related("user", "station").prefetch_related("communities").order_by("pk")


def targets(issue: StandardTaskIssue, officer: Officer) -> list[Target]:
    """A named place or person; else the issue's community; else each community the officer looks after."""
    if issue.subject:
        return [Target(subject_key(issue.subject), issue.subject, issue.community)]
    if issue.community is not None:
        return [community_target(issue.community)]
    communities = sorted(officer.communities.all(), key=lambda c: c.code)
    if communities:
        return [community_target(c) for c in communities]
    return [Target(f"station-{officer.station.code}", officer.station.name)]  # type: ignore[union-attr]


# --- issuing ---------------------------------------------------------------------------------------


@dataclass
class IssueResult:
    issue: StandardTaskIssue
    created: list[StandardTaskOccurrence] = field(default_factory=list)
    merged: list[StandardTaskOccurrence] = field(default_factory=list)


def _note(version: StandardTaskVersion, target: Target, issue: StandardTaskIssue) -> str:
    lines = [f"【{version.task.code}】{version.name} · {target.label}", version.work_standard]
    if issue.note:
        lines.append(issue.note)
    return "\n".join(lines)


def _run(issue: StandardTaskIssue, version: StandardTaskVersion, *, at: datetime, now: datetime) -> IssueResult:
    """Ask every officer in the issue's scope for each target, merging with what they already have."""
    result = IssueResult(issue)
    officers = list(officers_in_scope(issue))
    if not officers:
        return result
    # One ask per officer at a time: their rows are locked, in primary-key order, until commit.
    list(Officer.objects.select_for_update().filter(pk__in=[o.pk for o in officers]).order_by("pk").values("pk"))
    start, end, due = window(version, issue.recurrence, at)
    existing: dict[tuple[int, str], StandardTaskOccurrence] = {}
    overlapping = (
        StandardTaskOccurrence.objects.filter(
            task_id=issue.task_id, officer__in=officers, period_start__lt=end, period_end__gt=start
        )
        .exclude(instruction__status=Instruction.Status.CANCELLED)
        .select_related("instruction")
        .prefetch_related("requests")
        .order_by("period_start", "pk")
    )
    for occurrence in overlapping:
        existing.setdefault((occurrence.officer_id, occurrence.target_key), occurrence)
    issuer = issuer_name(issue.department)
    for officer in officers:
        for target in targets(issue, officer):
            occurrence = existing.get((officer.pk, target.key))
            if occurrence is not None:
                if any(r.issue_id == issue.pk for r in occurrence.requests.all()):
                    continue  # this issue already asked for it (a job run again)
                StandardTaskRequest.objects.create(issue=issue, occurrence=occurrence, requested_at=now, merged=True)
                services.instruction_add_note(
                    instruction=occurrence.instruction,
                    actor=None,
                    note=_("Also asked for by %(issuer)s; answered once for both.") % {"issuer": issuer},
                    notify_officer=False,
                    now=now,
                )
                result.merged.append(occurrence)
                continue
            instruction = services.instruction_issue_assigned(
                kind=KIND,
                actor=None,
                issued_by=issue.issued_by,
                officer=officer,
                answer_sheet=version.answer_sheet,
                feedback_due=due,
                note=_note(version, target, issue),
                now=now,
            )
            occurrence = StandardTaskOccurrence.objects.create(
                instruction=instruction,
                task_id=issue.task_id,
                version=version,
                officer=officer,
                community=target.community,
                target_key=target.key,
                target_label=target.label[:200],
                period_start=start,
                period_end=end,
            )
            StandardTaskRequest.objects.create(issue=issue, occurrence=occurrence, requested_at=now)
            existing[(officer.pk, target.key)] = occurrence
            result.created.append(occurrence)
    return result


@transaction.atomic
def standard_task_issue(
    *,
    task: StandardTask,
    actor: Any,
    scope: str,
    officer: Officer | None = None,
    station: Station | None = None,
    community: Community | None = None,
    subject: str = "",
    recurrence: str = "",
    note: str = "",
    now: datetime | None = None,
) -> IssueResult:
    """A department or the center asks officers for a standard task, once or on a recurrence.

    The first occurrence is created now; a recurring issue's next one at the start of the next period."""
    if not policy.may_issue(actor, KIND):
        raise PermissionDenied
    version = task.current
    if version is None or not task.is_active:
        raise ValidationError({"task": [_("This standard task is not in use.")]})
    if not may_issue_task(actor, version):
        raise ValidationError({"task": [_("Your department neither leads nor co-leads this standard task.")]})
    now = now or timezone.now()
    recurrence = recurrence or default_recurrence(version)
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": [_("Choose once, weekly, monthly or quarterly.")]})
    targets_of = {Scope.OFFICER: officer, Scope.STATION: station, Scope.COMMUNITY: community}
    if scope not in Scope.values or (scope != Scope.ALL and targets_of.get(scope) is None):
        raise ValidationError({"scope": [_("Say whom the task is for.")]})
    if scope == Scope.OFFICER and (officer.station_id is None or not officer.is_active):  # type: ignore[union-attr]
        raise ValidationError({"officer": [_("Choose an active officer of a station.")]})
    issue = StandardTaskIssue(
        task=task,
        department=issuing_department(actor),
        issued_by=actor,
        scope=scope,
        officer=officer if scope == Scope.OFFICER else None,
        station=station if scope == Scope.STATION else None,
        community=community if scope == Scope.COMMUNITY else None,
        subject=" ".join(subject.split())[:200],
        recurrence=recurrence,
        note=note.strip()[:2000],
        created_at=now,
        next_run_at=None if recurrence == Recurrence.ONCE else next_period_start(recurrence, now),
    )
    issue.save()
    return _run(issue, version, at=now, now=now)


@transaction.atomic
def standard_task_issue_stop(*, issue: StandardTaskIssue, actor: Any) -> StandardTaskIssue:
    """Stop a recurring issue: no further occurrences (those already created stay)."""
    if not policy.may_issue(actor, KIND) or not may_manage(actor, issue):
        raise PermissionDenied
    StandardTaskIssue.objects.filter(pk=issue.pk).update(is_active=False, next_run_at=None)
    issue.is_active, issue.next_run_at = False, None
    return issue


def run_due_issues(*, now: datetime | None = None) -> dict[str, int]:
    """The beat job: run every recurring issue whose next occurrence fell due, each period exactly once.

    A period that already ended while nobody ran the job (a worker down for a month) is not created
    late: the issue runs for the period that contains `now`."""
    now = now or timezone.now()
    due = list(
        StandardTaskIssue.objects.filter(is_active=True, next_run_at__lte=now)
        .order_by("next_run_at", "pk")
        .values_list("pk", "next_run_at", "recurrence")
    )
    report = {"issues": 0, "created": 0, "merged": 0}
    for pk, scheduled, recurrence in due:
        at = scheduled if now < next_period_start(recurrence, scheduled) else now
        with transaction.atomic():
            claimed = StandardTaskIssue.objects.filter(pk=pk, is_active=True, next_run_at=scheduled).update(
                next_run_at=next_period_start(recurrence, at)
            )
            if claimed != 1:
                continue  # another worker ran it
            issue = StandardTaskIssue.objects.select_related(
                "task__current__answer_sheet", "task__current__task", "department", "issued_by", "community"
            ).get(pk=pk)
            version = issue.task.current
            if version is None or not issue.task.is_active:
                continue
            result = _run(issue, version, at=at, now=now)
        report["issues"] += 1
        report["created"] += len(result.created)
        report["merged"] += len(result.merged)
    return report


# --- maintaining the catalogue ---------------------------------------------------------------------


def _changed(version: StandardTaskVersion | None, entry: dict[str, Any], lead: Department) -> bool:
    if version is None:
        return True
    same = (
        version.name == entry["name"]
        and version.lead_department_id == lead.pk
        and version.basis == entry["basis"]
        and version.measures == entry["measures"]
        and version.work_standard == entry["work_standard"]
        and version.limit_unit == entry["limit_unit"]
        and version.limit_value == entry["limit_value"]
        and sorted(d.code for d in version.consumers.all()) == sorted(entry["consumers"])
        and version.answer_sheet.fields == entry["fields"]
    )
    return not same


def standard_task_revise(*, code: str, entry: dict[str, Any], actor: Any = None) -> StandardTaskVersion | None:
    """Create the task or add a version of it when anything changed; None when nothing did.

    Older versions and their answer sheets stay as they are, with the answers given under them."""
    validate_definition(entry["fields"])
    departments = {
        d.code: d for d in Department.objects.filter(code__in=[entry["lead_department"], *entry["consumers"]])
    }
    lead = departments.get(entry["lead_department"])
    if lead is None or any(c not in departments for c in entry["consumers"]):
        raise ValidationError({"lead_department": [_("Unknown department.")]})
    if entry["limit_unit"] not in Limit.values or int(entry["limit_value"]) < 1:
        raise ValidationError({"time_limit": [_("Give hours, days, or a recurrence.")]})
    task, _created = StandardTask.objects.select_for_update().get_or_create(code=code)
    current = (
        StandardTaskVersion.objects.select_related("answer_sheet").prefetch_related("consumers").get(pk=task.current_id)
        if task.current_id
        else None
    )
    if not _changed(current, entry, lead):
        return None
    sheet_code = catalogue.sheet_code(code)
    if current is not None and current.answer_sheet.fields == entry["fields"]:
        sheet = current.answer_sheet
    else:
        last = AnswerSheet.objects.filter(code=sheet_code).aggregate(n=Max("version"))["n"] or 0
        sheet = AnswerSheet.objects.create(
            code=sheet_code, version=last + 1, title=entry["name"], fields=entry["fields"]
        )
    last = task.versions.aggregate(n=Max("version"))["n"] or 0
    version = StandardTaskVersion.objects.create(
        task=task,
        version=last + 1,
        name=entry["name"],
        lead_department=lead,
        basis=entry["basis"],
        measures=entry["measures"],
        work_standard=entry["work_standard"],
        limit_unit=entry["limit_unit"],
        limit_value=int(entry["limit_value"]),
        answer_sheet=sheet,
    )
    version.consumers.set([departments[c] for c in entry["consumers"]])
    task.current = version
    task.save(update_fields=["current"])
    return version


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def catalogue_import(*, entries: list[dict[str, Any]], actor: Any) -> ImportReport:
    """Apply a catalogue read from Excel: new tasks are created, changed ones get a new version.
    Tasks missing from the file are left alone. All or nothing."""
    if not policy.may_issue(actor):
        raise PermissionDenied
    report = ImportReport()
    existing = set(StandardTask.objects.filter(current__isnull=False).values_list("code", flat=True))
    for entry in entries:
        try:
            version = standard_task_revise(code=entry["code"], entry=entry, actor=actor)
        except ValidationError as exc:
            raise ValidationError([f"{entry['code']}: {m}" for m in exc.messages]) from None
        if version is None:
            report.unchanged += 1
        elif entry["code"] in existing:
            report.revised.append(entry["code"])
        else:
            report.created.append(entry["code"])
    return report
