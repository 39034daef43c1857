"""The rankings pages' reads: a week's board (stored or live, with rank changes and 12 weeks of scores),
the tables' columns and labels, the definitions of the figures, and a unit's drill-down."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy

from core.time import Week
from stations.models import Station
from tasks.models import Instruction

from .models import RankingSnapshot, RankingWeights
from .rankings import (
    ALERT_KINDS,
    HISTORY_WEEKS,
    KINDS,
    K,
    cohort,
    compute,
    flagged,
    rectifications_at,
    standard_cohort,
)

# --- what the tables show ---------------------------------------------------------------------------

METRIC_LABELS = {
    "received": gettext_lazy("Received"),
    "sign_off_due": gettext_lazy("Sign-offs due"),
    "signed_on_time": gettext_lazy("Signed off on time"),
    "sign_off_on_time_pct": gettext_lazy("Signed off on time (%)"),
    "sign_off_median_minutes": gettext_lazy("Median minutes to sign off"),
    "feedback_due": gettext_lazy("Feedback due"),
    "feedback_on_time": gettext_lazy("Feedback on time"),
    "feedback_on_time_pct": gettext_lazy("Feedback on time (%)"),
    "overdue": gettext_lazy("Overdue"),
    "feedback_given": gettext_lazy("Feedback given"),
    "returned": gettext_lazy("Returned feedback"),
    "revisits": gettext_lazy("Revisits"),
    "revisits_done": gettext_lazy("Revisits done"),
    "standard_tasks_due": gettext_lazy("Standard tasks due"),
    "standard_tasks_on_time": gettext_lazy("Standard tasks on time"),
    "standard_tasks_on_time_pct": gettext_lazy("Standard tasks on time (%)"),
    "alerts": gettext_lazy("Alerts"),
    "alerts_due": gettext_lazy("Alerts due"),
    "alerts_acknowledged": gettext_lazy("Alerts acknowledged"),
    "alerts_acknowledged_pct": gettext_lazy("Alerts acknowledged (%)"),
    "acknowledge_avg_minutes": gettext_lazy("Average minutes to acknowledge"),
}
# The columns of the page and the print layout: (figure, its numerator and denominator for the tooltip).
PAGE_COLUMNS = [
    ("received", None),
    ("sign_off_on_time_pct", ("signed_on_time", "sign_off_due")),
    ("sign_off_median_minutes", None),
    ("feedback_on_time_pct", ("feedback_on_time", "feedback_due")),
    ("overdue", None),
    ("returned", ("returned", "feedback_given")),
    ("revisits_done", ("revisits_done", "revisits")),
    ("standard_tasks_on_time_pct", ("standard_tasks_on_time", "standard_tasks_due")),
]
POST_COLUMNS = [
    ("alerts_acknowledged", ("alerts_acknowledged", "alerts")),
    ("acknowledge_avg_minutes", None),
]
NOT_ON_POSTS = {"revisits_done"}  # community work: in the drill-down and the workbook, not in the posts' table


def figure_text(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_pct"):
        return f"{value:.1f}%"
    if key.endswith("_minutes"):
        return f"{value:.1f}"
    return str(value)


def _columns(kind: str) -> list[tuple[str, Any]]:
    if kind == "patrol_post":
        return [c for c in PAGE_COLUMNS if c[0] not in NOT_ON_POSTS] + POST_COLUMNS
    return PAGE_COLUMNS


def _cells(row: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    metrics, changed = row["metrics"], row.get("changed", {})
    cells = []
    for key, ratio in _columns(kind):
        value = metrics.get(key)
        cell = {"key": key, "raw": "" if value is None else value, "text": figure_text(key, value)}
        if ratio is not None:
            cell["title"] = f"{metrics.get(ratio[0])} / {metrics.get(ratio[1])}"
        if key in changed:
            cell["old"] = figure_text(key, changed[key])
        cells.append(cell)
    return cells


def page_tables(board: Board) -> list[dict[str, Any]]:
    tables = board.tables
    for table in tables:
        table["headers"] = [METRIC_LABELS[key] for key, _ratio in _columns(table["kind"])]
        for row in table["rows"]:
            row["cells"] = _cells(row, table["kind"])
    return tables


# --- the rankings page ----------------------------------------------------------------------------


def _chart(scores: list[float | None], weeks: list[Week], width: int, height: int, pad: int = 2) -> dict[str, Any]:
    """A line chart of 0–100 scores as SVG geometry: polylines broken at missing weeks, and dots."""
    step = (width - 2 * pad) / max(1, len(scores) - 1)
    segments: list[list[str]] = [[]]
    dots = []
    for i, value in enumerate(scores):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = round(pad + i * step, 1)
        y = round(pad + (100 - value) * (height - 2 * pad) / 100, 1)
        segments[-1].append(f"{x},{y}")
        dots.append({"x": x, "y": y, "value": value, "week": weeks[i].label})
    return {"lines": [" ".join(s) for s in segments if len(s) > 1], "dots": dots, "width": width, "height": height}


@dataclass
class Board:
    """What the rankings page shows for one week."""

    week: Week
    now: datetime
    rows: list[dict[str, Any]]
    weights: dict[str, int]
    generated_at: datetime
    snapshot: RankingSnapshot | None = None
    revisions: list[RankingSnapshot] = field(default_factory=list)
    earlier: RankingSnapshot | None = None  # the revision before the one shown
    weeks: list[Week] = field(default_factory=list)
    kind: str | None = None  # one kind only (a station's bulletin)

    @property
    def provisional(self) -> bool:
        return self.snapshot is None

    @property
    def current(self) -> bool:
        return self.week == Week.of(self.now)

    @property
    def stored(self) -> bool:
        return bool(self.revisions)

    @property
    def tables(self) -> list[dict[str, Any]]:
        labels = dict(Station.Kind.choices)
        return [
            {"kind": kind, "label": labels[kind], "rows": [r for r in self.rows if r["kind"] == kind]}
            for kind in KINDS
            if self.kind in (None, kind)
        ]

    @property
    def weight_rows(self) -> list[dict[str, Any]]:
        return [{"key": k, "label": component_label(k), "weight": self.weights.get(k, 0)} for k in _order(self.weights)]


def component_label(key: str) -> Any:
    try:
        return RankingWeights._meta.get_field(key).verbose_name
    except FieldDoesNotExist:  # a component of an older snapshot
        return key


def _order(keys: Any) -> list[str]:
    """Components in the admin's order (stored JSON does not keep the order of keys)."""
    known = [k for k in RankingWeights.COMPONENTS if k in keys]
    return known + sorted(k for k in keys if k not in known)


def _latest_per_week(snapshots: list[RankingSnapshot]) -> dict[date, RankingSnapshot]:
    latest: dict[date, RankingSnapshot] = {}
    for s in snapshots:
        if s.week_start not in latest or s.revision > latest[s.week_start].revision:
            latest[s.week_start] = s
    return latest


def board(
    week: Week,
    *,
    revision: int | None = None,
    now: datetime | None = None,
    kind: str | None = None,
    published_only: bool = False,
) -> Board:
    """The week's ranking, from its stored snapshot (latest revision unless one is asked for) or, if
    none is stored, computed live; with the rank change, 12 weeks of scores and the rectifications open
    at the week's end (a stored revision keeps those of its own time). From a snapshot: two queries (the
    snapshots of the 12 weeks, the rectifications).

    `kind` keeps the units of one kind; `published_only` never computes live: a week not stored yet has
    no rows (the stations' bulletin)."""
    now = now or timezone.now()
    weeks = [week.shift(-i) for i in range(HISTORY_WEEKS - 1, -1, -1)]
    snapshots = list(
        RankingSnapshot.objects.filter(week_start__gte=weeks[0].monday, week_start__lte=week.monday).order_by(
            "-week_start", "-revision"
        )
    )
    revisions = [s for s in snapshots if s.week_start == week.monday]
    if revision is not None:
        chosen = next((s for s in revisions if s.revision == revision), None)
        if chosen is None:
            raise LookupError(revision)
    else:
        chosen = revisions[0] if revisions else None
    if chosen is not None:
        b = Board(week, now, rows=chosen.rows, weights=chosen.weights, generated_at=chosen.generated_at)
        b.snapshot = chosen
        b.earlier = next((s for s in revisions if s.revision == chosen.revision - 1), None)
    elif published_only:
        b = Board(week, now, rows=[], weights={}, generated_at=now)
    else:
        weights = RankingWeights.current().as_dict()
        b = Board(week, now, rows=compute(week, as_of=now, weights=weights), weights=weights, generated_at=now)
    b.revisions, b.weeks, b.kind = revisions, weeks, kind
    latest = _latest_per_week([s for s in snapshots if s.week_start != week.monday])
    history = {w: {r["station"]: r for r in latest[w.monday].rows} for w in weeks[:-1] if w.monday in latest}
    history[week] = {r["station"]: r for r in b.rows}
    b.rows = _decorate(b, history, rectifications_at(min(now, week.end)))
    if kind is not None:
        b.rows = [r for r in b.rows if r["kind"] == kind]
    return b


def _decorate(b: Board, history: dict[Week, dict[str, dict[str, Any]]], rects: dict[int, dict[str, Any]]) -> list:
    earlier = {r["station"]: r for r in b.earlier.rows} if b.earlier else {}
    previous_week = history.get(b.week.shift(-1), {})
    rows = []
    for row in b.rows:
        code = row["station"]
        before = previous_week.get(code)
        change = None
        if before and before.get("rank") and row["rank"]:
            change = before["rank"] - row["rank"]  # positive: moved up
        trend = "none" if change is None else "up" if change > 0 else "down" if change < 0 else "same"
        old = earlier.get(code)
        changed = {}
        if old is not None:
            changed = {k: v for k, v in old["metrics"].items() if row["metrics"].get(k) != v}
            if old["score"] != row["score"]:
                changed["score"] = old["score"]
            if old["rank"] != row["rank"]:
                changed["rank"] = old["rank"]
        scores = [history.get(w, {}).get(code, {}).get("score") for w in b.weeks]
        rows.append(
            row
            | {
                "change": change,
                "moved": abs(change or 0),
                "trend": trend,
                "changed": changed,
                "spark": _chart(scores, b.weeks, 96, 24),
                "scores": scores,
                # A stored revision's own count; live (or stored before it was kept): as of the week's end.
                "rectifications": row.get("rectifications")
                or rects.get(row.get("station_id"), {"open": 0, "overdue": 0}),
            }
        )
    return rows


def definitions() -> list[dict[str, Any]]:
    """What each published figure counts, for the page, the print layout and the workbook."""
    window = settings.INSTRUCTION_SIGN_OFF_MINUTES
    return [
        {
            "key": "received",
            "label": _t("Received"),
            "text": _t(
                "Instructions issued to the unit in the week (Monday 00:00 to Sunday 24:00, Asia/Shanghai), "
                "of every kind but standard tasks, cancelled ones included. The figures below count among "
                "these, except standard tasks."
            ),
        },
        {
            "key": "sign_off_on_time_pct",
            "label": _t("Signed off on time"),
            "text": _t(
                "Of the received instructions whose sign-off was due when the figures were computed (signed "
                "off, or %(window)s minutes passed without it), the share signed off at or before the due "
                "time. Still unsigned after the due time counts as late; cancelled unsigned before the due "
                "time is left out."
            )
            % {"window": window},
        },
        {
            "key": "sign_off_median_minutes",
            "label": _t("Median minutes to sign off"),
            "text": _t("The median of (signed off at − issued at) over the received instructions signed off."),
        },
        {
            "key": "feedback_on_time_pct",
            "label": _t("Feedback on time"),
            "text": _t(
                "Of the signed-off instructions whose feedback was given or is past its deadline, the share "
                "that met every feedback deadline: the latest feedback before its deadline, no earlier "
                "deadline missed before a return, none running late now. Cancelled without feedback before "
                "the deadline is left out."
            ),
        },
        {
            "key": "overdue",
            "label": _t("Overdue"),
            "text": _t("Received instructions late at sign-off or at feedback, by the two rules above."),
        },
        {
            "key": "returned",
            "label": _t("Returned feedback"),
            "text": _t("Received instructions whose feedback the reviewer sent back at least once."),
        },
        {
            "key": "revisits_done",
            "label": _t("Revisits done"),
            "text": _t("Received revisit instructions whose feedback was accepted (closed), of all received revisits."),
        },
        {
            "key": "standard_tasks_on_time_pct",
            "label": _t("Standard tasks on time"),
            "text": _t(
                "Standard tasks go straight to officers with their own time limits, so they are counted by the "
                "week their feedback deadline falls in: of those, the share answered on time (the rule of "
                "feedback on time). Empty when none fell due."
            ),
        },
        {
            "key": "alerts_acknowledged",
            "label": _t("Alerts acknowledged"),
            "text": _t(
                "Patrol posts only. Alerts are intelligence and interception instructions; acknowledged means "
                "signed off. The share is over alerts signed off or past their %(window)s minutes."
            )
            % {"window": window},
        },
        {
            "key": "acknowledge_avg_minutes",
            "label": _t("Average minutes to acknowledge"),
            "text": _t("Patrol posts only. The mean of (signed off at − issued at) over acknowledged alerts."),
        },
        {
            "key": "score",
            "label": _t("Score"),
            "text": _t(
                "The weighted mean of the components below, each 0–100 and higher is better, over the "
                "components the unit has data for: the on-time shares as they are; speed = 100 × (1 − "
                "minutes ÷ %(window)s), at least 0; nothing overdue = 100 × (1 − overdue ÷ received); "
                "feedback not returned = 100 × (1 − returned ÷ feedback given); revisits done = done ÷ "
                "revisits. Units are ranked within their kind; equal scores share a rank."
            )
            % {"window": window},
        },
    ]


# --- a unit's drill-down --------------------------------------------------------------------------


@dataclass
class Unit:
    week: Week
    station: Station
    now: datetime
    live: dict[str, Any]
    stored: dict[str, Any] | None
    snapshot: RankingSnapshot | None
    instructions: list[Instruction]
    standard_tasks: list[Instruction]
    scores: list[float | None]
    weeks: list[Week]
    weights: dict[str, int]

    def _pick(self, flag: str) -> list[Instruction]:
        return [i for i in self.instructions if getattr(i, flag)]

    @property
    def late_sign_offs(self) -> list[Instruction]:
        return self._pick("in_sign_off_late")

    @property
    def late_feedback(self) -> list[Instruction]:
        return self._pick("in_feedback_late")

    @property
    def overdue(self) -> list[Instruction]:
        return self._pick("in_overdue")

    @property
    def returned(self) -> list[Instruction]:
        return [i for i in self.instructions if i.return_count]

    @property
    def revisits(self) -> list[Instruction]:
        return [i for i in self.instructions if i.kind == K.REVISIT]

    @property
    def alerts(self) -> list[Instruction]:
        return [i for i in self.instructions if i.kind in ALERT_KINDS]

    @property
    def is_post(self) -> bool:
        return self.station.kind == Station.Kind.PATROL_POST

    @property
    def differs(self) -> bool:
        """The stored figures are no longer what the data says now: a recompute makes a new revision."""
        return self.stored is not None and (
            self.stored["metrics"] != self.live["metrics"] or self.stored["score"] != self.live["score"]
        )

    @property
    def figures(self) -> list[dict[str, Any]]:
        """Each published figure: live and stored values side by side."""
        stored = (self.stored or {}).get("metrics", {})
        return [
            {"key": k, "live": v, "stored": stored.get(k), "changed": self.stored is not None and stored.get(k) != v}
            for k, v in self.live["metrics"].items()
        ]

    @property
    def chart(self) -> dict[str, Any]:
        chart = _chart(self.scores, self.weeks, 480, 150, pad=16)
        step = (480 - 32) / (len(self.weeks) - 1)
        chart["labels"] = [{"x": round(16 + i * step, 1), "text": w.label[-3:]} for i, w in enumerate(self.weeks)]
        chart["grid"] = [{"y": round(16 + (100 - v) * (150 - 32) / 100, 1), "value": v} for v in (0, 50, 100)]
        return chart

    @property
    def components(self) -> list[dict[str, Any]]:
        return [
            {"key": k, "label": component_label(k), "value": v, "weight": self.weights.get(k, 0)}
            for k, v in self.live["components"].items()
        ]


def unit(week: Week, station: Station, *, revision: int | None = None, now: datetime | None = None) -> Unit:
    """A unit's figures computed now, the stored ones (latest or asked revision) and the instructions behind
    them. Computed now, not as of the snapshot: late data is exactly what the drill-down must show."""
    now = now or timezone.now()
    weeks = [week.shift(-i) for i in range(HISTORY_WEEKS - 1, -1, -1)]
    snapshots = list(
        RankingSnapshot.objects.filter(week_start__gte=weeks[0].monday, week_start__lte=week.monday).order_by(
            "-week_start", "-revision"
        )
    )
    this_week = [s for s in snapshots if s.week_start == week.monday]
    snapshot = (
        next((s for s in this_week if s.revision == revision), None)
        if revision is not None
        else (this_week[0] if this_week else None)
    )
    if revision is not None and snapshot is None:
        raise LookupError(revision)
    weights = snapshot.weights if snapshot else RankingWeights.current().as_dict()
    live_rows = compute(week, as_of=now, weights=weights)
    live = next(r for r in live_rows if r["station_id"] == station.pk)
    stored = next((r for r in snapshot.rows if r["station"] == station.code), None) if snapshot else None
    latest = _latest_per_week([s for s in snapshots if s.week_start != week.monday])
    scores = []
    for w in weeks:
        if w == week:
            scores.append((stored or live)["score"])
        elif w.monday in latest:
            scores.append(next((r["score"] for r in latest[w.monday].rows if r["station"] == station.code), None))
        else:
            scores.append(None)
    return Unit(
        week=week,
        station=station,
        now=now,
        live=live,
        stored=stored,
        snapshot=snapshot,
        instructions=flagged(cohort(week).filter(station=station), as_of=now),
        standard_tasks=[
            i for i in flagged(standard_cohort(week).filter(station=station), as_of=now) if i.in_feedback_due
        ],
        scores=scores,
        weeks=weeks,
        weights=weights,
    )
