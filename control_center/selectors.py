"""Reads for the district center's own pages: the dashboard, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from core.time import day_bounds, day_of, zone
from disputes.models import Incident
from tasks.models import Instruction, Notification
from tasks.selectors import instructions_for, overdue_q, with_urgency

from .models import Selection, SelectionEvent, SelectionItem

OPEN_ROWS = 60  # open instructions shown; the count says how many more


@dataclass(frozen=True)
class Filters:
    station: str = ""
    category: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        status = query.get("status", "")
        return cls(
            station=query.get("station", "")[:32],
            category=query.get("category", "")[:32],
            status=status if status in Instruction.Status.values else "",
        )

    def incidents(self, qs: QuerySet[Incident]) -> QuerySet[Incident]:
        if self.station:
            qs = qs.filter(station__code=self.station)
        if self.category:
            qs = qs.filter(category__code=self.category)
        return qs

    def instructions(self, qs: QuerySet[Instruction]) -> QuerySet[Instruction]:
        if self.station:
            qs = qs.filter(station__code=self.station)
        if self.category:
            qs = qs.filter(category__code=self.category)
        return qs.filter(status=self.status) if self.status else qs.open()


@dataclass
class Dashboard:
    day: date
    now: datetime
    filters: Filters
    incident_total: int = 0
    dispute_total: int = 0
    by_category: list[dict[str, Any]] = field(default_factory=list)
    by_station: list[dict[str, Any]] = field(default_factory=list)
    per_hour: list[int] = field(default_factory=list)
    flagged: list[Incident] = field(default_factory=list)
    open_total: int = 0
    overdue_total: int = 0
    instructions: list[Instruction] = field(default_factory=list)
    overdue_by_station: list[dict[str, Any]] = field(default_factory=list)
    selection: Selection | None = None
    notifications: list[Notification] = field(default_factory=list)

    @property
    def hour_max(self) -> int:
        return max(self.per_hour or [0]) or 1

    @property
    def overdue_max(self) -> int:
        return max([r["n"] for r in self.overdue_by_station] or [0]) or 1

    @property
    def hour_bars(self) -> list[dict[str, Any]]:
        """The incidents-per-hour chart, as bar geometry for an inline SVG (100 units high)."""
        return [
            {
                "hour": h,
                "n": n,
                "x": h * 10,
                "h": round(90 * n / self.hour_max),
                "y": 90 - round(90 * n / self.hour_max),
            }
            for h, n in enumerate(self.per_hour)
        ]

    @property
    def overdue_bars(self) -> list[dict[str, Any]]:
        return [{**r, "pct": round(100 * r["n"] / self.overdue_max)} for r in self.overdue_by_station]


def dashboard(user: Any, filters: Filters, *, now: datetime | None = None) -> Dashboard:
    """Everything the center dashboard shows, in a fixed number of queries whatever the data."""
    now = now or timezone.now()
    day = day_of(now)
    start, end = day_bounds(day)
    board = Dashboard(day=day, now=now, filters=filters)

    today = filters.incidents(Incident.objects.visible_to(user).filter(received_at__gte=start, received_at__lt=end))
    board.by_category = list(
        today.values("category__code", "category__name", "category__is_dispute")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    board.incident_total = sum(r["n"] for r in board.by_category)
    board.dispute_total = sum(r["n"] for r in board.by_category if r["category__is_dispute"])
    board.by_station = list(
        today.values("station__code", "station__name").annotate(n=Count("pk")).order_by("-n", "station__code")
    )
    hours = dict(
        today.annotate(hour=ExtractHour("received_at", tzinfo=zone()))
        .values("hour")
        .annotate(n=Count("pk"))
        .values_list("hour", "n")
    )
    board.per_hour = [hours.get(h, 0) for h in range(24)]
    board.flagged = list(
        today.filter(repeat_flagged=True).select_related("category", "station").order_by("-received_at")[:20]
    )

    instructions = filters.instructions(instructions_for(user))
    counts = instructions.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_q(now)))
    board.open_total, board.overdue_total = counts["total"], counts["overdue"]
    board.instructions = list(with_urgency(instructions, now)[:OPEN_ROWS])
    board.overdue_by_station = list(
        instructions.filter(overdue_q(now))
        .values("station__code", "station__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "station__code")
    )

    items = SelectionItem.objects.select_related("incident__category", "incident__station", "instruction").order_by(
        "rank", "pk"
    )
    events = SelectionEvent.objects.select_related("actor__officer", "incident").order_by("at", "pk")
    board.selection = (
        Selection.objects.filter(date=day - timedelta(days=1))
        .select_related("dispatched_by")
        .prefetch_related(Prefetch("items", queryset=items), Prefetch("events", queryset=events))
        .first()
    )
    board.notifications = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("instruction")
        .order_by("-created_at", "-pk")[:8]
    )
    return board


def dashboard_choices() -> dict[str, Any]:
    """The filter choices (reference data)."""
    from disputes.models import Category
    from stations.models import Station

    return {
        "stations": list(Station.objects.order_by("kind", "code").values_list("code", "name")),
        "categories": list(
            Category.objects.filter(is_criminal=False).order_by("sort_order", "code").values_list("code", "name")
        ),
        "statuses": Instruction.Status.choices,
    }


def selection_for(day: date) -> Selection | None:
    return Selection.objects.filter(date=day).first()


def incident_by_number(user: Any, number: str) -> Incident | None:
    return Incident.objects.visible_to(user).filter(Q(number=number.strip())).first()
