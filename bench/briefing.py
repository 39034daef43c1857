"""Benchmark of the 09:00 briefing's figures (patrol.briefing) on PostgreSQL.

    .venv/bin/python bench/briefing.py [--base 1000000] [--days 730] [--runs 5] [--keep]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_bench_briefing, created if missing)

The demo district (seed_demo: 19 stations, 6 patrol posts and their communities), then B incidents
bulk-inserted by SQL over the last D days (two years, so that the same week a year earlier has figures):
the 110 hour profile, the demo's category shares, a public place (bus stop, crossing...) or a dwelling on
the community's road, the places skewed so that some are hot spots. Each post's patrol area is the
communities on its road, its neighbouring stations those whose roads include it (the demo seeds no patrol
area yet). For each of the 6 posts: the briefing's time (target < 1 s), its SQL queries, and each query's
plan (EXPLAIN ANALYZE). --keep reuses the incidents a previous run inserted.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_bench_briefing")  # a database of its own

from _setup import setup, summary, timed

PREFIX = "BRF"
FILL = """
INSERT INTO disputes_incident (number, received_at, category_id, caller_name, caller_phone, caller_phone_norm,
    caller_id_number, address, address_norm, community_id, station_id, summary, resolved_at_scene, is_severe,
    repeat_caller_count, repeat_address_count, repeat_flagged, created_at)
SELECT %(prefix)s || g,
       %(start)s + x.day * interval '1 day' + (%(hours)s)[1 + x.h] * interval '1 hour' + x.s * interval '1 second',
       (%(categories)s)[1 + x.c], '陈女士', '13800138000', '13800138000', '',
       CASE WHEN x.home THEN '江汉区' || (%(roads)s)[1 + x.p] || x.n || '号' || x.b || '栋' || x.u || '单元'
                             || x.f || '室'
            ELSE '江汉区' || (%(roads)s)[1 + x.p] || x.n || '号' || (%(places)s)[1 + x.k] END,
       CASE WHEN x.home THEN '江汉区' || (%(roads)s)[1 + x.p] || x.n || '号' || x.b || '栋' || x.u || '单元' || x.f
            ELSE '' END,
       (%(communities)s)[1 + x.p], (%(stations)s)[1 + x.p], '报警人称电动车被盗', true, false, 1, 1, false, now()
FROM generate_series(1, %(n)s) AS g,
LATERAL (
    SELECT floor(random() * %(days)s)::int + 0 * g AS day,
           floor(random() * array_length(%(hours)s, 1))::int AS h,
           floor(random() * 3600)::int AS s,
           floor(random() * array_length(%(categories)s, 1))::int AS c,
           floor(random() * array_length(%(communities)s, 1))::int AS p,
           1 + floor(420 * power(random(), 4))::int AS n,
           floor(random() * array_length(%(places)s, 1))::int AS k,
           1 + floor(random() * 12)::int AS b, 1 + floor(random() * 4)::int AS u,
           (1 + floor(random() * 28)::int) * 100 + 1 + floor(random() * 4)::int AS f,
           random() < 0.35 AS home
) AS x
"""


def weighted(values: list, weights: list[float], scale: float) -> list:
    """Each value repeated in proportion to its weight: a random index into it draws by weight."""
    return [v for v, w in zip(values, weights, strict=True) for _ in range(max(1, round(w * scale)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the incidents already inserted")
    args = parser.parse_args()
    setup()

    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.time import day_at, today
    from demo.district import (
        CRIMINAL_CATEGORIES,
        DISPUTE_CATEGORIES,
        HOUR_WEIGHTS,
        OTHER_CATEGORIES,
        PATROL_POSTS,
        PLACES,
        POLICE_STATIONS,
        community_code,
    )
    from disputes.models import Category, Incident
    from patrol.briefing import briefing
    from stations.models import Community, Station

    if not Station.objects.filter(kind=Station.Kind.PATROL_POST).exists():
        print("seeding the demo district ...", flush=True)
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    day = today()
    roads = {community_code(spec, i): spec.roads[i % len(spec.roads)] for spec in POLICE_STATIONS
             for i in range(len(spec.communities))}  # fmt: skip
    communities = list(
        Community.objects.filter(code__in=roads).order_by("code").values_list("code", "pk", "station_id")
    )
    ids = dict(Category.objects.values_list("code", "pk"))
    shares = {row[0]: row[-2] for row in (*DISPUTE_CATEGORIES, *OTHER_CATEGORIES, *CRIMINAL_CATEGORIES)}
    codes = [code for code in shares if code in ids]

    with connection.cursor() as cur:
        have = Incident.objects.filter(number__startswith=PREFIX).count()
        if not (args.keep and have >= args.base):
            cur.execute("DELETE FROM disputes_incident WHERE number LIKE %s", [PREFIX + "%"])
            print(f"inserting {args.base:,} incidents over the last {args.days} days ...", flush=True)
            cur.execute(
                FILL,
                {
                    "prefix": PREFIX,
                    "start": day_at(day - dt.timedelta(days=args.days)),
                    "days": args.days,
                    "n": args.base,
                    "hours": weighted(list(range(24)), HOUR_WEIGHTS, 2),
                    "categories": weighted([ids[c] for c in codes], [shares[c] for c in codes], 2),
                    "communities": [pk for _code, pk, _station in communities],
                    "stations": [station for _code, _pk, station in communities],
                    "roads": [roads[code] for code, _pk, _station in communities],
                    "places": PLACES,
                },
            )
            cur.execute("ANALYZE disputes_incident")
    print(f"incidents stored: {Incident.objects.count():,}; briefing of {day}")

    stations = dict(Station.objects.values_list("code", "pk"))
    for post in PATROL_POSTS:
        area = [pk for code, pk, _station in communities if roads[code] in post.roads]
        neighbours = [stations[s.code] for s in POLICE_STATIONS if set(s.roads) & set(post.roads)]

        def compute(area=area, neighbours=neighbours) -> object:
            return briefing(communities=area, stations=neighbours, day=day)

        compute()  # warm
        with CaptureQueriesContext(connection) as q:
            result = compute()
        ms, result = timed(compute, args.runs)
        top = result.hot_spots[0] if result.hot_spots else None
        print(
            f"\n== {post.name} ({post.code}): {len(area)} communities, {len(neighbours)} neighbouring stations; "
            f"{result.total:,} incidents in the week ({result.total_last_year:,} a year earlier), "
            f"{len(result.places):,} places, {result.preventable_total:,} preventable; "
            f"top spot {top.address if top else '-'} ({top.count if top else 0})"
        )
        print(f"   briefing: {summary(ms)}; {len(q.captured_queries)} SQL queries")
        with connection.cursor() as cur:
            for n, query in enumerate(q.captured_queries, start=1):
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print(f"   -- query {n}:")
                print("\n".join("      " + row[0] for row in cur.fetchall()))


if __name__ == "__main__":
    main()
