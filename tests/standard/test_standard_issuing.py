"""Issuing standard tasks: who may, the recurrence job (exactly once per period), and merging duplicate
asks into one inbox item that is answered once and visible to every department that asked."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.utils import timezone

from standard import catalogue
from standard.models import StandardTaskIssue, StandardTaskOccurrence
from standard.progress import task_progress
from standard.recurrence import next_period_start, period_start
from standard.selectors import catalogue_tasks
from standard.services import run_due_issues, standard_task_issue
from stations.models import Department
from stations.roles import Role
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.services import instruction_submit_feedback
from tasks.sweep import sweep_deadlines
from tests.factories import PASSWORD, CommunityFactory, make_officer

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def tasks(db):
    catalogue.load()
    return {t.code: t for t in catalogue_tasks()}


@pytest.fixture
def population(db):
    department = Department.objects.get_or_create(code="population", defaults={"name": "人口管理大队"})[0]
    return make_officer(Role.DEPARTMENT_STAFF, department=department, username="population", name="人口大队")


@pytest.fixture
def public_order(db):
    department = Department.objects.get_or_create(code="public_order", defaults={"name": "治安管理大队"})[0]
    return make_officer(Role.DEPARTMENT_STAFF, department=department, username="zhian", name="治安大队")


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def officer_items(officer) -> list[Instruction]:
    return list(Instruction.objects.filter(officer=officer, kind="standard_task").order_by("pk"))


# --- periods ---------------------------------------------------------------------------------------


def test_periods_follow_the_districts_calendar():
    at = local(2026, 11, 18, 15, 30)  # a Wednesday
    assert period_start("weekly", at) == local(2026, 11, 16)
    assert next_period_start("weekly", at) == local(2026, 11, 23)
    assert next_period_start("monthly", local(2026, 12, 31, 23, 59)) == local(2027, 1, 1)
    assert period_start("quarterly", at) == local(2026, 10, 1)
    assert next_period_start("quarterly", at) == local(2027, 1, 1)


def test_an_item_is_assigned_straight_to_the_officer_with_the_tasks_deadline(cast, tasks):
    now = local(2026, 11, 18, 9, 0)
    result = standard_task_issue(
        task=tasks["RK11"], actor=cast.center.user, scope="officer", officer=cast.officer, now=now
    )
    [occurrence] = result.created
    instruction = occurrence.instruction
    assert instruction.kind == "standard_task"
    assert instruction.status == Instruction.Status.ASSIGNED
    assert instruction.officer == cast.officer
    assert instruction.station == cast.home
    assert instruction.feedback_due == now + timedelta(hours=24)
    assert instruction.answer_sheet == tasks["RK11"].current.answer_sheet
    assert occurrence.target_key == "community-home-c"
    assert occurrence.target_label == "大兴社区"
    assert instruction.events.get().kind == InstructionEvent.Kind.ISSUED
    assert Notification.objects.filter(recipient=cast.officer.user, kind="assigned", instruction=instruction).exists()
    # The dispatch engine's clocks run on it: the sweep escalates the breach.
    report = sweep_deadlines(now=now + timedelta(hours=25))
    assert report.claimed["feedback_breach"] == 1


def test_only_the_center_and_the_departments_issue(cast, tasks, population):
    for who in (cast.officer, cast.command_room, cast.supervisor):
        with pytest.raises(PermissionDenied):
            standard_task_issue(task=tasks["RK01"], actor=who.user, scope="all")
        assert signed_in(who).get("/standard-tasks/issue/").status_code == 404
    assert signed_in(population).get("/standard-tasks/issue/?task=RK01").status_code == 200
    # A department may issue a standard task, but not a dispute instruction.
    from tasks.policy import may_issue

    assert may_issue(population.user, "standard_task")
    assert not may_issue(population.user)


def test_scopes_reach_the_right_officers(cast, tasks):
    second = CommunityFactory(code="home-c2", name="民权社区", station=cast.home)
    two = make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[cast.home_community, second])
    center = cast.center.user
    everyone = standard_task_issue(task=tasks["ZA06"], actor=center, scope="all")
    assert sorted((o.officer.user.username, o.target_key) for o in everyone.created) == sorted(
        [
            ("home_officer", "community-home-c"),
            ("nb_officer", "community-neighbour-c"),
            (two.user.username, "community-home-c"),
            (two.user.username, "community-home-c2"),
        ]
    )
    station = standard_task_issue(task=tasks["ZA01"], actor=center, scope="station", station=cast.neighbour)
    assert [o.officer for o in station.created] == [cast.neighbour_officer]
    community = standard_task_issue(task=tasks["ZA03"], actor=center, scope="community", community=second)
    assert [(o.officer, o.target_key) for o in community.created] == [(two, "community-home-c2")]


# --- no duplicates ---------------------------------------------------------------------------------


def test_two_departments_identical_asks_become_one_item_answered_once_and_seen_by_both(
    cast, tasks, population, public_order
):
    now = local(2026, 11, 3, 10, 0)
    first = standard_task_issue(
        task=tasks["RK03"], actor=population.user, scope="officer", officer=cast.officer, now=now
    )
    second = standard_task_issue(
        task=tasks["RK03"],
        actor=public_order.user,
        scope="station",
        station=cast.home,
        recurrence="once",
        now=now + timedelta(days=2),
    )
    assert len(first.created) == 1
    assert not first.merged
    assert not second.created
    assert second.merged == first.created
    [item] = officer_items(cast.officer)
    assert sorted(i.department.code for i in item.standard_occurrence.requested_by.all()) == [
        "population",
        "public_order",
    ]
    assert "治安管理大队" in item.events.get(kind="note").note
    assert Notification.objects.filter(recipient=cast.officer.user, kind="assigned").count() == 1

    answers = {
        "visited_on": "2026-11-06",
        "met_in_person": True,
        "tenants": 3,
        "tenants_registered": True,
        "contract_signed": True,
        "found_problems": False,
        "rectified": "none",
    }
    instruction_submit_feedback(instruction=item, actor=cast.officer.user, answers=answers, now=now + timedelta(days=3))
    # Both departments are told, and both see the one answer in their progress.
    told = set(Notification.objects.filter(kind="feedback", instruction=item).values_list("recipient", flat=True))
    assert told == {population.user.pk, public_order.user.pk}
    for department in ("population", "public_order"):
        progress = task_progress(population.user, tasks["RK03"], issuer=department)
        assert [(r.occurrence.instruction_id, r.done) for r in progress.rows] == [(item.pk, True)]
        assert progress.rows[0].occurrence.instruction.answers["tenants"] == 3
    # The issuing page of the second department shows the merge.
    page = signed_in(public_order).get(f"/standard-tasks/issues/{second.issue.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-merged="true"' in html
    assert "人口管理大队" in html
    assert page.context["merged"] == 1
    assert page.context["created"] == 0


def test_asks_for_another_target_or_a_later_period_are_not_merged(cast, tasks, population, public_order):
    now = local(2026, 11, 3, 10, 0)
    standard_task_issue(
        task=tasks["ZA01"],
        actor=population.user,
        scope="officer",
        officer=cast.officer,
        subject="如家酒店（前进一路店）",
        now=now,
    )
    same = standard_task_issue(
        task=tasks["ZA01"],
        actor=public_order.user,
        scope="officer",
        officer=cast.officer,
        subject=" 如家酒店（前进一路店） ",
        now=now,
    )
    other = standard_task_issue(
        task=tasks["ZA01"], actor=public_order.user, scope="officer", officer=cast.officer, subject="汉庭酒店", now=now
    )
    later = standard_task_issue(
        task=tasks["ZA01"],
        actor=public_order.user,
        scope="officer",
        officer=cast.officer,
        subject="如家酒店（前进一路店）",
        now=local(2026, 12, 2, 9, 0),
    )
    assert len(same.merged) == 1
    assert len(other.created) == 1
    assert len(later.created) == 1
    assert len(officer_items(cast.officer)) == 3


def test_a_cancelled_item_is_not_merged_into(cast, tasks, population, public_order):
    from tasks.services import instruction_cancel

    first = standard_task_issue(task=tasks["RK05"], actor=population.user, scope="officer", officer=cast.officer)
    instruction_cancel(instruction=first.created[0].instruction, actor=cast.center.user, reason="重复")
    again = standard_task_issue(task=tasks["RK05"], actor=public_order.user, scope="officer", officer=cast.officer)
    assert len(again.created) == 1


# --- the recurrence job ----------------------------------------------------------------------------


def test_a_monthly_task_creates_its_occurrence_on_the_first_of_the_month_exactly_once(
    cast, tasks, population, time_machine
):
    time_machine.move_to(local(2026, 10, 20, 14, 0), tick=False)
    result = standard_task_issue(task=tasks["RK03"], actor=population.user, scope="officer", officer=cast.officer)
    assert result.issue.recurrence == "monthly"
    assert result.issue.next_run_at == local(2026, 11, 1)
    assert result.created[0].instruction.feedback_due == local(2026, 11, 1)
    assert run_due_issues() == {"issues": 0, "created": 0, "merged": 0}

    time_machine.move_to(local(2026, 10, 31, 23, 59), tick=False)
    assert run_due_issues()["created"] == 0

    time_machine.move_to(local(2026, 11, 1, 0, 0, 30), tick=False)
    assert run_due_issues() == {"issues": 1, "created": 1, "merged": 0}
    assert run_due_issues() == {"issues": 0, "created": 0, "merged": 0}
    november = officer_items(cast.officer)[-1]
    occurrence = november.standard_occurrence
    assert (occurrence.period_start, occurrence.period_end) == (local(2026, 11, 1), local(2026, 12, 1))
    assert november.feedback_due == local(2026, 12, 1)
    assert november.issued_by == population.user
    result.issue.refresh_from_db()
    assert result.issue.next_run_at == local(2026, 12, 1)
    assert len(officer_items(cast.officer)) == 2

    # Even a second run that read the same due issue before the first claimed it creates nothing.
    StandardTaskIssue.objects.filter(pk=result.issue.pk).update(next_run_at=local(2026, 11, 1))
    assert run_due_issues()["created"] == 0  # claimed, then merged away: already asked
    assert len(officer_items(cast.officer)) == 2


def test_a_stopped_recurrence_creates_nothing_more(cast, tasks, population, time_machine):
    time_machine.move_to(local(2026, 10, 20, 14, 0), tick=False)
    result = standard_task_issue(task=tasks["RK03"], actor=population.user, scope="officer", officer=cast.officer)
    response = signed_in(population).post(f"/standard-tasks/issues/{result.issue.pk}/stop/")
    assert response.status_code == 302
    time_machine.move_to(local(2026, 11, 1, 0, 1), tick=False)
    assert run_due_issues()["issues"] == 0


def test_a_missed_period_is_not_created_late(cast, tasks, population, time_machine):
    time_machine.move_to(local(2026, 10, 20, 14, 0), tick=False)
    result = standard_task_issue(
        task=tasks["XJ01"], actor=cast.center.user, scope="officer", officer=cast.officer
    )  # XJ01 is the patrol brigade's: the center issues it (a department issues only its own tasks)
    time_machine.move_to(local(2026, 11, 4, 8, 0), tick=False)  # the job was down for two weeks
    assert run_due_issues()["created"] == 1
    occurrence = StandardTaskOccurrence.objects.exclude(pk=result.created[0].pk).get()
    assert occurrence.period_start == local(2026, 11, 2)  # this week, not the missed one
    result.issue.refresh_from_db()
    assert result.issue.next_run_at == local(2026, 11, 9)


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_create_each_occurrence_once(cast, tasks, population, time_machine):
    time_machine.move_to(local(2026, 10, 20, 14, 0), tick=False)
    standard_task_issue(task=tasks["RK03"], actor=population.user, scope="all")
    time_machine.move_to(local(2026, 11, 1, 0, 1), tick=False)
    now = timezone.now()
    barrier = threading.Barrier(2)
    reports: list[dict[str, int]] = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(run_due_issues(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["created"] for r in reports) == [0, 2]
    assert StandardTaskOccurrence.objects.filter(period_start=local(2026, 11, 1)).count() == 2


def test_the_issuing_page_issues_and_shows_the_result(cast, tasks, population):
    client = signed_in(population)
    page = client.get("/standard-tasks/issue/?task=RK09")
    assert page.context["form"].initial["task"] == tasks["RK09"]
    response = client.post(
        "/standard-tasks/issue/",
        {"task": tasks["RK09"].pk, "scope": "station", "station": cast.home.pk, "recurrence": "", "note": "重阳节前"},
    )
    issue = StandardTaskIssue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/standard-tasks/issues/{issue.pk}/"
    assert issue.department.code == "population"
    assert issue.recurrence == "monthly"
    assert "重阳节前" in officer_items(cast.officer)[0].note
    refused = client.post("/standard-tasks/issue/", {"task": tasks["RK09"].pk, "scope": "officer"})
    assert refused.status_code == 400
    assert "officer" in refused.context["form"].errors
    listed = client.get("/standard-tasks/issue/").content.decode()
    assert listed.count('data-testid="issue-row"') == 1


def test_the_api_issues_and_lists_standard_tasks(cast, tasks, population, public_order, api):
    body = {"task": "RK05", "scope": "officer", "officer": "home_officer", "subject": "张某"}
    first = api(population).post("/api/v1/standard-tasks/issues/", body, format="json")
    assert first.status_code == 201
    assert first.data["issue"]["department"] == "population"
    assert [o["officer"] for o in first.data["created"]] == ["home_officer"]
    second = api(public_order).post("/api/v1/standard-tasks/issues/", body, format="json")
    assert second.data["created"] == []
    assert second.data["merged"][0]["instruction"] == first.data["created"][0]["instruction"]
    listed = api(cast.center).get("/api/v1/standard-tasks/issues/").data
    assert [i["department"] for i in listed["results"]] == ["public_order", "population"]
    assert api(cast.supervisor).post("/api/v1/standard-tasks/issues/", body, format="json").status_code == 403
    assert api(cast.officer).post("/api/v1/standard-tasks/issues/", body, format="json").status_code == 404
    bad = api(population).post("/api/v1/standard-tasks/issues/", {**body, "officer": "nobody"}, format="json")
    assert bad.status_code == 400
    assert "officer" in bad.data
