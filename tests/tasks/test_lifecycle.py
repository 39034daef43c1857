"""The whole life of an instruction through the API, and every refusal on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Instruction, InstructionEvent, Notification
from tests.factories import GOOD_ANSWERS, CategoryFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(cast):
    return IncidentFactory(community=cast.home_community)


def post(client, path, data=None, **headers):
    return client.post(path, data or {}, format="json", headers=headers)


def test_the_whole_lifecycle_through_the_api(cast, api, incident):
    center, room, officer = api(cast.center), api(cast.command_room), api(cast.officer)

    issued = post(center, "/api/v1/instructions/", {"incident": incident.pk, "kind": "dispute", "note": "核查纠纷"})
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    assert body["status"] == "issued"
    assert body["station"] == "home"
    assert body["incident"]["caller_phone"] == "138****8000"
    pk = body["id"]

    signed = post(room, f"/api/v1/instructions/{pk}/sign-off/", {"officer": "home_officer"})
    assert signed.status_code == 200, signed.json()
    assert signed.json()["status"] == "assigned"
    assert signed.json()["officer"] == "home_officer"
    assert signed.json()["sign_off_late"] is False

    sheet = officer.get(f"/api/v1/instructions/{pk}/").json()["answer_sheet"]
    assert {"met_in_person", "outcome"} <= {f["name"] for f in sheet["fields"]}

    fed = post(officer, f"/api/v1/instructions/{pk}/feedback/", {"answers": GOOD_ANSWERS})
    assert fed.status_code == 200, fed.json()
    assert fed.json()["status"] == "feedback_submitted"

    returned = post(center, f"/api/v1/instructions/{pk}/return/", {"comment": "请补充当事人情绪"})
    assert returned.json()["status"] == "returned"
    assert post(officer, f"/api/v1/instructions/{pk}/feedback/", {"answers": GOOD_ANSWERS}).status_code == 200

    closed = post(center, f"/api/v1/instructions/{pk}/accept/")
    assert closed.json()["status"] == "closed"
    timeline = [(e["from_status"], e["to_status"], e["actor"]) for e in closed.json()["timeline"]]
    assert timeline == [
        ("", "", "center"),
        ("issued", "assigned", "home_cmd"),
        ("assigned", "feedback_submitted", "home_officer"),
        ("feedback_submitted", "returned", "center"),
        ("returned", "feedback_submitted", "home_officer"),
        ("feedback_submitted", "closed", "center"),
    ]
    assert closed.json()["timeline"][3]["note"] == "请补充当事人情绪"


@pytest.mark.parametrize(
    ("who", "verb", "data"),
    [
        ("command_room", "feedback", {"answers": GOOD_ANSWERS}),
        ("center", "accept", {}),
        ("center", "return", {"comment": "x"}),
    ],
)
def test_a_verb_the_status_does_not_allow_is_409_and_changes_nothing(cast, api, incident, who, verb, data):
    instruction = issue(incident, by=cast.center)
    events = InstructionEvent.objects.count()
    response = post(api(getattr(cast, who)), f"/api/v1/instructions/{instruction.pk}/{verb}/", data)
    assert response.status_code in (404, 409)
    if who == "center":
        assert response.status_code == 409
        assert "detail" in response.json()
    instruction.refresh_from_db()
    assert instruction.status == "issued"
    assert InstructionEvent.objects.count() == events


def test_signing_off_twice_is_409(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    room = api(cast.command_room)
    path = f"/api/v1/instructions/{instruction.pk}/sign-off/"
    assert post(room, path, {"officer": "home_officer"}).status_code == 200
    second = post(room, path, {"officer": "home_officer"})
    assert second.status_code == 409


def test_people_outside_the_instruction_get_404(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    path = f"/api/v1/instructions/{instruction.pk}/"
    for who in ("neighbour_command_room", "neighbour_officer", "officer"):
        assert api(getattr(cast, who)).get(path).status_code == 404
    assert api(cast.outsider).get(path).status_code == 404
    for who in ("neighbour_command_room", "duty_leader", "officer", "supervisor"):
        assert post(api(getattr(cast, who)), f"{path}sign-off/", {"officer": "home_officer"}).status_code == 404
    assert post(api(cast.neighbour_officer), f"{path}cancel/", {"reason": "x"}).status_code == 404
    instruction.refresh_from_db()
    assert instruction.status == "issued"


def test_the_command_room_assigns_only_to_an_officer_of_its_station(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    room = api(cast.command_room)
    response = post(room, f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "nb_officer"})
    assert response.status_code == 400
    assert "officer" in response.json()
    response = post(room, f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "home_leader"})
    assert response.status_code == 400
    assert post(room, f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "ghost"}).status_code == 400


def test_only_the_center_issues(cast, api, incident):
    response = post(api(cast.command_room), "/api/v1/instructions/", {"incident": incident.pk, "kind": "dispute"})
    assert response.status_code == 403
    assert not Instruction.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "dispute"}, "incident"),
        ({"incident": 999999, "kind": "dispute"}, "incident"),
        ({"kind": "bogus", "station": "home"}, "kind"),
        ({"kind": "intelligence", "station": "nowhere"}, "station"),
    ],
)
def test_bad_issue_requests_name_the_field(cast, api, data, field):
    response = post(api(cast.center), "/api/v1/instructions/", data)
    assert response.status_code == 400
    assert field in response.json()


def test_an_instruction_without_an_incident_goes_to_a_station(cast, api):
    response = post(api(cast.center), "/api/v1/instructions/", {"kind": "intelligence", "station": "home"})
    assert response.status_code == 201
    assert response.json()["incident"] is None


def test_feedback_is_validated_against_the_answer_sheet(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    post(api(cast.command_room), f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "home_officer"})
    bad = {**GOOD_ANSWERS, "outcome": "maybe", "bogus": 1}
    del bad["risk_level"]
    response = post(api(cast.officer), f"/api/v1/instructions/{instruction.pk}/feedback/", {"answers": bad})
    assert response.status_code == 400
    errors = response.json()["answers"]
    assert set(errors) == {"outcome", "risk_level", "answers"}
    instruction.refresh_from_db()
    assert instruction.status == "assigned"
    assert instruction.answers is None


def test_only_the_assigned_officer_submits_feedback(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    post(api(cast.command_room), f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "home_officer"})
    for who in ("command_room", "center", "neighbour_officer"):
        response = post(api(getattr(cast, who)), f"/api/v1/instructions/{instruction.pk}/feedback/", {"answers": {}})
        assert response.status_code == 404


def test_the_center_cancels_any_open_instruction_with_a_reason(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    center = api(cast.center)
    assert post(center, f"/api/v1/instructions/{instruction.pk}/cancel/", {}).status_code == 400
    response = post(center, f"/api/v1/instructions/{instruction.pk}/cancel/", {"reason": "重复警情"})
    assert response.json()["status"] == "cancelled"
    assert post(center, f"/api/v1/instructions/{instruction.pk}/cancel/", {"reason": "again"}).status_code == 409
    assert Notification.objects.filter(kind="cancelled", recipient=cast.command_room.user).exists()


def test_the_duty_leader_accepts_where_the_center_configured_so(cast, api):
    category = CategoryFactory(code="neighbours", name="邻里纠纷", feedback_hours=9, accepted_by="duty_leader")
    instruction = issue(IncidentFactory(community=cast.home_community, category=category), by=cast.center)
    post(api(cast.command_room), f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "home_officer"})
    post(api(cast.officer), f"/api/v1/instructions/{instruction.pk}/feedback/", {"answers": GOOD_ANSWERS})
    assert Notification.objects.filter(kind="feedback", recipient=cast.duty_leader.user).exists()
    response = post(api(cast.duty_leader), f"/api/v1/instructions/{instruction.pk}/accept/")
    assert response.json()["status"] == "closed"


def test_a_duty_leader_may_not_accept_what_the_center_keeps(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    post(api(cast.command_room), f"/api/v1/instructions/{instruction.pk}/sign-off/", {"officer": "home_officer"})
    post(api(cast.officer), f"/api/v1/instructions/{instruction.pk}/feedback/", {"answers": GOOD_ANSWERS})
    assert post(api(cast.duty_leader), f"/api/v1/instructions/{instruction.pk}/accept/").status_code == 404


def test_the_same_idempotency_key_and_body_returns_the_first_answer(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    room = api(cast.command_room)
    path = f"/api/v1/instructions/{instruction.pk}/sign-off/"
    first = post(room, path, {"officer": "home_officer"}, **{"Idempotency-Key": "k-1"})
    again = post(room, path, {"officer": "home_officer"}, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert InstructionEvent.objects.filter(instruction=instruction, kind="signed_off").count() == 1
    other = post(room, path, {"officer": "someone_else"}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 400
    assert "Idempotency-Key" in other.json()


def test_a_failed_request_does_not_burn_its_idempotency_key(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    center = api(cast.center)
    path = f"/api/v1/instructions/{instruction.pk}/cancel/"
    assert post(center, path, {"reason": ""}, **{"Idempotency-Key": "k-2"}).status_code == 400
    assert post(center, path, {"reason": "误派"}, **{"Idempotency-Key": "k-3"}).status_code == 200


def test_instructions_filter_by_status_station_kind_and_overdue(cast, api, incident):
    late = issue(incident, by=cast.center, now=timezone.now() - timedelta(hours=1))
    fresh = issue(IncidentFactory(community=cast.neighbour_community), by=cast.center)
    center = api(cast.center)

    def ids(query):
        return [r["id"] for r in center.get(f"/api/v1/instructions/?{query}").json()["results"]]

    assert ids("overdue=true") == [late.pk]
    assert ids("overdue=false") == [fresh.pk]
    assert ids("station=neighbour") == [fresh.pk]
    assert set(ids("status=issued&kind=dispute")) == {late.pk, fresh.pk}
    assert ids("status=closed") == []
    assert api(cast.command_room).get("/api/v1/instructions/").json()["count"] == 1


def test_the_instruction_list_keeps_its_query_count_as_rows_grow(cast, api, django_assert_max_num_queries):
    center = api(cast.center)
    issue(IncidentFactory(community=cast.home_community), by=cast.center)
    center.get("/api/v1/instructions/")
    with django_assert_max_num_queries(10) as few:
        center.get("/api/v1/instructions/")
    for _ in range(20):
        issue(IncidentFactory(community=cast.home_community), by=cast.center)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert center.get("/api/v1/instructions/").json()["count"] == 21


def test_new_instructions_are_notified_to_the_command_room(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    room = api(cast.command_room)
    body = room.get("/api/v1/notifications/?unread=true").json()
    assert body["unread_count"] == 1
    note = body["results"][0]
    assert (note["kind"], note["instruction"]) == ("new_instruction", instruction.pk)
    assert post(room, f"/api/v1/notifications/{note['id']}/read/").json()["read_at"] is not None
    assert room.get("/api/v1/notifications/?unread=true").json()["unread_count"] == 0
    assert api(cast.neighbour_command_room).get(f"/api/v1/notifications/{note['id']}/").status_code == 404


@pytest.mark.parametrize("pk", ["null,null", "abc", "1.5"])
def test_a_malformed_instruction_id_is_404_not_a_server_error(cast, api, pk):
    for verb in ("sign-off", "feedback", "accept", "return", "cancel"):
        assert post(api(cast.center), f"/api/v1/instructions/{pk}/{verb}/", {}).status_code == 404
    assert api(cast.center).get(f"/api/v1/incidents/{pk}/").status_code == 404
    assert api(cast.center).post(f"/api/v1/notifications/{pk}/read/").status_code == 404
