"""Benchmark of the incident intake on PostgreSQL.

    .venv/bin/python bench/intake.py [--base 1000000] [--base-days 1095] [--count 100000] [--days 90]
                                     [--batch 5000] [--singles 200]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_intake, created if missing)

1. The demo's reference data (seed_demo, once) and a base of --base incidents over the --base-days
   before the last --days (generate_incidents --direct; skipped when the table already holds that
   many), then VACUUM ANALYZE. Three years by default: some 900 calls a day, a busy district.
   The incidents of an earlier run of this benchmark (numbered BENCH...) are removed first.
2. --count new incidents over the last --days, repeat callers among them and against the base,
   through `disputes.intake.intake` in batches of --batch (the most the API takes), validation and
   repeat linking included: rows/s overall and per batch, SQL queries per batch (target: 5,000 rows/s).
   The denser the calls, the more of them repeat and the more groups a batch links: --base-days 365
   --days 30 (2,700 then 3,300 calls a day) is a stress case.
3. The plan of the repeat lookup (`earlier_incidents`, as count_repeats runs it) for one batch and
   for one incident.
4. A single incident through the API's service (`incidents_intake([row])`): median and p95.
Each run leaves the --singles incidents of step 4 (and their revisits) in the database.
"""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_intake")

import argparse
import datetime as dt
import io
import re
import statistics
import time

from _setup import setup, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=1_000_000)
    parser.add_argument("--base-days", type=int, default=1095)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--singles", type=int, default=200)
    args = parser.parse_args()
    setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from demo.management.commands.generate_incidents import generate_rows, next_run
    from disputes.intake import intake
    from disputes.models import Category, Incident
    from disputes.services import incidents_intake

    if not Category.objects.exists():
        print("seeding the demo district ...", flush=True)
        call_command("seed_demo", stdout=io.StringIO())
    with connection.cursor() as cur:  # the incidents of an earlier run of this benchmark
        cur.execute(
            "DELETE FROM disputes_repeatlink l USING disputes_incident i"
            " WHERE i.id = l.incident_id AND i.number LIKE %s",
            ["BENCH%"],
        )
        cur.execute("DELETE FROM disputes_incident WHERE number LIKE %s", ["BENCH%"])
        cur.execute(
            "DELETE FROM disputes_repeatgroup g"
            " WHERE NOT EXISTS (SELECT FROM disputes_repeatlink WHERE group_id = g.id)"
            " AND NOT EXISTS (SELECT FROM disputes_followup WHERE group_id = g.id)"
        )
    have = Incident.objects.count()
    if have < args.base:
        print(f"filling the base: {args.base - have:,} incidents over the {args.base_days} days before ...", flush=True)
        started = time.perf_counter()
        call_command(
            "generate_incidents",
            count=args.base - have,
            days=args.base_days,
            until_days_ago=args.days,
            seed=next_run(),
            direct=True,
            batch=20_000,
            stdout=io.StringIO(),
        )
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE disputes_incident, disputes_repeatgroup, disputes_repeatlink")
    base = Incident.objects.count()

    now = timezone.now()
    rows = generate_rows(count=args.count, days=args.days, seed=1, now=now)
    for seq, row in enumerate(rows, start=1):  # as the API receives them
        row["number"] = f"BENCH{seq:08d}"
        row["received_at"] = row["received_at"].isoformat()
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    print(
        f"intake of {args.count:,} incidents over the last {args.days} days into {base:,} "
        f"(base over the {args.base_days} days before), in batches of {args.batch:,}"
    )

    queries: list[int] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[-1] += 1
        return execute(sql, params, many, context)

    ms: list[float] = []
    plan = plan_one = ""
    for k, chunk in enumerate(batches):
        if k == len(batches) // 2:
            plan = repeat_lookup(chunk, now).explain(analyze=True, buffers=True)
            plan_one = repeat_lookup(chunk[:1], now).explain(analyze=True, buffers=True)
        queries.append(0)
        with connection.execute_wrapper(count):
            t = time.perf_counter()
            result = intake(chunk, now=now)
            ms.append((time.perf_counter() - t) * 1000)
        if result.errors:
            raise SystemExit(f"batch {k + 1}: rows refused: {result.errors[:3]}")
        repeats = sum(1 for i in result.created if i.repeat_caller_count > 1 or i.repeat_address_count > 1)
        print(
            f"  batch {k + 1:>3}: {ms[-1]:7.0f} ms  {len(chunk) / ms[-1] * 1000:7,.0f} rows/s  "
            f"{queries[-1]} queries  {len(result.created):,} stored  {repeats:,} repeats",
            flush=True,
        )
    rates = sorted(len(b) / t * 1000 for b, t in zip(batches, ms, strict=True))
    print(
        f"overall: {args.count:,} rows in {sum(ms) / 1000:.1f} s = {args.count / sum(ms) * 1000:,.0f} rows/s "
        f"(target 5,000)"
    )
    print(f"per batch: {summary(ms)}")
    print(
        f"per batch rows/s: median {statistics.median(rates):,.0f}, p95 (slowest 5%) "
        f"{rates[round(0.05 * (len(rates) - 1))]:,.0f}"
    )
    print(f"SQL queries per batch: median {statistics.median(queries):.0f}, max {max(queries)}")

    prefix = "BENCH"
    new = Incident.objects.filter(number__startswith=prefix)
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(DISTINCT l.incident_id) FROM disputes_repeatlink l
            JOIN disputes_incident i ON i.id = l.incident_id AND i.number LIKE %(new)s
            WHERE EXISTS (SELECT 1 FROM disputes_repeatlink o JOIN disputes_incident j ON j.id = o.incident_id
                          WHERE o.group_id = l.group_id AND j.number NOT LIKE %(new)s)
            """,
            {"new": prefix + "%"},
        )
        against_base = cur.fetchone()[0]
    callers, places = new.filter(repeat_caller_count__gt=1).count(), new.filter(repeat_address_count__gt=1).count()
    print(
        f"repeats among the new: caller {callers:,}, place {places:,}, "
        f"flagged {new.filter(repeat_flagged=True).count():,}; in a group with an older incident: {against_base:,}"
    )
    plan = re.sub(r"'\{([^}]*)\}'", lambda m: f"'{{{m[1].count(',') + 1} values}}'", plan)  # the lists, counted
    print(f"\nrepeat lookup of batch {len(batches) // 2 + 1} (EXPLAIN ANALYZE, BUFFERS):\n{plan}\n")
    print(f"repeat lookup of its first incident alone:\n{plan_one}\n")

    actor = get_user_model().objects.filter(username="center").first()
    run = next_run()
    singles = iter(generate_rows(count=args.singles, days=1, seed=run, now=timezone.now(), run=run))

    def post_one() -> None:
        row = next(singles)
        row["received_at"] = row["received_at"].isoformat()
        result = incidents_intake([row], actor=actor)
        assert len(result.created) == 1, result.errors

    ms, _ = timed(post_one, args.singles)
    print(f"single incident through incidents_intake (the API's POST): {summary(ms)}")


def repeat_lookup(chunk: list[dict], now: dt.datetime):  # type: ignore[no-untyped-def]
    """The repeat lookup of count_repeats for one batch: disputes.intake.earlier_incidents."""
    from disputes.intake import Refs, clean_row, earlier_incidents

    refs = Refs.load()
    batch = [clean_row(row, refs, now)[0] for row in chunk]
    return earlier_incidents(batch, dt.timedelta(days=refs.rule.window_days)).values_list(
        "pk", "caller_phone_norm", "caller_id_number", "address_norm", "received_at", "is_severe"
    )


if __name__ == "__main__":
    main()
