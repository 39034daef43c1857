from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from control_center import services
from tasks.models import Instruction
from tests.factories import PASSWORD, CategoryFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_center_staff_reach_the_dashboard_with_todays_counts(cast):
    IncidentFactory.create_batch(3, community=cast.home_community)
    IncidentFactory(community=cast.neighbour_community, category=CategoryFactory(code="theft", is_dispute=False))
    response = signed_in("center").get("/center/")
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.incident_total, board.dispute_total) == (4, 3)
    assert [(r["station__code"], r["n"]) for r in board.by_station] == [("home", 3), ("neighbour", 1)]
    assert sum(board.per_hour) == 4


def test_open_instructions_come_overdue_first_and_filter_by_station(cast):
    fresh = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    late = issue(
        IncidentFactory(community=cast.neighbour_community),
        by=cast.center,
        now=timezone.now() - dt.timedelta(hours=1),
    )
    board = signed_in("center").get("/center/").context["board"]
    assert [i.pk for i in board.instructions] == [late.pk, fresh.pk]
    assert (board.open_total, board.overdue_total) == (2, 1)
    assert [(r["station__code"], r["n"]) for r in board.overdue_by_station] == [("neighbour", 1)]
    filtered = signed_in("center").get("/center/?station=home").context["board"]
    assert [i.pk for i in filtered.instructions] == [fresh.pk]


def test_the_htmx_refresh_returns_only_the_live_part(cast):
    page = signed_in("center").get("/center/", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert b"<html" not in page.content
    assert b'data-testid="open-instructions"' in page.content


def test_station_people_get_404_for_the_center_dashboard(cast):
    assert signed_in("home_cmd").get("/center/").status_code == 404


def test_station_people_land_on_their_station_page(cast):
    response = signed_in("home_cmd").get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/stations/home/"


def test_the_dashboard_query_count_does_not_grow_with_data(cast, django_assert_max_num_queries):
    client = signed_in("center")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    IncidentFactory(community=cast.home_community)
    services.selection_run(day=yesterday)
    client.get("/center/")
    with django_assert_max_num_queries(20) as first:
        client.get("/center/")
    baseline = len(first.captured_queries)
    for _ in range(30):
        incident = IncidentFactory(community=cast.neighbour_community, repeat_flagged=True)
        issue(incident, by=cast.center, now=timezone.now() - dt.timedelta(hours=2))
    IncidentFactory.create_batch(
        15, community=cast.home_community, received_at=timezone.now() - dt.timedelta(days=1, hours=-1)
    )
    with django_assert_max_num_queries(baseline):
        client.get("/center/")
    with django_assert_max_num_queries(baseline):
        client.get("/center/?station=neighbour&status=issued")


def test_the_selection_is_reviewed_and_dispatched_from_the_dashboard(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(15)))
    incidents = [IncidentFactory(community=cast.home_community, received_at=received) for _ in range(3)]
    extra = IncidentFactory(
        community=cast.home_community,
        received_at=received,
        category=CategoryFactory(code="help", is_dispute=False, feedback_hours=None),
    )
    client = signed_in("center")
    client.post("/center/selection/run/")
    day = yesterday.isoformat()
    client.post(f"/center/selection/{day}/remove/", {"incident": incidents[0].pk, "reason": "已化解"})
    client.post(f"/center/selection/{day}/add/", {"number": extra.number, "reason": "领导交办"})
    client.post(f"/center/selection/{day}/dispatch/")
    selection = client.get("/center/").context["board"].selection
    assert selection.status == "dispatched"
    included = {i.incident_id for i in selection.items.all() if i.included}
    assert included == {incidents[1].pk, incidents[2].pk, extra.pk}
    assert all(i.instruction_id for i in selection.items.all() if i.included)


def test_a_supervisor_sees_the_dashboard_but_cannot_act(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client = signed_in("supervisor")
    assert client.get("/center/").status_code == 200
    assert client.post("/center/selection/run/").status_code == 404
    from control_center.models import Selection

    assert not Selection.objects.filter(date=yesterday).exists()


def test_center_staff_dispatch_an_incident_at_once_from_its_page(cast):
    incident = IncidentFactory(community=cast.home_community)
    client = signed_in("center")
    response = client.post(f"/incidents/{incident.pk}/dispatch/", {"note": "一人多警，请回访"})
    assert response.status_code == 302
    instruction = Instruction.objects.filter(dispatch__incident=incident).get()
    assert response["Location"] == f"/instructions/{instruction.pk}/"
    assert (instruction.kind, instruction.note, instruction.station) == ("dispute", "一人多警，请回访", cast.home)
    client.post(f"/incidents/{incident.pk}/dispatch/")
    assert Instruction.objects.filter(dispatch__incident=incident).count() == 1
    assert signed_in("home_cmd").post(f"/incidents/{incident.pk}/dispatch/").status_code == 404


def test_pages_switch_to_english_on_request(cast):
    client = signed_in("center")
    client.post("/i18n/setlang/", {"language": "en", "next": "/center/"})
    assert "Center dashboard" in client.get("/center/").text
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/center/"})
    assert "中心" in client.get("/center/").text


def test_a_browser_asking_for_english_still_gets_chinese_until_the_user_chooses(db):
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/accounts/login/")
    assert "登录" in response.text
