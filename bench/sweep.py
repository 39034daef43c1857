"""Benchmark of the deadline sweep on PostgreSQL.

    .venv/bin/python bench/sweep.py [--open 1000000] [--due 10000]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_bench, created if missing)

1. With N open instructions of which none is due: the time of one sweep (target < 50 ms).
2. With D falling due at once: the time of the sweep that escalates them (target < 2 s).
Both print the number of SQL queries, which must not grow with the number due.
"""

from __future__ import annotations

import argparse

from _setup import setup, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stations.models import District, Officer, Station
    from stations.roles import Role
    from stations.services import officer_create
    from tasks.services import current_sheet
    from tasks.sweep import sweep_deadlines

    district, _ = District.objects.get_or_create(code="bench", defaults={"name": "bench"})
    station, _ = Station.objects.get_or_create(code="bench", defaults={"district": district, "name": "基准派出所"})
    for username, role, at_station in [
        ("bench_room", Role.COMMAND_ROOM, station),
        ("bench_leader", Role.DUTY_LEADER, station),
        ("bench_officer", Role.COMMUNITY_OFFICER, station),
        ("bench_supervisor", Role.SUPERVISOR, None),
        ("bench_center", Role.CENTER_STAFF, None),
    ]:
        if not Officer.objects.filter(user__username=username).exists():
            officer_create(username=username, name=username, role=role, password=None, station=at_station)
    officer_id = station.officers.get(user__username="bench_officer").pk
    sheet = current_sheet("")
    now = timezone.now()

    with connection.cursor() as cur:
        print(f"resetting: {args.open:,} open instructions, none due ...", flush=True)
        cur.execute("TRUNCATE tasks_instruction, tasks_instructionevent, tasks_notification RESTART IDENTITY CASCADE")
        half = args.open // 2
        # Half waiting for sign-off, half waiting for feedback; every deadline hours ahead of `now`.
        cur.execute(
            """
            INSERT INTO tasks_instruction (kind, status, station_id, answer_sheet_id, note, issued_at, sign_off_due,
                                           return_count, officer_id, feedback_due)
            SELECT 'dispute', CASE WHEN g <= %(half)s THEN 'issued' ELSE 'assigned' END, %(station)s, %(sheet)s, '',
                   %(now)s, %(now)s + interval '2 hours' + (g %% 600) * interval '1 minute', 0,
                   CASE WHEN g <= %(half)s THEN NULL ELSE %(officer)s END,
                   CASE WHEN g <= %(half)s THEN NULL
                        ELSE %(now)s + interval '3 hours' + (g %% 600) * interval '1 minute' END
            FROM generate_series(1, %(n)s) AS g
            """,
            {"half": half, "station": station.pk, "sheet": sheet.pk, "now": now, "officer": officer_id, "n": args.open},
        )
        cur.execute("ANALYZE tasks_instruction")

    ms, report = timed(lambda: sweep_deadlines(now=now), 30)
    with CaptureQueriesContext(connection) as q:
        sweep_deadlines(now=now)
    queries = len(q.captured_queries)
    print(f"none due among {args.open:,} open: {summary(ms)}; {queries} queries; claimed {report.total}")

    with connection.cursor() as cur:
        # D instructions fall due at once: half sign-offs, half feedbacks.
        cur.execute(
            """
            UPDATE tasks_instruction SET sign_off_due = %(now)s - interval '1 minute'
            WHERE id IN (SELECT id FROM tasks_instruction WHERE status = 'issued' ORDER BY id LIMIT %(d)s)
            """,
            {"now": now, "d": args.due // 2},
        )
        cur.execute(
            """
            UPDATE tasks_instruction SET feedback_due = %(now)s - interval '1 minute'
            WHERE id IN (SELECT id FROM tasks_instruction WHERE status = 'assigned' ORDER BY id LIMIT %(d)s)
            """,
            {"now": now, "d": args.due - args.due // 2},
        )
        cur.execute("ANALYZE tasks_instruction")
    with CaptureQueriesContext(connection) as q:
        ms, report = timed(lambda: sweep_deadlines(now=now), 1)
    print(
        f"{args.due:,} falling due at once: {ms[0]:.0f} ms including escalations; {len(q.captured_queries)} queries; "
        f"claimed {report.claimed}; notifications {report.notifications}"
    )
    with CaptureQueriesContext(connection) as q:
        again = sweep_deadlines(now=now)
    print(f"the next sweep: claimed {again.total}; {len(q.captured_queries)} queries")


if __name__ == "__main__":
    main()
