"""API v1: `GET units/?post=` in scope, `POST units/{code}/status/` {status, note?} → 200 with the unit, 409 on an
illegal transition, 404 outside who may set it, Idempotency-Key like the other unsafe calls."""

from __future__ import annotations

import pytest

from patrol.models import UnitState, UnitStatusEvent

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row["code"] for row in rows]


def test_the_list_filters_by_post(posts, api):
    assert codes(api(posts.desk.user).get("/api/v1/units/?post=wuzhan")) == ["wuzhan-1", "wuzhan-2"]
    assert codes(api(posts.hkz_chief).get("/api/v1/units/")) == ["hkz-1"]


def test_a_post_sees_its_own_units_only(posts, api, cast):
    assert codes(api(posts.desk).get("/api/v1/units/")) == ["wuzhan-1", "wuzhan-2"]
    assert codes(api(posts.member).get("/api/v1/units/")) == ["wuzhan-1", "wuzhan-2"]
    assert codes(api(posts.desk).get("/api/v1/units/?post=hankou-railway")) == []
    assert codes(api(cast.center).get("/api/v1/units/")) == ["hkz-1", "wuzhan-1", "wuzhan-2"]
    assert codes(api(cast.command_room).get("/api/v1/units/")) == []
    assert api(posts.desk).get("/api/v1/units/hkz-1/").status_code == 404
    assert api().get("/api/v1/units/").status_code in (401, 403)


def test_a_unit_carries_call_sign_vehicle_members_and_status(posts, api):
    body = api(posts.desk).get("/api/v1/units/wuzhan-1/").json()
    assert body["call_sign"] == "武展巡逻1组"
    assert body["vehicle"] == "鄂A·1111警"
    assert body["post"] == "wuzhan"
    assert body["status"] == "off_duty"
    assert body["status_since"] is None
    assert body["members"] == [
        {"username": "wuzhan_patrol", "name": "周巡警", "is_auxiliary": False},
        {"username": "wuzhan_aux", "name": "吴辅警", "is_auxiliary": True},
    ]


def test_a_member_sets_the_status_and_gets_the_unit(posts, api):
    response = api(posts.member).post("/api/v1/units/wuzhan-1/status/", {"status": "on_duty"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "on_duty"
    assert response.json()["status_since"] is not None
    response = api(posts.member).post(
        "/api/v1/units/wuzhan-1/status/", {"status": "en_route", "note": "前进一路"}, format="json"
    )
    assert response.json()["status"] == "en_route"
    assert UnitStatusEvent.objects.filter(unit=posts.car1, note="前进一路").count() == 1


def test_an_illegal_transition_is_409_and_an_unknown_status_400(posts, api):
    client = api(posts.desk)
    response = client.post("/api/v1/units/wuzhan-1/status/", {"status": "on_scene"}, format="json")
    assert response.status_code == 409
    assert "不能改为" in response.json()["detail"] or "cannot become" in response.json()["detail"]
    response = client.post("/api/v1/units/wuzhan-1/status/", {"status": "asleep"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    assert not UnitState.objects.exists()


def test_others_get_404(posts, api, cast):
    for who in (posts.other_member, posts.hkz_desk, posts.hkz_chief, cast.center, cast.command_room):
        response = api(who).post("/api/v1/units/wuzhan-1/status/", {"status": "on_duty"}, format="json")
        assert response.status_code == 404, who
    assert not UnitStatusEvent.objects.exists()


def test_an_idempotency_key_replays_the_first_answer_and_changes_once(posts, api):
    client = api(posts.desk)
    headers = {"Idempotency-Key": "unit-1-on-duty"}
    first = client.post("/api/v1/units/wuzhan-1/status/", {"status": "on_duty"}, format="json", headers=headers)
    again = client.post("/api/v1/units/wuzhan-1/status/", {"status": "on_duty"}, format="json", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert UnitStatusEvent.objects.count() == 1
    other = client.post("/api/v1/units/wuzhan-1/status/", {"status": "busy"}, format="json", headers=headers)
    assert other.status_code == 400


def test_the_schema_documents_the_units(cast, api):
    paths = api(cast.center).get("/api/schema/", headers={"accept": "application/json"}).json()["paths"]
    assert "/api/v1/units/" in paths
    status = paths["/api/v1/units/{code}/status/"]["post"]
    assert "requestBody" in status
    assert {"200", "404", "409"} <= set(status["responses"])
