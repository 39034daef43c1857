"""Intake through the API: field errors, duplicates, batches that keep good rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from disputes.models import Incident
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def row(cast, number="J420103202611290001", **over):
    data = {
        "number": number,
        "received_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "category": "family",
        "caller_name": "陈女士",
        "caller_phone": "138-0013-8000",
        "address": "江汉区前进一路88号3栋2单元501室",
        "community": cast.home_community.code,
        "summary": "夫妻吵架",
        "resolved_at_scene": False,
    }
    data.update(over)
    return data


def test_a_good_incident_is_stored_with_its_station_and_repeat_counts(cast, api):
    response = api(cast.center).post("/api/v1/incidents/", row(cast), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["station"] == "home"
    assert body["caller_phone"] == "138****8000"
    assert body["repeat"] == {"caller_count": 1, "address_count": 1, "window_days": 90, "flagged": False}
    stored = Incident.objects.get()
    assert stored.caller_phone == "138-0013-8000"  # as typed
    assert stored.caller_phone_norm == "13800138000"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", ""),
        ("number", "J 1"),
        ("received_at", "2026-03-15 17:30"),
        ("received_at", "yesterday"),
        ("received_at", (timezone.now() + timedelta(days=1)).isoformat()),
        ("category", "nope"),
        ("community", "nowhere"),
        ("caller_phone", "12345"),
        ("caller_id_number", "420103199001011230"),
        ("caller_name", "名" * 51),
        ("address", ""),
        ("summary", "x" * 2001),
        ("resolved_at_scene", "perhaps"),
    ],
)
def test_each_bad_field_is_a_400_naming_it_and_nothing_is_stored(cast, api, field, value):
    response = api(cast.center).post("/api/v1/incidents/", row(cast, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Incident.objects.exists()


def test_the_same_number_again_is_409_and_changes_nothing(cast, api):
    client = api(cast.center)
    client.post("/api/v1/incidents/", row(cast), format="json")
    again = client.post("/api/v1/incidents/", row(cast, summary="changed"), format="json")
    assert again.status_code == 409
    assert Incident.objects.get().summary == "夫妻吵架"


def test_a_batch_keeps_the_good_rows_and_lists_the_bad(cast, api):
    rows = [
        row(cast, "J0001"),
        row(cast, "J0002", caller_phone="abc"),
        row(cast, "J0003", community="nowhere", category="nope"),
        row(cast, "J0001"),
        row(cast, "J0004"),
        "not an object",
    ]
    body = api(cast.center).post("/api/v1/incidents/batch/", rows, format="json").json()
    assert body["created"] == 2
    assert body["duplicates"] == 1
    assert [(e["index"], sorted(e["errors"])) for e in body["errors"]] == [
        (1, ["caller_phone"]),
        (2, ["category", "community"]),
        (5, ["non_field_errors"]),
    ]
    assert set(Incident.objects.values_list("number", flat=True)) == {"J0001", "J0004"}
    again = api(cast.center).post("/api/v1/incidents/batch/", rows, format="json").json()
    assert (again["created"], again["duplicates"]) == (0, 3)
    assert Incident.objects.count() == 2


def test_a_batch_that_is_not_a_list_is_refused(cast, api):
    assert api(cast.center).post("/api/v1/incidents/batch/", {"a": 1}, format="json").status_code == 400


def test_only_the_center_records_incidents(cast, api):
    assert api(cast.command_room).post("/api/v1/incidents/", row(cast), format="json").status_code == 403


def test_incidents_outside_scope_are_404(cast, api):
    api(cast.center).post("/api/v1/incidents/", row(cast), format="json")
    pk = Incident.objects.get().pk
    assert api(cast.command_room).get(f"/api/v1/incidents/{pk}/").status_code == 200
    assert api(cast.neighbour_command_room).get(f"/api/v1/incidents/{pk}/").status_code == 404
    assert api(cast.outsider).get(f"/api/v1/incidents/{pk}/").status_code == 404
    assert api(cast.neighbour_command_room).get("/api/v1/incidents/").json()["count"] == 0


def test_a_reveal_gives_the_full_number_and_is_audited(cast, api):
    from stations.models import AuditLog

    api(cast.center).post("/api/v1/incidents/", row(cast, caller_id_number="420103900101123"), format="json")
    pk = Incident.objects.get().pk
    purpose = {"purpose": "contact"}
    assert api(cast.officer).post(f"/api/v1/incidents/{pk}/reveal/", purpose).status_code == 404  # not his
    revealed = api(cast.command_room).post(f"/api/v1/incidents/{pk}/reveal/", purpose).json()
    assert revealed["caller_phone"] == "138-0013-8000"
    assert len(revealed["caller_id_number"]) == 18
    assert AuditLog.objects.filter(kind="reveal", username="home_cmd", target__endswith="J420103202611290001").exists()
    listed = api(cast.command_room).get(f"/api/v1/incidents/{pk}/").json()
    assert listed["caller_phone"] == "138****8000"
    assert "*" in listed["caller_id_number"]


def test_the_incident_list_keeps_its_query_count(cast, api, django_assert_max_num_queries):
    client = api(cast.center)
    client.post("/api/v1/incidents/batch/", [row(cast, "J1000")], format="json")
    client.get("/api/v1/incidents/")
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/incidents/")
    baseline = len(few.captured_queries)  # read now: the next request resets the query log
    CategoryFactory(code="theft", name="盗窃", is_dispute=False, is_criminal=True, feedback_hours=None)
    client.post(
        "/api/v1/incidents/batch/", [row(cast, f"J2{i:03d}", category="theft") for i in range(30)], format="json"
    )
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/incidents/").json()["count"] == 31


def test_center_staff_dispatch_an_incident_now_through_the_api(cast, api):
    api(cast.center).post("/api/v1/incidents/", row(cast), format="json")
    pk = Incident.objects.get().pk
    first = api(cast.center).post(f"/api/v1/incidents/{pk}/dispatch/", {"note": "请核查"}, format="json")
    assert first.status_code == 201
    again = api(cast.center).post(f"/api/v1/incidents/{pk}/dispatch/", {}, format="json")
    assert again.status_code == 200
    assert again.json() == {"instruction": first.json()["instruction"], "created": False}
    assert api(cast.command_room).post(f"/api/v1/incidents/{pk}/dispatch/", {}, format="json").status_code == 403
