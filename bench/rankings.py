"""Benchmark of the weekly rankings on PostgreSQL.

    .venv/bin/python bench/rankings.py [--instructions 1000000] [--weeks 52] [--keep]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_bench_rankings, created if missing)

N instructions (with an event each, and breach events) spread over W weeks, 19 police stations and
6 patrol posts:
1. computing one week's ranking (target < 2 s), with its number of SQL queries;
2. storing it as a snapshot;
3. the rankings page served from a snapshot, 12 weeks of history stored (target <= 10 queries and a
   median under 50 ms), timed through Django's test client: middleware, view and template included.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_bench_rankings")  # a database of its own

from _setup import setup, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instructions", type=int, default=1_000_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--keep", action="store_true", help="reuse the instructions already generated")
    args = parser.parse_args()
    setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from control_center.models import RankingSnapshot, RankingWeights
    from control_center.rankings import Week, compute, snapshot_week
    from stations.models import District, Officer, Station
    from stations.roles import Role
    from stations.services import officer_create
    from tasks.services import current_sheet

    # The test client without setup_test_environment(): templates render as in production, not instrumented.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    district, _ = District.objects.get_or_create(code="bench", defaults={"name": "bench"})
    stations = []
    for kind, prefix, count in (("police_station", "ps", 19), ("patrol_post", "pp", 6)):
        for n in range(1, count + 1):
            station, _ = Station.objects.get_or_create(
                code=f"bench-{prefix}-{n:02d}",
                defaults={"district": district, "name": f"{prefix}{n:02d}", "kind": kind},
            )
            stations.append(station.pk)
    if not Officer.objects.filter(user__username="bench_officer").exists():
        officer_create(
            username="bench_officer",
            name="bench",
            role=Role.COMMUNITY_OFFICER,
            password=None,
            station=Station.objects.get(pk=stations[0]),
        )
    if not Officer.objects.filter(user__username="bench_supervisor").exists():
        officer_create(username="bench_supervisor", name="bench", role=Role.SUPERVISOR, password=None)
    officer_id = Officer.objects.get(user__username="bench_officer").pk
    supervisor = Officer.objects.get(user__username="bench_supervisor").user
    sheet = current_sheet("")
    last_week = Week.of(timezone.now()).shift(-1)  # the data fills the weeks up to last week
    target = last_week.shift(-(args.weeks // 2))  # a week in the middle of the data
    as_of = timezone.now()

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tasks_instruction")
        have = cur.fetchone()[0]
        if not (args.keep and have >= args.instructions):
            print(f"generating {args.instructions:,} instructions over {args.weeks} weeks ...", flush=True)
            cur.execute(
                "TRUNCATE tasks_instruction, tasks_instructionevent, tasks_notification, "
                "control_center_rankingsnapshot RESTART IDENTITY CASCADE"
            )
            # g decides everything: unit (25), kind (20 slots), status (10 slots), delays, week, moment.
            cur.execute(
                """
                WITH base AS (
                  SELECT g,
                         (%(stations)s::bigint[])[1 + g %% 25] AS station_id,
                         CASE WHEN g %% 20 < 12 THEN 'dispute' WHEN g %% 20 < 14 THEN 'revisit'
                              WHEN g %% 20 = 14 THEN 'verification' WHEN g %% 20 < 17 THEN 'intelligence'
                              WHEN g %% 20 = 17 THEN 'interception' WHEN g %% 20 = 18 THEN 'standard_task'
                              ELSE 'rectification' END AS kind,
                         CASE g %% 10 WHEN 0 THEN 'issued' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'assigned'
                              WHEN 3 THEN 'feedback_submitted' WHEN 4 THEN 'returned' ELSE 'closed' END AS status,
                         %(start)s::timestamptz - (g %% %(weeks)s) * interval '1 week'
                           + ((g::bigint * 7919) %% 604800) * interval '1 second' AS issued_at,
                         (g %% 45) AS sign_min, (g %% 200) AS fb_min
                  FROM generate_series(1, %(n)s) AS g
                )
                INSERT INTO tasks_instruction (kind, status, station_id, answer_sheet_id, note, issued_at,
                    sign_off_due, signed_at, sign_off_late, sign_off_late_minutes, officer_id, feedback_due,
                    feedback_at, feedback_late, feedback_late_minutes, return_count, closed_at)
                SELECT kind, status, station_id, %(sheet)s, '', issued_at,
                       issued_at + interval '30 minutes',
                       CASE WHEN status IN ('issued', 'cancelled') THEN NULL
                            ELSE issued_at + sign_min * interval '1 minute' END,
                       CASE WHEN status IN ('issued', 'cancelled') THEN NULL ELSE sign_min > 30 END,
                       CASE WHEN status IN ('issued', 'cancelled') THEN NULL ELSE greatest(0, sign_min - 30) END,
                       CASE WHEN status IN ('issued', 'cancelled') THEN NULL ELSE %(officer)s END,
                       CASE WHEN status IN ('issued', 'cancelled') THEN NULL
                            ELSE issued_at + (sign_min + 180) * interval '1 minute' END,
                       CASE WHEN status IN ('feedback_submitted', 'returned', 'closed')
                            THEN issued_at + (sign_min + fb_min) * interval '1 minute' END,
                       CASE WHEN status IN ('feedback_submitted', 'returned', 'closed') THEN fb_min > 180 END,
                       CASE WHEN status IN ('feedback_submitted', 'returned', 'closed')
                            THEN greatest(0, fb_min - 180) END,
                       CASE WHEN status = 'returned' OR (status = 'closed' AND g %% 7 = 0) THEN 1 ELSE 0 END,
                       CASE WHEN status IN ('cancelled', 'closed') THEN issued_at + interval '20 hours' END
                FROM base
                ORDER BY issued_at  -- ids grow with time, as in real life: a week's rows lie together
                """,
                {
                    "stations": stations,
                    "start": last_week.start,
                    "weeks": args.weeks,
                    "n": args.instructions,
                    "sheet": sheet.pk,
                    "officer": officer_id,
                },
            )
            print("generating events: one 'issued' each, and breaches of returned feedback ...", flush=True)
            cur.execute(
                """
                INSERT INTO tasks_instructionevent (instruction_id, at, kind, from_status, to_status, note,
                                                    due_at, payload)
                SELECT id, issued_at, 'issued', '', '', '', sign_off_due, '{}'::jsonb FROM tasks_instruction
                UNION ALL
                SELECT id, feedback_due, 'feedback_overdue', '', '', '', feedback_due, '{}'::jsonb
                FROM tasks_instruction WHERE return_count > 0 AND id % 2 = 0
                """
            )
            cur.execute("ANALYZE tasks_instruction")
            cur.execute("ANALYZE tasks_instructionevent")
        cur.execute(
            "SELECT count(*) FROM tasks_instruction WHERE issued_at >= %s AND issued_at < %s",
            [target.start, target.end],
        )
        in_week = cur.fetchone()[0]

    weights = RankingWeights.current().as_dict()
    compute(target, as_of=as_of, weights=weights)  # warm the connection and the caches
    ms, rows = timed(lambda: compute(target, as_of=as_of, weights=weights), 15)
    with CaptureQueriesContext(connection) as q:
        compute(target, as_of=as_of, weights=weights)
    print(
        f"1. one week's ranking ({target}, {in_week:,} of {args.instructions:,} instructions; {len(rows)} units): "
        f"{summary(ms)}; {len(q.captured_queries)} queries"
    )

    RankingSnapshot.objects.all().delete()
    ms, _ = timed(lambda: snapshot_week(week=target, now=as_of), 1)
    print(f"2. stored as a snapshot: {ms[0]:.0f} ms")
    for back in range(1, 12):
        snapshot_week(week=target.shift(-back), now=as_of)

    client = Client()
    client.force_login(supervisor)
    url = f"/rankings/?week={target}"
    assert client.get(url).status_code == 200
    ms, _ = timed(lambda: client.get(url), 50)
    with CaptureQueriesContext(connection) as q:
        response = client.get(url)
    assert response.status_code == 200
    print(f"3. the rankings page from a snapshot, 12 weeks stored: {summary(ms)}; {len(q.captured_queries)} queries")


if __name__ == "__main__":
    main()
