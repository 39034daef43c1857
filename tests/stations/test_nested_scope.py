"""Every nested collection follows the scope rule of the top level: a neighbour station's row inside
an answer the home station may read is left out (issue 11, §1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from disputes.models import Incident
from disputes.services import incidents_intake
from tasks.models import Instruction, Notification
from tasks.notify import Notice, send_with_digest
from tasks.services import instruction_sign_off
from tests.factories import PASSWORD, issue

pytestmark = pytest.mark.django_db

PHONE = "13971234567"


def call(community, number, at, address):
    return {
        "number": number,
        "received_at": at.isoformat(),
        "category": "family",
        "caller_name": "陈女士",
        "caller_phone": PHONE,
        "address": address,
        "community": community.code,
        "summary": f"纠纷 {number}",
    }


def moved_to_the_neighbour(instruction, cast):
    Instruction.objects.filter(pk=instruction.pk).update(station=cast.neighbour)
    instruction.refresh_from_db()
    return instruction


@pytest.fixture
def calls(cast):
    """The same caller rang the neighbour station twice, then the home station."""
    now = timezone.now()
    t = now - dt.timedelta(days=3)
    rows = [
        call(cast.neighbour_community, "J420NB0001", t, "长青路1号1栋101室"),
        call(cast.neighbour_community, "J420NB0002", t + dt.timedelta(hours=1), "长青路1号1栋101室"),
        call(cast.home_community, "J420HM0001", t + dt.timedelta(hours=2), "前进一路88号3栋501室"),
    ]
    result = incidents_intake(rows, actor=cast.center.user, now=now)
    assert not result.errors
    incidents = {i.number: i for i in Incident.objects.all()}
    return incidents["J420HM0001"], [incidents["J420NB0001"], incidents["J420NB0002"]]


def test_the_api_incident_history_leaves_out_a_neighbour_stations_calls(cast, api, calls):
    home, theirs = calls
    data = api(cast.command_room).get(f"/api/v1/incidents/{home.pk}/").json()
    assert data["repeat"]["caller_count"] == 3  # the count is the district's fact
    assert data["history"] == []
    for incident in theirs:
        assert api(cast.command_room).get(f"/api/v1/incidents/{incident.pk}/").status_code == 404
    # The center sees the whole history.
    center = api(cast.center).get(f"/api/v1/incidents/{home.pk}/").json()
    assert [h["number"] for h in center["history"]] == ["J420NB0001", "J420NB0002"]


def test_the_incident_page_groups_leave_out_a_neighbour_stations_calls(cast, calls):
    home, theirs = calls
    client = Client()
    assert client.login(username=cast.command_room.user.username, password=PASSWORD)
    html = client.get(f"/incidents/{home.pk}/").content.decode()
    for incident in theirs:
        assert incident.number not in html
        assert incident.summary not in html


def test_the_phones_item_history_leaves_out_a_neighbour_stations_calls(cast, calls):
    home, theirs = calls
    instruction = issue(home, by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    client = Client()
    assert client.login(username=cast.officer.user.username, password=PASSWORD)
    html = client.get(f"/m/i/{instruction.pk}/").content.decode()
    assert home.number in html
    for incident in theirs:
        assert incident.number not in html
        assert incident.summary not in html


def test_the_api_incidents_instructions_leave_out_what_the_reader_may_not_see(cast, api, calls):
    """An instruction about the home incident that sits in the neighbour station's queue (as a transfer
    would leave it) is not listed to the home station, nor to an officer who does not hold it."""
    home, _ = calls
    mine = issue(home, by=cast.center)
    theirs = moved_to_the_neighbour(issue(home, by=cast.center, kind="revisit"), cast)
    ids = [i["id"] for i in api(cast.command_room).get(f"/api/v1/incidents/{home.pk}/").json()["instructions"]]
    assert ids == [mine.pk]
    assert api(cast.officer).get(f"/api/v1/incidents/{home.pk}/").json()["instructions"] == []
    center = api(cast.center).get(f"/api/v1/incidents/{home.pk}/").json()["instructions"]
    assert [i["id"] for i in center] == [mine.pk, theirs.pk]


def test_the_incident_pages_timeline_leaves_out_a_neighbour_stations_instruction(cast, calls):
    home, _ = calls
    theirs = moved_to_the_neighbour(issue(home, by=cast.center, kind="revisit", note="邻所内部备注"), cast)
    client = Client()
    assert client.login(username=cast.command_room.user.username, password=PASSWORD)
    html = client.get(f"/incidents/{home.pk}/").content.decode()
    assert f"/instructions/{theirs.pk}/" not in html
    assert "邻所内部备注" not in html


def test_notifications_about_another_stations_work_are_not_listed(cast, api, calls):
    """An officer moved from the home station keeps his old notifications, but no longer reads them."""
    home, theirs = calls
    at_home = issue(home, by=cast.center)
    at_neighbour = issue(theirs[0], by=cast.center)
    reader = cast.neighbour_command_room
    Notification.objects.filter(recipient=reader.user).delete()
    now = timezone.now()
    notices = [
        Notice(reader.user_id, Notification.Kind.SIGN_OFF_OVERDUE, at_home.pk, {"due": "x"}),
        Notice(reader.user_id, Notification.Kind.SIGN_OFF_OVERDUE, at_neighbour.pk, {"due": "y"}),
    ]
    send_with_digest(notices, now=now, threshold=1)  # one digest listing both
    Notification.objects.create(recipient=reader.user, kind="new_instruction", instruction=at_home, created_at=now)
    Notification.objects.create(recipient=reader.user, kind="new_instruction", instruction=at_neighbour, created_at=now)
    data = api(reader).get("/api/v1/notifications/").json()
    listed = [n["instruction"] for n in data["results"] if n["kind"] == "new_instruction"]
    assert listed == [at_neighbour.pk]
    assert data["unread_count"] == 2  # the digest and the neighbour's own
    digest = next(n for n in data["results"] if n["kind"] == "digest")
    assert [item["instruction"] for item in digest["payload"]["items"]] == [at_neighbour.pk]
    assert digest["payload"]["counts"] == {"sign_off_overdue": 1}


def test_a_station_reads_no_selection_and_the_center_reads_every_item(cast, api, calls):
    """The daily selection is the center's: its items span stations, so a station gets 404 for all of it."""
    from control_center.services import selection_add, selection_run

    home, theirs = calls
    day = timezone.localdate(home.received_at)
    selection = selection_run(actor=cast.center.user, day=day)
    if not selection.items.filter(incident=theirs[0], included=True).exists():
        selection_add(actor=cast.center.user, selection=selection, incident=theirs[0], reason="邻所")
    assert api(cast.command_room).get(f"/api/v1/selections/{day}/").status_code == 404
    assert api(cast.command_room).get("/api/v1/selections/").json()["results"] == []
    numbers = [i["number"] for i in api(cast.center).get(f"/api/v1/selections/{day}/").json()["items"]]
    assert theirs[0].number in numbers


def test_the_rankings_drill_down_into_another_station_is_404_to_a_station(cast):
    # A station reads the published bulletin and drills into its own unit only (issue 12's bulletin).
    client = Client()
    assert client.login(username=cast.command_room.user.username, password=PASSWORD)
    assert client.get("/rankings/2026-W40/neighbour/").status_code == 404


def test_standard_task_progress_counts_only_what_the_reader_may_see(cast):
    from standard import catalogue
    from standard.progress import task_progress
    from standard.selectors import catalogue_tasks
    from standard.services import standard_task_issue
    from stations.models import Department
    from stations.roles import Role
    from tests.factories import make_officer

    catalogue.load()
    task = catalogue_tasks().get(code="ZA22")
    standard_task_issue(task=task, actor=cast.center.user, scope="all")
    department = Department.objects.get_or_create(code="public_order", defaults={"name": "治安管理大队"})[0]
    staff = make_officer(Role.DEPARTMENT_STAFF, department=department)
    assert task_progress(staff.user, task).overall.total == 2
    # A station's people are not the district's: the same progress read with their scope holds their row only.
    rows = task_progress(cast.command_room.user, task).rows
    assert [r.occurrence.instruction.station_id for r in rows] == [cast.home.pk]


def test_pushes_of_a_neighbour_area_are_not_listed(cast, calls):
    from disputes.models import Push
    from stations.roles import Role
    from tests.factories import make_officer

    worker = make_officer(Role.COMMUNITY_WORKER, communities=[cast.home_community])
    instruction = issue(None, by=cast.center, station=cast.neighbour)
    incident = Incident.objects.filter(station=cast.neighbour).first()
    Push.objects.create(
        level="community",
        subdistrict=cast.neighbour_community.subdistrict,
        community=cast.neighbour_community,
        instruction=instruction,
        incident=incident,
        outcome="邻区",
        created_at=timezone.now(),
    )
    assert Push.objects.visible_to(worker.user).count() == 0
