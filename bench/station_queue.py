"""Benchmark of the station queue page (issue 18) with open work piling up at one station.

    .venv/bin/python bench/station_queue.py [--sizes 400 4000]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_bench_queue, created if missing)

For each size N, the station holds N open instructions (a tenth overdue, a third assigned and waiting for
feedback, the rest waiting for sign-off, over all its communities); the script prints the first page's bytes,
its SQL queries and the server time per request (the whole request through the test client, median and p95),
and the same for the htmx refresh of the rows. Targets: bytes and queries the same at any N, first page ≤ 60 KB.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# This file's name is the standard library's `queue`: look in bench/ after the standard library, not before.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_bench_queue")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

from _setup import setup, summary, timed  # noqa: E402

SUMMARY = "报警人称与邻居因楼道堆放杂物发生口角，双方情绪激动，要求民警到场处理，现场无人受伤。"


def pile_up(station, officers, n: int) -> None:
    """Bring the station's open instructions to `n` (bulk inserts of incidents and their instructions)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from disputes.kinds import DISPUTE
    from disputes.models import Category, Dispatch, Incident
    from tasks.models import Instruction
    from tasks.services import current_sheet

    S = Instruction.Status
    have = Instruction.objects.filter(station=station, status__in=Instruction.OPEN_STATUSES).count()
    if have >= n:
        return
    communities = list(station.communities.all())
    category = Category.objects.filter(is_dispute=True).order_by("pk").first()
    sheet = current_sheet(category.answer_sheet_code)
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(
            number=f"QB{station.code[:6]}{have + k:07d}",
            received_at=now - timedelta(minutes=5),
            category=category,
            caller_name="陈女士",
            caller_phone="13800138000",
            address=f"江汉区前进一路{k % 500}号3栋2单元501室",
            community=communities[k % len(communities)],
            station=station,
            summary=SUMMARY,
            resolved_at_scene=True,
        )
        for k in range(n - have)
    )
    rows = []
    for k in range(len(incidents)):
        issued = now - timedelta(minutes=45 if k % 10 == 0 else k % 29, seconds=k % 60)
        assigned = k % 3 == 1
        rows.append(
            Instruction(
                kind=DISPUTE,
                status=S.ASSIGNED if assigned else S.ISSUED,
                station=station,
                answer_sheet=sheet,
                issued_at=issued,
                sign_off_due=issued + timedelta(minutes=30),
                officer=officers[k % len(officers)] if assigned else None,
                signed_at=issued if assigned else None,
                feedback_due=issued + timedelta(hours=24) if assigned else None,
            )
        )
    Instruction.objects.bulk_create(rows, batch_size=2000)
    Dispatch.objects.bulk_create(
        [
            Dispatch(instruction=row, incident=incident, category=category)
            for row, incident in zip(rows, incidents, strict=True)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE disputes_incident")
        cur.execute("ANALYZE tasks_instruction")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 4000])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from disputes.models import Category
    from stations.models import Officer
    from stations.roles import Role
    from tasks import policy

    if not Category.objects.exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    command_room = (
        Officer.objects.filter(role=Role.COMMAND_ROOM, station__communities__isnull=False, is_active=True)
        .select_related("station", "user")
        .order_by("pk")
        .first()
    )
    station = command_room.station
    officers = list(Officer.objects.filter(station=station, role__in=policy.assignable_roles(), is_active=True))
    url = f"/stations/{station.code}/queue/"
    client = Client()
    client.force_login(command_room.user)
    print(f"station {station.code}: {len(officers)} officers to pick from, {station.communities.count()} communities")

    fragment = {"HX-Request": "true"}
    for n in sorted(args.sizes):
        pile_up(station, officers, n)
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        rows = response.content.count(b'data-testid="queue-row"')
        size = len(response.content) / 1024
        print(f"{n:,} open: first page {size:.1f} KB, {rows} rows, {len(q.captured_queries)} queries")
        ms, _ = timed(lambda: client.get(url), args.runs)
        print(f"  page (server time, whole request): {summary(ms)}")
        with CaptureQueriesContext(connection) as q:
            response = client.get(url, headers=fragment)
        print(f"  htmx refresh: {len(response.content) / 1024:.1f} KB, {len(q.captured_queries)} queries")
        ms, _ = timed(lambda: client.get(url, headers=fragment), args.runs)
        print(f"  refresh (server time): {summary(ms)}")


if __name__ == "__main__":
    main()
