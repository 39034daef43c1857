"""Budgets of the officer's phone inbox (/m/), measured through the whole Django stack.

    .venv/bin/python bench/mobile.py [--items 50] [--runs 200]
    (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cc_mobile_bench, created if missing)

Static files are collected into a scratch folder and served by WhiteNoise as in production (precompressed
gzip, ETag, Cache-Control); pages are gzipped by the views. Transfer = response headers + body, as sent.
1. First visit: the inbox HTML, its CSS, JS, manifest and icon, the service worker script, and the second
   fetch of the page that app.js makes for the worker's page cache (target: at most 60 KB).
2. Repeat visit with the service worker: the page from the network, the shell from the worker's cache, the
   worker's update check (a 304) (target: at most 10 KB); and without the worker, after HTTP max-age: the
   page plus a 304 per asset. Also one poll of the list (every 20 s while the inbox is open).
3. SQL queries of the inbox with --items items, and its server time: median and p95 (target: median < 50 ms).
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cc_mobile_bench")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="cc-mobile-bench-")  # collected static files, scratch

import argparse
import atexit
import gzip
import re
import shutil

from _setup import setup, summary, timed


def transferred(response) -> int:
    """Bytes on the wire for one response: status line, headers, body as sent (compressed if it was)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in response.headers.items()) + "\r\n"
    return len(head.encode()) + len(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)
    setup()

    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from disputes.models import Category, Incident
    from disputes.services import issue_about
    from stations.models import Officer
    from stations.roles import Role
    from tasks import services
    from tasks.models import Instruction
    from tests.factories import PASSWORD, CommunityFactory, IncidentFactory, StationFactory, make_officer

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())

    officer = Officer.objects.filter(user__username="bench_m_officer").select_related("station").first()
    if officer is None:
        station = StationFactory(code="bench-m", name="基准派出所")
        community = CommunityFactory(code="bench-m-c", name="基准社区", station=station)
        make_officer(Role.CENTER_STAFF, username="bench_m_center", name="中心")
        make_officer(Role.COMMAND_ROOM, station=station, username="bench_m_room", name="指挥室")
        officer = make_officer(
            Role.COMMUNITY_OFFICER, station=station, communities=[community], username="bench_m_officer", name="民警"
        )
    community = officer.communities.first()
    center = Officer.objects.get(user__username="bench_m_center").user
    room = Officer.objects.get(user__username="bench_m_room").user
    Category.objects.get_or_create(
        code="family", defaults={"name": "家庭纠纷", "is_dispute": True, "feedback_hours": 3}
    )
    Instruction.objects.filter(station=officer.station).delete()
    Incident.objects.filter(community=community).delete()
    for n in range(args.items):
        incident = IncidentFactory(
            community=community,
            summary=f"报警人称与家人因琐事发生争吵，双方情绪激动，要求民警到场处理（第{n}起）",
            category=Category.objects.get(code="family"),
        )
        instruction = issue_about(kind="dispute", incident=incident, actor=center)
        services.instruction_sign_off(instruction=instruction, actor=room, officer=officer)

    client = Client(headers={"Accept-Encoding": "gzip, deflate, br"}, SERVER_NAME="localhost")
    assert client.login(username="bench_m_officer", password=PASSWORD)

    # 1. first visit
    page = client.get("/m/")
    html = gzip.decompress(page.content).decode()
    assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html)
    rows = [("/m/ (html)", transferred(page), len(html.encode()))]
    for url in [*assets, "/m/sw.js"]:
        response = client.get(url)
        rows.append((url, transferred(response), None))
    rows.append(("/m/ again, for the worker's page cache", transferred(client.get("/m/")), None))
    first = sum(r[1] for r in rows)
    print(f"first visit, {args.items} items ({len(assets)} assets):")
    for url, size, raw in rows:
        print(f"  {size:7,d} B  {url}" + (f"  (uncompressed {raw:,d} B)" if raw else ""))
    print(f"  {first:7,d} B  total (budget 60 KB: {'ok' if first <= 60 * 1024 else 'OVER'})")

    # 2. repeat visits
    sw = client.get("/m/sw.js")
    page_again = transferred(client.get("/m/"))
    sw_check = transferred(client.get("/m/sw.js", headers={"If-None-Match": sw["ETag"]}))
    with_worker = page_again + sw_check
    revalidations = 0
    for url in assets:
        cached = client.get(url)
        validators = {"If-None-Match": cached["ETag"]} if cached.has_header("ETag") else {}
        revalidations += transferred(client.get(url, headers=validators))
    poll = transferred(client.get("/m/?fragment=items", headers={"X-Poll": "1"}))
    print(
        f"repeat visit with the service worker: {with_worker:,d} B (page {page_again:,d} + worker check "
        f"{sw_check:,d}; budget 10 KB: {'ok' if with_worker <= 10 * 1024 else 'OVER'})"
    )
    print(f"repeat visit without it, past max-age: {page_again + revalidations:,d} B (304s {revalidations:,d})")
    print(f"one poll of the list: {poll:,d} B")

    # 3. queries and server time
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get("/m/")
    ms, _ = timed(lambda: client.get("/m/"), args.runs)
    print(f"inbox with {args.items} items: {len(queries)} queries; {summary(ms)}")
    ms, _ = timed(lambda: client.get("/m/?fragment=items", headers={"X-Poll": "1"}), args.runs)
    print(f"poll of the list: {summary(ms)}")


if __name__ == "__main__":
    main()
