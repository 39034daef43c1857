"""Benchmark of the daily selection and the center dashboard on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--base 1000000] [--day 30000]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_bench_dash, created if missing)

1. The selection over one day of D incidents (a whole city; target < 1 s).
2. The dashboard with N incidents stored: SQL queries (at most 20, the same at any size) and
   server time per render, median and p95 (target < 100 ms at 1,000,000).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_bench_dash")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

from _setup import setup, summary, timed

FILL = """
INSERT INTO disputes_incident (number, received_at, category_id, caller_name, caller_phone, caller_phone_norm,
    caller_id_number, address, address_norm, community_id, station_id, summary, resolved_at_scene, is_severe,
    repeat_caller_count, repeat_address_count, repeat_flagged, created_at)
SELECT %(prefix)s || g, %(start)s + (g %% %(spread)s) * interval '1 second',
       (%(categories)s)[1 + g %% array_length(%(categories)s, 1)], '陈女士', '13800138000',
       '1380013' || lpad((g %% 10000)::text, 4, '0'),
       '', '江汉区前进一路' || (g %% 500) || '号', '江汉区前进一路' || (g %% 500) || '号',
       (%(communities)s)[1 + g %% array_length(%(communities)s, 1)],
       (%(stations)s)[1 + g %% array_length(%(communities)s, 1)],
       CASE WHEN g %% 97 = 0 THEN '对方扬言要把孩子扔下楼' ELSE '报警人称与邻居发生口角' END,
       g %% 5 <> 0, false, 1 + (g %% 7 = 0)::int * 2, 1, g %% 7 = 0, now()
FROM generate_series(1, %(n)s) AS g
"""


def fill(cur, *, prefix: str, start, spread_seconds: int, n: int, categories: list[int], places: list) -> None:
    cur.execute(
        FILL,
        {
            "prefix": prefix,
            "start": start,
            "spread": spread_seconds,
            "n": n,
            "categories": categories,
            "communities": [c for c, _s in places],
            "stations": [s for _c, s in places],
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=1_000_000)
    parser.add_argument("--day", type=int, default=30_000)
    args = parser.parse_args()
    setup()

    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from control_center.models import Selection
    from control_center.services import selection_run
    from core.time import day_at, yesterday
    from disputes.models import Category, Incident
    from stations.models import Community

    if not Category.objects.exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    day = yesterday()
    places = list(Community.objects.values_list("pk", "station_id"))
    disputes = list(Category.objects.filter(is_dispute=True).values_list("pk", flat=True))
    everything = list(Category.objects.values_list("pk", flat=True))

    with connection.cursor() as cur:
        have = Incident.objects.filter(number__startswith="BASE").count()
        if have < args.base:
            print(f"filling {args.base - have:,} incidents over the last year ...", flush=True)
            start = day_at(day - dt.timedelta(days=364))
            fill(cur, prefix=f"BASE{have}-", start=start, spread_seconds=364 * 86400, n=args.base - have,
                 categories=everything, places=places)  # fmt: skip
        cur.execute("TRUNCATE control_center_selectionevent, control_center_selectionitem, control_center_selection")
        cur.execute("DELETE FROM disputes_incident WHERE number LIKE 'CITY%%'")
        print(f"filling one day of {args.day:,} incidents (a whole city) ...", flush=True)
        fill(cur, prefix="CITY", start=day_at(day), spread_seconds=86399,
             n=args.day, categories=disputes, places=places)  # fmt: skip
        cur.execute("ANALYZE disputes_incident")
    total = Incident.objects.count()
    print(f"incidents stored: {total:,}")

    def select() -> object:
        Selection.objects.filter(date=day).delete()
        return selection_run(day=day)

    ms, selection = timed(select, 5)
    proposed = selection.items.count()
    print(f"selection over {selection.candidates:,} disputes of {day}: {summary(ms)}; {proposed} proposed")

    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="center"))
    client.get("/center/")
    with CaptureQueriesContext(connection) as q:
        response = client.get("/center/")
    assert response.status_code == 200, response.status_code
    print(f"dashboard: {len(q.captured_queries)} SQL queries with {total:,} incidents stored")
    ms, _ = timed(lambda: client.get("/center/"), 30)
    print(f"dashboard render (server time, whole request): {summary(ms)}")
    ms, _ = timed(lambda: client.get("/center/?station=hualoujie&status=issued"), 30)
    print(f"dashboard render, filtered: {summary(ms)}")


if __name__ == "__main__":
    main()
