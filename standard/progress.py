"""Progress of a standard task: who answered the items asked for by an issuer, who is late, and the
completion rate by station and community."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import Department
from tasks.models import Instruction

from .models import StandardTask, StandardTaskOccurrence, StandardTaskRequest
from .selectors import issuer_name

CENTER = "center"  # the issuer filter for the control center's own issues


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
