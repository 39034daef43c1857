"""Standard tasks (标准件): issuing, the recurrence job, merging duplicate asks, the combined answer sheet,
progress, and maintaining the catalogue.

- An issue (a department or the center asking officers for a task) creates occurrences: one instruction
  of kind `standard_task` per officer and target (a community, or a named place or person), assigned
  straight to the officer with the task's deadline; the dispatch engine's clocks take it from there.
- No duplicates: when an officer already has an occurrence of the same task for the same target over an
  overlapping period (not cancelled), a new ask is linked to it (`StandardTaskRequest.merged`) instead of
  creating a second one. The officer's row is locked meanwhile, so two concurrent asks cannot both create.
- A recurring issue carries `next_run_at`; the beat job claims it with a conditional UPDATE on that
  column (healthchecks' sendalerts) in the same transaction that creates the occurrences, so a period is
  run exactly once however many workers run the job.
- The combined sheet: an officer's open items for one target, shared questions (same name, type and
  choices) asked once; on submit each item's answers go through `instruction_submit_feedback`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets
from stations.models import Community, Department, Officer, Station
from stations.roles import Role
from stations.scoping import scope_of
from tasks import combining, policy, services
from tasks.answer_sheets import validate_definition
from tasks.models import AnswerSheet, Instruction

from . import catalogue
from .models import (
    StandardTask,
    StandardTaskIssue,
    StandardTaskOccurrence,
    StandardTaskRequest,
    StandardTaskVersion,
)

KIND = Instruction.Kind.STANDARD_TASK
Limit = StandardTaskVersion.Limit
Recurrence = StandardTaskIssue.Recurrence
Scope = StandardTaskIssue.Scope
CENTER = "center"  # the issuer filter for the control center's own issues

# --- periods: pure functions, aware datetimes, calendar periods in the district's time zone ----------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def period_start(unit: str, at: datetime) -> datetime:
    """The start of the calendar week (Monday), month or quarter that contains `at`."""
    day = at.astimezone(_zone()).date()
    if unit == Limit.WEEKLY:
        day -= timedelta(days=day.weekday())
    elif unit == Limit.MONTHLY:
        day = day.replace(day=1)
    elif unit == Limit.QUARTERLY:
        day = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        raise ValueError(unit)
    return datetime.combine(day, time(), tzinfo=_zone())


def next_period_start(unit: str, at: datetime) -> datetime:
    """The start of the period after the one that contains `at`."""
    start = period_start(unit, at).date()
    if unit == Limit.WEEKLY:
        following = start + timedelta(days=7)
    else:
        following = _months_later(start, 1 if unit == Limit.MONTHLY else 3)
    return datetime.combine(following, time(), tzinfo=_zone())


def limit_delta(version: StandardTaskVersion) -> timedelta | None:
    if version.limit_unit == Limit.HOURS:
        return timedelta(hours=version.limit_value)
    if version.limit_unit == Limit.DAYS:
        return timedelta(days=version.limit_value)
    return None


def window(version: StandardTaskVersion, recurrence: str, at: datetime) -> tuple[datetime, datetime, datetime]:
    """(period start, period end, feedback due) of an occurrence created at `at`.

    Once: from `at` for the task's time limit (to the end of the week/month/quarter for a recurring task).
    On a recurrence: the calendar period containing `at`, due at its end or within the task's limit."""
    delta = limit_delta(version)
    if recurrence == Recurrence.ONCE:
        if delta is not None:
            return at, at + delta, at + delta
        end = next_period_start(version.limit_unit, at)
        return at, end, end
    start, end = period_start(recurrence, at), next_period_start(recurrence, at)
    return start, end, min(at + delta, end) if delta is not None else end


def default_recurrence(version: StandardTaskVersion) -> str:
    return version.limit_unit if version.is_recurring else Recurrence.ONCE


def limit_label(unit: str, value: int) -> str:
    if unit == Limit.HOURS:
        return _("within %(n)d hours") % {"n": value}
    if unit == Limit.DAYS:
        return _("within %(n)d days") % {"n": value}
    return str(Limit(unit).label)


# --- who and what an issue asks for -----------------------------------------------------------------


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


def issuer_name(department: Department | None) -> str:
    return department.name if department is not None else _("Control center")


def issuing_department(user: Any) -> Department | None:
    """Who an issue by `user` is from: their department, or None for the center."""
    officer = scope_of(user).officer
    if officer is None or officer.role == Role.CENTER_STAFF:
        return None
    return officer.department


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
    if not policy.may_issue_task(actor, version):
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


def may_manage(user: Any, issue: StandardTaskIssue) -> bool:
    """The center manages every issue; a department its own."""
    officer = scope_of(user).officer
    if user.is_superuser or (officer is not None and officer.role == Role.CENTER_STAFF):
        return True
    return officer is not None and officer.department_id is not None and officer.department_id == issue.department_id


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


# --- reading issues --------------------------------------------------------------------------------


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


# --- the combined answer sheet ----------------------------------------------------------------------


@dataclass
class CombinedItem:
    occurrence: StandardTaskOccurrence
    names: dict[str, str] = field(default_factory=dict)  # the item's field name -> the combined sheet's

    @property
    def instruction(self) -> Instruction:
        return self.occurrence.instruction

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.occurrence.instruction.answer_sheet.fields


@dataclass
class CombinedSheet:
    target_key: str
    target_label: str
    items: list[CombinedItem]
    fields: list[dict[str, Any]]  # each with "shared_by": how many items it answers


def open_items(officer: Officer) -> QuerySet[StandardTaskOccurrence]:
    """The officer's standard-task items waiting for an answer, oldest instruction first (the lock order)."""
    return (
        StandardTaskOccurrence.objects.filter(
            officer=officer,
            instruction__status__in=Instruction.FEEDBACK_OPEN,
        )
        .select_related("instruction__answer_sheet", "version__lead_department", "task")
        .order_by("instruction_id")
    )


def combined_targets(officer: Officer) -> list[dict[str, Any]]:
    """The officer's targets with open items: where the inbox can offer one sheet for several items."""
    found: dict[str, dict[str, Any]] = {}
    for occurrence in open_items(officer):
        entry = found.setdefault(
            occurrence.target_key, {"key": occurrence.target_key, "label": occurrence.target_label, "items": 0}
        )
        entry["items"] += 1
    return list(found.values())


def combined_sheet(officer: Officer, target_key: str) -> CombinedSheet:
    """One sheet for all the officer's open items of one target. Raises Instruction.DoesNotExist if none."""
    items = [CombinedItem(o) for o in open_items(officer).filter(target_key=target_key)]
    if not items:
        raise Instruction.DoesNotExist
    fields = combining.merge(items, lambda item: item.occurrence.version.name)
    first = items[0].occurrence
    return CombinedSheet(target_key, first.target_label, items, fields)


def combined_submit(*, actor: Any, target_key: str, answers: Any, now: datetime | None = None) -> list[Instruction]:
    """Answer all of an officer's open items of one target at once: each item stores the answers to its
    own questions, through the engine's feedback verb, in one transaction (all or none)."""
    officer = scope_of(actor).officer
    if officer is None:
        raise Instruction.DoesNotExist
    now = now or timezone.now()
    with transaction.atomic():
        sheet = combined_sheet(officer, target_key)
        return combining.submit(sheet.items, sheet.fields, actor=actor, answers=answers, now=now)


# --- progress --------------------------------------------------------------------------------------


@dataclass
class Rate:
    name: str
    total: int = 0
    done: int = 0
    late: int = 0

    @property
    def rate(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0


@dataclass
class ProgressRow:
    occurrence: StandardTaskOccurrence
    done: bool
    late: bool
    requesters: list[str]


@dataclass
class Progress:
    task: StandardTask
    issuer: str
    rows: list[ProgressRow]
    overall: Rate
    by_station: list[Rate]
    by_community: list[Rate]


def issuer_choices() -> list[tuple[str, str]]:
    """('center', the center) and each department that issued something."""
    issued = Department.objects.filter(standard_task_issues__isnull=False).distinct().order_by("code")
    return [(CENTER, str(_("Control center"))), *((d.code, d.name) for d in issued)]


def _requested_by(issuer: str) -> Q:
    if not issuer:
        return Q()
    if issuer == CENTER:
        return Q(issue__department__isnull=True)
    return Q(issue__department__code=issuer)


def task_progress(
    user: Any, task: StandardTask, *, issuer: str = "", issue: int | None = None, now: datetime | None = None
) -> Progress:
    """Who has answered the task's items asked for by `issuer` (a department code, 'center', or everyone),
    who is late, and the completion rate by station and community. Cancelled items do not count."""
    now = now or timezone.now()
    asked = StandardTaskRequest.objects.filter(_requested_by(issuer))
    if issue is not None:
        asked = asked.filter(issue_id=issue)
    requests = StandardTaskRequest.objects.select_related("issue__department").order_by("requested_at", "pk")
    occurrences = (
        StandardTaskOccurrence.objects.filter(task=task, pk__in=asked.values("occurrence_id"))
        .filter(instruction__in=Instruction.objects.visible_to(user))
        .exclude(instruction__status=Instruction.Status.CANCELLED)
        .select_related("instruction__station", "officer", "community", "version")
        .prefetch_related(Prefetch("requests", queryset=requests))
        .order_by("-period_start", "instruction__station__code", "officer__name", "target_label", "pk")
    )
    overall = Rate(str(_("All")))
    stations: dict[str, Rate] = {}
    communities: dict[str, Rate] = {}
    rows = []
    for occurrence in occurrences:
        instruction = occurrence.instruction
        done = instruction.status in (Instruction.Status.FEEDBACK_SUBMITTED, Instruction.Status.CLOSED)
        running = instruction.status in Instruction.FEEDBACK_OPEN
        late = bool(instruction.feedback_late) or bool(
            running and instruction.feedback_due and instruction.feedback_due < now
        )
        community = occurrence.community.name if occurrence.community else "—"
        for rate in (
            overall,
            stations.setdefault(instruction.station.name, Rate(instruction.station.name)),
            communities.setdefault(community, Rate(community)),
        ):
            rate.total += 1
            rate.done += done
            rate.late += late
        names = [issuer_name(r.issue.department) for r in occurrence.requests.all()]
        rows.append(ProgressRow(occurrence, done, late, list(dict.fromkeys(names))))
    return Progress(
        task=task,
        issuer=issuer,
        rows=rows,
        overall=overall,
        by_station=sorted(stations.values(), key=lambda r: r.name),
        by_community=sorted(communities.values(), key=lambda r: r.name),
    )


def progress_workbook(progress: Progress) -> Any:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(["派出所", "民警", "社区", "对象", "周期开始", "截止时间", "状态", "完成", "逾期", "下达单位"])
    zone = _zone()
    for row in progress.rows:
        occurrence, instruction = row.occurrence, row.occurrence.instruction
        spreadsheets.append(
            sheet,
            [
                instruction.station.name,
                occurrence.officer.name,
                occurrence.community.name if occurrence.community else "",
                occurrence.target_label,
                occurrence.period_start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                instruction.feedback_due.astimezone(zone).strftime("%Y-%m-%d %H:%M"),  # type: ignore[union-attr]
                instruction.get_status_display(),
                "是" if row.done else "否",
                "是" if row.late else "否",
                "、".join(row.requesters),
            ],
        )
    for title, rates in (("按派出所", progress.by_station), ("按社区", progress.by_community)):
        summary = book.create_sheet(title)
        summary.append(["名称", "应完成", "已完成", "逾期", "完成率(%)"])
        for rate in [*rates, progress.overall]:
            spreadsheets.append(summary, [rate.name, rate.total, rate.done, rate.late, rate.rate])
    return book


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


def catalogue_workbook() -> Any:
    names = dict(Department.objects.values_list("code", "name"))
    return catalogue.to_workbook([entry_of(t) for t in catalogue_tasks()], names)


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


def department_codes() -> dict[str, str]:
    """Department names and codes -> codes, for reading a workbook."""
    pairs = list(Department.objects.values_list("code", "name"))
    return {**{name: code for code, name in pairs}, **{code: code for code, _name in pairs}}


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
