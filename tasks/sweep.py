"""The deadline sweep: one pass claims every reminder and breach that fell due, exactly once.

Learned from healthchecks' sendalerts: a claim is a conditional write on the
row (`*_at IS NULL`), done under row locks that a concurrent sweep skips, so two
sweeps at once split the work and a late or restarted sweep catches up; a
breach is stamped with its true deadline, not the minute it was noticed. Every
query is a range scan on a partial index of what is still open, and the number
of queries does not grow with the number of rows due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Instruction, InstructionEvent, Notification
from .notify import Notice, Recipients, send_with_digest

S = Instruction.Status


@dataclass(frozen=True)
class Clock:
    """One kind of claim: a reminder before a deadline, or the breach of it."""

    name: str
    statuses: tuple[str, ...]
    due: str  # the deadline column
    mark: str  # the column that records the claim
    event: str
    notice: str
    remind: str | None = None  # reminders: the column that says when the reminder is due

    @property
    def is_breach(self) -> bool:
        return self.remind is None


CLOCKS = (
    Clock(
        "sign_off_breach",
        (S.ISSUED,),
        "sign_off_due",
        "sign_off_breached_at",
        InstructionEvent.Kind.SIGN_OFF_OVERDUE,
        Notification.Kind.SIGN_OFF_OVERDUE,
    ),
    Clock(
        "feedback_breach",
        Instruction.FEEDBACK_OPEN,
        "feedback_due",
        "feedback_breached_at",
        InstructionEvent.Kind.FEEDBACK_OVERDUE,
        Notification.Kind.FEEDBACK_OVERDUE,
    ),
    Clock(
        "sign_off_reminder",
        (S.ISSUED,),
        "sign_off_due",
        "sign_off_reminded_at",
        InstructionEvent.Kind.SIGN_OFF_REMINDER,
        Notification.Kind.SIGN_OFF_REMINDER,
        "sign_off_remind_at",
    ),
    Clock(
        "feedback_reminder",
        Instruction.FEEDBACK_OPEN,
        "feedback_due",
        "feedback_reminded_at",
        InstructionEvent.Kind.FEEDBACK_REMINDER,
        Notification.Kind.FEEDBACK_REMINDER,
        "feedback_remind_at",
    ),
)


@dataclass
class SweepReport:
    now: datetime
    claimed: dict[str, int] = field(default_factory=dict)
    notifications: int = 0

    @property
    def total(self) -> int:
        return sum(self.claimed.values())

    def __str__(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in self.claimed.items())
        return f"sweep at {self.now.isoformat()}: {parts}, notifications={self.notifications}"


def _claim(clock: Clock, now: datetime) -> list[dict[str, Any]]:
    """Lock, mark and return the rows of `clock` that fall due at `now`; rows another sweep holds are skipped."""
    rows = Instruction.objects.filter(status__in=clock.statuses, **{f"{clock.mark}__isnull": True})
    if clock.is_breach:
        rows = rows.filter(**{f"{clock.due}__lte": now})
    else:
        # A reminder whose deadline has already passed is pointless: the breach covers it.
        rows = rows.filter(**{f"{clock.remind}__lte": now, f"{clock.due}__gt": now})
    claimed: list[dict[str, Any]] = list(
        rows.select_for_update(skip_locked=True, of=("self",))  # type: ignore[arg-type]  # values() rows are dicts
        .order_by("pk")
        .values("pk", "station_id", "issued_by_id", "officer__user_id", due=F(clock.due))
    )
    if claimed:
        Instruction.objects.filter(pk__in=[r["pk"] for r in claimed], **{f"{clock.mark}__isnull": True}).update(
            **{clock.mark: F(clock.due) if clock.is_breach else now}
        )
    return claimed


def _notices(clock: Clock, row: dict[str, Any], who: Recipients) -> list[Notice]:
    station = row["station_id"]
    if clock.name == "sign_off_reminder":
        users = who.command_room[station]
    elif clock.name == "feedback_reminder":
        users = [row["officer__user_id"]]
    elif clock.name == "sign_off_breach":
        users = [*who.duty_leader[station], *who.supervisors]
    else:
        users = [*who.duty_leader[station], *who.center_for(row["issued_by_id"])]
    payload = {"due": row["due"].isoformat()}
    return [Notice(u, clock.notice, row["pk"], payload) for u in dict.fromkeys(users) if u]


def sweep_deadlines(*, now: datetime | None = None) -> SweepReport:
    """Send every reminder and escalate every breach that is due at `now`, each exactly once; then record
    the sweep's success (after the claims commit: a sweep that fails records nothing), see sweepwatch."""
    from tasks import sweepwatch

    report = _sweep(now or timezone.now())
    sweepwatch.sweep_succeeded()
    return report


def _sweep(now: datetime) -> SweepReport:
    report = SweepReport(now=now)
    with transaction.atomic():
        claims = {clock: _claim(clock, now) for clock in CLOCKS}
        report.claimed = {clock.name: len(rows) for clock, rows in claims.items()}
        if not report.total:
            return report
        InstructionEvent.objects.bulk_create(
            InstructionEvent(
                instruction_id=row["pk"],
                kind=clock.event,
                at=row["due"] if clock.is_breach else now,
                due_at=row["due"],
                payload={"noticed_at": now.isoformat()},
            )
            for clock, rows in claims.items()
            for row in rows
        )
        who = Recipients.load(row["station_id"] for rows in claims.values() for row in rows)
        notices = [n for clock, rows in claims.items() for row in rows for n in _notices(clock, row, who)]
        report.notifications = len(send_with_digest(notices, now=now, threshold=settings.NOTIFICATION_DIGEST_THRESHOLD))
    return report
