"""Progress of a standard task per issuer: who has done it, who is late, completion by station and
community; the numbers match the answers, on the page, in the API and in the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from standard import catalogue
from standard.progress import task_progress
from standard.selectors import catalogue_tasks
from standard.services import standard_task_issue
from stations.models import Department
from stations.roles import Role
from tasks.services import instruction_cancel, instruction_submit_feedback
from tests.factories import PASSWORD, CommunityFactory, make_officer

pytestmark = pytest.mark.django_db

ANSWERS = {"visited_on": "2026-11-20", "met_in_person": True, "dispute_stage": "settled", "satisfaction": "fair"}


@pytest.fixture
def world(cast):
    catalogue.load()
    task = catalogue_tasks().get(code="ZA22")  # noise at the source: within 7 days
    second = CommunityFactory(code="home-c2", name="民权社区", station=cast.home)
    third = make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[second], name="孙民警")
    department = Department.objects.get_or_create(code="public_order", defaults={"name": "治安管理大队"})[0]
    staff = make_officer(Role.DEPARTMENT_STAFF, department=department, username="zhian")
    now = timezone.now()
    issued_at = now - timedelta(days=8)  # due a day ago
    result = standard_task_issue(task=task, actor=staff.user, scope="all", now=issued_at)
    items = {o.officer_id: o.instruction for o in result.created}
    # home officer on time, neighbour officer late, the third not at all (overdue); a center ask cancelled.
    instruction_submit_feedback(
        instruction=items[cast.officer.pk], actor=cast.officer.user, answers=ANSWERS, now=issued_at + timedelta(days=2)
    )
    instruction_submit_feedback(
        instruction=items[cast.neighbour_officer.pk], actor=cast.neighbour_officer.user, answers=ANSWERS, now=now
    )
    center = standard_task_issue(
        task=task, actor=cast.center.user, scope="officer", officer=third, subject="某小区", now=now
    )
    instruction_cancel(instruction=center.created[0].instruction, actor=cast.center.user, reason="误发")
    return {"task": task, "staff": staff, "third": third, "items": items}


def test_progress_numbers_match_the_answers(cast, world):
    progress = task_progress(world["staff"].user, world["task"], issuer="public_order")
    overall = progress.overall
    assert (overall.total, overall.done, overall.late) == (3, 2, 2)
    assert overall.rate == 66.7
    by_station = {r.name: (r.total, r.done, r.late) for r in progress.by_station}
    assert by_station == {"花楼街派出所": (2, 1, 1), "民意派出所": (1, 1, 1)}
    by_community = {r.name: (r.total, r.done, r.rate) for r in progress.by_community}
    assert by_community == {"大兴社区": (1, 1, 100.0), "长青社区": (1, 1, 100.0), "民权社区": (1, 0, 0.0)}
    rows = {r.occurrence.officer.name: (r.done, r.late) for r in progress.rows}
    assert rows == {"李民警": (True, False), "赵民警": (True, True), "孙民警": (False, True)}
    # The center's (cancelled) ask is not the department's, and cancelled items never count.
    assert task_progress(cast.center.user, world["task"], issuer="center").overall.total == 0


def test_the_progress_page_api_and_export_agree(cast, world, api, django_assert_max_num_queries):
    client = Client()
    assert client.login(username="zhian", password=PASSWORD)
    with django_assert_max_num_queries(15):
        page = client.get("/standard-tasks/ZA22/progress/", {"issuer": "public_order"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="done">2<' in html
    assert 'data-testid="rate">66.7%<' in html
    assert html.count('data-testid="progress-row"') == 3

    data = api(world["staff"]).get("/api/v1/standard-tasks/ZA22/progress/", {"issuer": "public_order"}).data
    assert data["overall"] == {"name": data["overall"]["name"], "total": 3, "done": 2, "late": 2, "rate": 66.7}
    assert {r["officer"]: r["done"] for r in data["rows"]} == {"李民警": True, "赵民警": True, "孙民警": False}

    export = client.get("/standard-tasks/ZA22/progress.xlsx", {"issuer": "public_order"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    detail = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[1], r[7], r[8]) for r in detail) == [
        ("孙民警", "否", "是"),
        ("李民警", "是", "否"),
        ("赵民警", "是", "是"),
    ]
    stations = {r[0]: r[1:] for r in book["按派出所"].iter_rows(min_row=2, values_only=True)}
    assert stations["花楼街派出所"] == (2, 1, 1, 50.0)


def test_progress_is_for_the_districts_people_only(cast, world, api):
    for who in (cast.officer, cast.command_room):
        client = Client()
        assert client.login(username=who.user.username, password=PASSWORD)
        assert client.get("/standard-tasks/ZA22/progress/").status_code == 404
        assert client.get("/standard-tasks/ZA22/progress.xlsx").status_code == 404
        assert api(who).get("/api/v1/standard-tasks/ZA22/progress/").status_code == 404
