"""Is the deadline sweep alive? Its own last success, not beat's heartbeat, says so.

The sweep stamps the `Heartbeat` row named "sweep" at the end of each successful run. When that stamp is
older than SWEEP_LATE_AFTER_SECONDS, the sweep is late: /readyz answers 503, the dashboard and the station
queue show a banner, and the center's staff are told once. Beat may be what died, so lateness is noticed
where code still runs: the web (the probe, a page). The alarm is a claim, a conditional UPDATE of the row
(`alarm_at IS NULL`), so any number of requests and processes that notice it send one notice between them;
the sweep's next success clears the claim in the same way and sends the one notice of recovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from stations.models import Officer
from stations.roles import Role
from tasks.models import Heartbeat

SWEEP = "sweep"


@dataclass(frozen=True)
class SweepState:
    last_success: datetime | None  # None: no sweep has succeeded yet (a new database), never "late"
    late: bool

    @property
    def label(self) -> str:
        if self.last_success is None:
            return "unknown"
        return "late" if self.late else "ok"


def _limit() -> timedelta:
    return timedelta(seconds=settings.SWEEP_LATE_AFTER_SECONDS)


def _center_staff() -> list[int]:
    return list(
        Officer.objects.filter(is_active=True, user__is_active=True, role=Role.CENTER_STAFF, is_auxiliary=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _tell_center(kind: str, *, now: datetime, last_success: datetime | None) -> None:
    from tasks.notify import Notice, send

    payload = {"last_success": last_success.isoformat() if last_success else None}
    send([Notice(user, kind, None, payload) for user in _center_staff()], now=now)


def sweep_succeeded(*, now: datetime | None = None) -> bool:
    """The sweep's last act: stamp its success (one UPDATE while all is well); if it had been announced late,
    clear the alarm and announce the recovery, once however many sweeps return at the same time.
    Returns whether this call announced the recovery."""
    from tasks.models import Notification

    now = now or timezone.now()
    if Heartbeat.objects.filter(name=SWEEP, alarm_at__isnull=True).update(at=now):
        return False
    table = Heartbeat._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # The claim of the recovery: only the sweep that clears alarm_at announces it; the old stamp is for the text.
        cursor.execute(
            f"UPDATE {table} AS h SET at = %s, alarm_at = NULL FROM {table} AS old "  # noqa: S608  (our table's name)
            "WHERE h.id = old.id AND h.name = %s AND h.alarm_at IS NOT NULL RETURNING old.at",
            [now, SWEEP],
        )
        row = cursor.fetchone()
        if row is not None:
            _tell_center(Notification.Kind.SWEEP_RECOVERED, now=now, last_success=row[0])
            return True
        Heartbeat.objects.bulk_create(  # the first sweep of a new database (or a concurrent one stamped it)
            [Heartbeat(name=SWEEP, at=now)], update_conflicts=True, unique_fields=["name"], update_fields=["at"]
        )
    return False


def sweep_state(*, now: datetime | None = None) -> SweepState:
    """Whether the sweep is late at `now`; the first caller to find it late announces it (once, by a claim)."""
    from tasks.models import Notification

    now = now or timezone.now()
    row = Heartbeat.objects.filter(name=SWEEP).values_list("at", "alarm_at").first()
    if row is None:
        return SweepState(last_success=None, late=False)
    last, alarm_at = row
    late = now - last > _limit()
    if late and alarm_at is None:
        with transaction.atomic():
            claimed = Heartbeat.objects.filter(name=SWEEP, alarm_at__isnull=True, at__lt=now - _limit()).update(
                alarm_at=now
            )
            if claimed:
                _tell_center(Notification.Kind.SWEEP_LATE, now=now, last_success=last)
    return SweepState(last_success=last, late=late)
