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

from . import kinds
from .models import Instruction, InstructionEvent, InstructionMilestone, Notification
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


@dataclass(frozen=True)
class MilestoneClock:
    """The reminder or the breach of the milestones the kinds declare (`kinds.Milestone`)."""

    name: str
    mark: str
    event: str
    notice: str
    is_breach: bool


MILESTONE_CLOCKS = (
    MilestoneClock(
        "milestone_breach",
        "breached_at",
        InstructionEvent.Kind.MILESTONE_OVERDUE,
        Notification.Kind.MILESTONE_OVERDUE,
        True,
    ),
    MilestoneClock(
        "milestone_reminder",
        "reminded_at",
        InstructionEvent.Kind.MILESTONE_REMINDER,
        Notification.Kind.MILESTONE_REMINDER,
        False,
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


def _claim_milestones(clock: MilestoneClock, now: datetime) -> list[dict[str, Any]]:
    """As `_claim`, for the milestones not done of the open instructions."""
    rows = InstructionMilestone.objects.filter(
        done_at__isnull=True, instruction__status__in=Instruction.OPEN_STATUSES, **{f"{clock.mark}__isnull": True}
    )
    # A reminder whose deadline has already passed is pointless: the breach covers it.
    rows = rows.filter(due_at__lte=now) if clock.is_breach else rows.filter(remind_at__lte=now, due_at__gt=now)
    found: list[dict[str, Any]] = list(
        rows.select_for_update(skip_locked=True, of=("self",))  # type: ignore[arg-type]  # values() rows are dicts
        .order_by("pk")
        .values(
            "pk",
            "name",
            "instruction_id",
            "instruction__kind",
            "instruction__station_id",
            "instruction__issued_by_id",
            "instruction__officer__user_id",
            "due_at",
        )
    )
    # The rows as the instruction clocks' rows read (pk: the instruction's), with the milestone's own.
    claimed = [
        {
            "pk": r["instruction_id"],
            "milestone": r["pk"],
            "name": r["name"],
            "kind": r["instruction__kind"],
            "station_id": r["instruction__station_id"],
            "issued_by_id": r["instruction__issued_by_id"],
            "officer__user_id": r["instruction__officer__user_id"],
            "due": r["due_at"],
        }
        for r in found
    ]
    if claimed:
        InstructionMilestone.objects.filter(
            pk__in=[r["milestone"] for r in claimed], **{f"{clock.mark}__isnull": True}
        ).update(**{clock.mark: F("due_at") if clock.is_breach else now})
    return claimed


def _milestone_notices(clock: MilestoneClock, row: dict[str, Any], who: Recipients) -> list[Notice]:
    station = row["station_id"]
    if not clock.is_breach:
        officer = row["officer__user_id"]
        users = [officer] if officer else who.command_room[station]
    else:
        milestone = kinds.get(row["kind"]).milestone(row["name"])
        if milestone is not None and milestone.overdue_to is not None:
            due = kinds.MilestoneDue(row["pk"], row["name"], station, row["issued_by_id"], row["officer__user_id"])
            users = milestone.overdue_to(due, who)
        else:
            users = [*who.duty_leader[station], *who.center_for(row["issued_by_id"])]
    payload = {"due": row["due"].isoformat(), "milestone": row["name"]}
    return [Notice(u, clock.notice, row["pk"], payload) for u in dict.fromkeys(users) if u]


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
        # Milestones only when a kind declares some: the engine alone sweeps in four range scans.
        milestones = {clock: _claim_milestones(clock, now) for clock in MILESTONE_CLOCKS if kinds.have_milestones()}
        report.claimed = {clock.name: len(rows) for clock, rows in claims.items()}
        report.claimed |= {clock.name: len(milestones.get(clock, ())) for clock in MILESTONE_CLOCKS}
        if not report.total:
            return report
        everything: list[tuple[Clock | MilestoneClock, list[dict[str, Any]]]] = [*claims.items(), *milestones.items()]
        InstructionEvent.objects.bulk_create(
            InstructionEvent(
                instruction_id=row["pk"],
                kind=clock.event,
                at=row["due"] if clock.is_breach else now,
                due_at=row["due"],
                payload={"noticed_at": now.isoformat(), **({"milestone": row["name"]} if "name" in row else {})},
            )
            for clock, rows in everything
            for row in rows
        )
        who = Recipients.load(row["station_id"] for _clock, rows in everything for row in rows)
        notices = [n for clock, rows in claims.items() for row in rows for n in _notices(clock, row, who)]
        notices += [
            n for clock, rows in milestones.items() for row in rows for n in _milestone_notices(clock, row, who)
        ]
        report.notifications = len(send_with_digest(notices, now=now, threshold=settings.NOTIFICATION_DIGEST_THRESHOLD))
    return report
