"""Weekly rankings of police stations and patrol posts: the figures, the composite score, the ranks,
their stored snapshots, and the drill-down's flags. The pages' reads are in ranking_pages.py.

The figures of a unit and an ISO week count the instructions *received* by the unit in the week:
issued to it from Monday 00:00 to the next Monday 00:00 in the district's time zone (Asia/Shanghai),
standard tasks aside. Standard tasks go straight to officers on a timetable with long deadlines, so
they are counted by the week their deadline falls in. The figures are computed "as of" a moment (the
time of computing): a deadline that has not passed at that moment is neither on time nor late. The
same conditions (`Rules`) drive the aggregate queries and the drill-down's lists, so the lists always
add up to the figures.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _t

from core.time import Week
from stations import permissions
from stations.models import Station
from tasks.models import Instruction, InstructionEvent

from .models import RankingSnapshot, RankingWeights, Rectification

S = Instruction.Status


class K:  # the kinds the rankings count apart (each registered with the engine by the app that owns it)
    INTELLIGENCE, INTERCEPTION, REVISIT, STANDARD_TASK = "intelligence", "interception", "revisit", "standard_task"


ALERT_KINDS = (K.INTELLIGENCE, K.INTERCEPTION)
HISTORY_WEEKS = 12
KINDS = (Station.Kind.POLICE_STATION, Station.Kind.PATROL_POST)


def may_view(user: Any) -> bool:
    """Supervisors and center staff (and superusers); everybody else gets 404."""
    return permissions.sees_rankings(user)


def bulletin_station(user: Any) -> Station | None:
    """A station's command room or duty leader: the unit whose published bulletin (the stored rows of its
    kind, as the center circulates them to every station and post) the user reads. None for everybody else."""
    if user is None or not user.is_authenticated or may_view(user):
        return None
    officer = permissions.station_role_officer(user)
    if officer is None or officer.station is None:
        return None
    return officer.station if officer.station.kind in KINDS else None


# --- the conditions behind every figure -------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, interpolated between the two middle values."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"


@dataclass(frozen=True)
class Rules:
    """Filters on Instruction, as of the moment of computing."""

    as_of: datetime

    @property
    def signed(self) -> Q:
        return Q(signed_at__isnull=False)

    @property
    def sign_off_due(self) -> Q:
        """Signed off, or its sign-off deadline has passed (unless it was cancelled, unsigned, in time)."""
        cancelled_in_time = Q(status=S.CANCELLED, closed_at__lte=F("sign_off_due"))
        return self.signed | (Q(sign_off_due__lt=self.as_of) & ~cancelled_in_time)

    @property
    def signed_on_time(self) -> Q:
        return self.signed & Q(sign_off_late=False)

    @property
    def sign_off_late(self) -> Q:
        return self.sign_off_due & ~self.signed_on_time

    @property
    def feedback_given(self) -> Q:
        return Q(feedback_at__isnull=False)

    @property
    def feedback_due(self) -> Q:
        """Signed off, and feedback given or its deadline passed (unless cancelled without it in time)."""
        cancelled_in_time = Q(status=S.CANCELLED, closed_at__lte=F("feedback_due"))
        return self.signed & (self.feedback_given | (Q(feedback_due__lt=self.as_of) & ~cancelled_in_time))

    @property
    def feedback_running_late(self) -> Q:
        return Q(status__in=Instruction.FEEDBACK_OPEN, feedback_due__lt=self.as_of)

    @property
    def feedback_breached_before(self) -> Q:
        """A returned instruction that missed an earlier feedback deadline (the engine's breach events)."""
        breach = InstructionEvent.objects.filter(
            instruction=OuterRef("pk"), kind=InstructionEvent.Kind.FEEDBACK_OVERDUE
        )
        return Q(return_count__gt=0) & Q(Exists(breach))

    @property
    def feedback_on_time(self) -> Q:
        """Every feedback deadline met: the (latest) feedback was in time, none is running late, none
        was missed before a return."""
        return (
            self.feedback_given & Q(feedback_late=False) & ~self.feedback_running_late & ~self.feedback_breached_before
        )

    @property
    def feedback_late(self) -> Q:
        return self.feedback_due & ~self.feedback_on_time

    @property
    def overdue(self) -> Q:
        return self.sign_off_late | self.feedback_late

    @property
    def returned(self) -> Q:
        return Q(return_count__gt=0)

    @property
    def revisit(self) -> Q:
        return Q(kind=K.REVISIT)

    @property
    def revisit_done(self) -> Q:
        return self.revisit & Q(status=S.CLOSED)

    @property
    def alert(self) -> Q:
        return Q(kind__in=ALERT_KINDS)


def cohort(week: Week) -> QuerySet[Instruction]:
    """The instructions received in the week: issued from Monday 00:00 up to the next Monday 00:00,
    standard tasks aside."""
    return Instruction.objects.filter(issued_at__gte=week.start, issued_at__lt=week.end).exclude(kind=K.STANDARD_TASK)


def standard_cohort(week: Week) -> QuerySet[Instruction]:
    """The standard tasks whose feedback deadline falls in the week."""
    return Instruction.objects.filter(kind=K.STANDARD_TASK, feedback_due__gte=week.start, feedback_due__lt=week.end)


def _counts(rules: Rules) -> dict[str, Any]:
    r = rules
    counts = {
        "received": Count("pk"),
        "sign_off_due": Count("pk", filter=r.sign_off_due),
        "signed_on_time": Count("pk", filter=r.sign_off_due & r.signed_on_time),
        "feedback_due": Count("pk", filter=r.feedback_due),
        "feedback_on_time": Count("pk", filter=r.feedback_due & r.feedback_on_time),
        "feedback_given": Count("pk", filter=r.feedback_given),
        "overdue": Count("pk", filter=r.overdue),
        "returned": Count("pk", filter=r.returned),
        "revisits": Count("pk", filter=r.revisit),
        "revisits_done": Count("pk", filter=r.revisit_done),
        "alerts": Count("pk", filter=r.alert),
        "alerts_due": Count("pk", filter=r.alert & r.sign_off_due),
        "alerts_acknowledged": Count("pk", filter=r.alert & r.signed),
    }
    if connection.vendor == "postgresql":
        took = ExpressionWrapper(F("signed_at") - F("issued_at"), output_field=DurationField())
        counts["sign_off_median"] = Median(took, filter=r.signed, output_field=DurationField())
        counts["acknowledge_avg"] = Avg(took, filter=r.alert & r.signed, output_field=DurationField())
    return counts


def _standard_counts(rules: Rules) -> dict[str, Any]:
    return {
        "standard_tasks_due": Count("pk", filter=rules.feedback_due),
        "standard_tasks_on_time": Count("pk", filter=rules.feedback_due & rules.feedback_on_time),
    }


def _durations_in_python(week: Week) -> dict[int, dict[str, timedelta | None]]:
    """The median and the mean where the database has no percentile_cont (the SQLite demo)."""
    took: dict[int, list[timedelta]] = defaultdict(list)
    alerts: dict[int, list[timedelta]] = defaultdict(list)
    rows = cohort(week).filter(signed_at__isnull=False).values_list("station_id", "kind", "issued_at", "signed_at")
    for station_id, kind, issued_at, signed_at in rows:
        took[station_id].append(signed_at - issued_at)
        if kind in ALERT_KINDS:
            alerts[station_id].append(signed_at - issued_at)
    return {
        sid: {
            "sign_off_median": statistics.median(took[sid]) if took[sid] else None,
            "acknowledge_avg": sum(alerts[sid], timedelta()) / len(alerts[sid]) if alerts[sid] else None,
        }
        for sid in took
    }


def _pct(n: int, d: int) -> float | None:
    return round(100 * n / d, 1) if d else None


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _share_not(n: int, d: int) -> float | None:
    return round(100 * (1 - n / d), 1) if d else None


def _speed(minutes: float | None) -> float | None:
    """100 for an instant sign-off, 0 at (or beyond) the sign-off window."""
    if minutes is None:
        return None
    return round(max(0.0, 100 * (1 - minutes / settings.INSTRUCTION_SIGN_OFF_MINUTES)), 1)


def metrics_of(f: dict[str, Any], *, post: bool) -> dict[str, Any]:
    """The published figures of one unit, from the raw counts."""
    m = {
        "received": f["received"],
        "sign_off_due": f["sign_off_due"],
        "signed_on_time": f["signed_on_time"],
        "sign_off_on_time_pct": _pct(f["signed_on_time"], f["sign_off_due"]),
        "sign_off_median_minutes": _minutes(f.get("sign_off_median")),
        "feedback_due": f["feedback_due"],
        "feedback_on_time": f["feedback_on_time"],
        "feedback_on_time_pct": _pct(f["feedback_on_time"], f["feedback_due"]),
        "overdue": f["overdue"],
        "feedback_given": f["feedback_given"],
        "returned": f["returned"],
        "revisits": f["revisits"],
        "revisits_done": f["revisits_done"],
        "standard_tasks_due": f["standard_tasks_due"],
        "standard_tasks_on_time": f["standard_tasks_on_time"],
        "standard_tasks_on_time_pct": _pct(f["standard_tasks_on_time"], f["standard_tasks_due"]),
    }
    if post:
        m |= {
            "alerts": f["alerts"],
            "alerts_due": f["alerts_due"],
            "alerts_acknowledged": f["alerts_acknowledged"],
            "alerts_acknowledged_pct": _pct(f["alerts_acknowledged"], f["alerts_due"]),
            "acknowledge_avg_minutes": _minutes(f.get("acknowledge_avg")),
        }
    return m


def components_of(m: dict[str, Any], *, post: bool) -> dict[str, float | None]:
    """Each figure as a 0–100 component of the score (higher is better); None: nothing to judge."""
    c = {
        "sign_off_on_time": m["sign_off_on_time_pct"],
        "sign_off_speed": _speed(m["sign_off_median_minutes"]),
        "feedback_on_time": m["feedback_on_time_pct"],
        "overdue": _share_not(m["overdue"], m["received"]),
        "returned": _share_not(m["returned"], m["feedback_given"]),
        "revisits": _pct(m["revisits_done"], m["revisits"]),
        "standard_tasks": m["standard_tasks_on_time_pct"],
    }
    if post:
        c |= {
            "alerts_acknowledged": m["alerts_acknowledged_pct"],
            "acknowledge_speed": _speed(m["acknowledge_avg_minutes"]),
        }
    return c


def score_of(components: dict[str, float | None], weights: dict[str, int]) -> float | None:
    """The weighted mean of the components the unit has data for; None if it has none."""
    present = [(weights.get(k, 0), v) for k, v in components.items() if v is not None and weights.get(k, 0) > 0]
    total = sum(w for w, _v in present)
    return round(sum(w * v for w, v in present) / total, 1) if total else None


def _rank(rows: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by score within each kind; units without a score get none."""
    for kind in KINDS:
        scored = sorted((r for r in rows if r["kind"] == kind and r["score"] is not None), key=lambda r: -r["score"])
        previous: tuple[float, int] | None = None
        for place, row in enumerate(scored, 1):
            row["rank"] = previous[1] if previous and previous[0] == row["score"] else place
            previous = (row["score"], row["rank"])


def _grouped(qs: QuerySet[Instruction], counts: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """One aggregate query grouped by unit. Aggregates are named n_<figure>: some figures share a name
    with a column (sign_off_due, feedback_due)."""
    named = {f"n_{k}": v for k, v in counts.items()}
    return {
        f["station_id"]: {k[2:]: v for k, v in f.items() if k.startswith("n_")}
        for f in qs.values("station_id").annotate(**named).order_by()  # no ORDER BY: the rows are ordered in Python
    }


def compute(week: Week, *, as_of: datetime, weights: dict[str, int]) -> list[dict[str, Any]]:
    """Every police station's and patrol post's figures, score and rank for the week, in three queries
    (four on SQLite): the units, and two aggregates grouped by unit (received instructions, standard tasks)."""
    rules = Rules(as_of)
    stations = list(Station.objects.order_by("kind", "code").values("id", "code", "name", "kind"))
    counts, standard = _counts(rules), _standard_counts(rules)
    empty = dict.fromkeys((*counts, *standard), 0) | {"sign_off_median": None, "acknowledge_avg": None}
    figures: dict[int, dict[str, Any]] = defaultdict(lambda: dict(empty))
    for sid, f in _grouped(cohort(week), counts).items():
        figures[sid] |= f
    for sid, f in _grouped(standard_cohort(week), standard).items():
        figures[sid] |= f
    if connection.vendor != "postgresql":
        for sid, durations in _durations_in_python(week).items():
            figures[sid] |= durations
    rows = []
    for station in stations:
        post = station["kind"] == Station.Kind.PATROL_POST
        metrics = metrics_of(figures[station["id"]], post=post)
        components = components_of(metrics, post=post)
        rows.append(
            {
                "station_id": station["id"],
                "station": station["code"],
                "name": station["name"],
                "kind": station["kind"],
                "rank": None,
                "score": score_of(components, weights),
                "metrics": metrics,
                "components": components,
            }
        )
    _rank(rows)
    kind_order = {k: i for i, k in enumerate(KINDS)}
    rows.sort(key=lambda r: (kind_order.get(r["kind"], 9), r["rank"] is None, r["rank"] or 0, r["station"]))
    return rows


# --- snapshots ------------------------------------------------------------------------------------


def snapshot_week(
    *, week: Week, actor: Any = None, reason: str = "", now: datetime | None = None
) -> tuple[RankingSnapshot, bool]:
    """Store the week's ranking as computed now. The first run stores revision 1; a later run stores a
    new revision only if a figure, a rank or a weight changed, and never touches the earlier ones.
    Returns (the latest revision, whether it is new)."""
    if actor is not None and not may_view(actor):
        raise PermissionDenied
    now = now or timezone.now()
    if week.end > now:
        raise ValidationError(_t("The week is not over yet: it is shown live, as provisional figures."))
    weights = RankingWeights.current().as_dict()
    rows = compute(week, as_of=now, weights=weights)
    rects = rectifications_at(week.end)
    for row in rows:
        row["rectifications"] = rects.get(row["station_id"], {"open": 0, "overdue": 0})
    stored = RankingSnapshot.objects.filter(week_start=week.monday)
    latest = stored.order_by("-revision").first()
    if latest is not None and latest.rows == rows and latest.weights == weights:
        return latest, False
    try:
        with transaction.atomic():
            snapshot = RankingSnapshot.objects.create(
                week_start=week.monday,
                revision=(latest.revision + 1) if latest else 1,
                generated_at=now,
                generated_by=actor if getattr(actor, "pk", None) else None,
                reason=reason.strip()[:200],
                weights=weights,
                rows=rows,
            )
    except IntegrityError:  # another run stored this revision a moment earlier: keep theirs
        return stored.order_by("-revision").first(), False  # type: ignore[return-value]
    return snapshot, True


def rectifications_at(moment: datetime) -> dict[int, dict[str, Any]]:
    """The supervision post's rectifications open at the moment per unit (ordered before it, not closed by
    then), and how many were past the supervisor's deadline at that moment."""
    still_open = Q(instruction__closed_at__isnull=True) | Q(instruction__closed_at__gt=moment)
    rows = (
        Rectification.objects.filter(still_open, instruction__issued_at__lt=moment)
        .values(station_id=F("instruction__station_id"))
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=moment)))
        .order_by("station_id")
    )
    return {r["station_id"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}


# --- a unit's drill-down --------------------------------------------------------------------------


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def flagged(qs: QuerySet[Instruction], *, as_of: datetime) -> list[Instruction]:
    """The instructions, each flagged by the very conditions of the figures, and how late each step was."""
    r = Rules(as_of)
    qs = (
        qs.select_related("dispatch__incident", "dispatch__category", "officer")
        .annotate(
            in_sign_off_due=_flag(r.sign_off_due),
            in_signed_on_time=_flag(r.sign_off_due & r.signed_on_time),
            in_sign_off_late=_flag(r.sign_off_late),
            in_feedback_due=_flag(r.feedback_due),
            in_feedback_on_time=_flag(r.feedback_due & r.feedback_on_time),
            in_feedback_late=_flag(r.feedback_late),
            in_feedback_running_late=_flag(r.feedback_running_late),
            in_feedback_breached_before=_flag(r.feedback_breached_before),
            in_overdue=_flag(r.overdue),
            in_revisit_done=_flag(r.revisit_done),
        )
        .order_by("issued_at", "pk")
    )
    rows = list(qs)
    for i in rows:
        i.sign_off_minutes = _minutes(i.signed_at - i.issued_at) if i.signed_at else None
        # How late: as recorded at the step, or, when still waiting, by the time of computing.
        if i.in_sign_off_late:
            i.sign_off_late_by = i.sign_off_late_minutes if i.signed_at else _late(i.sign_off_due, as_of)
        if i.in_feedback_late:
            if i.in_feedback_running_late or i.feedback_at is None:
                i.feedback_late_by = _late(i.feedback_due, as_of)
            else:
                i.feedback_late_by = i.feedback_late_minutes or None
    return rows


def _late(due: datetime | None, as_of: datetime) -> int | None:
    if due is None:
        return None
    return max(0, int((as_of - due).total_seconds() // 60))
