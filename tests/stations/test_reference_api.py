"""Reference data in the shape of the public contract, in a constant number of queries."""

from __future__ import annotations

import pytest

from stations.roles import Role
from tests.factories import CategoryFactory, CommunityFactory, make_officer

pytestmark = pytest.mark.django_db


def test_stations_are_named_by_code_with_their_kind(cast, api):
    body = api(cast.center).get("/api/v1/stations/").json()
    assert body["count"] == 2
    assert {"code": "home", "name": "花楼街派出所", "kind": "police_station"}.items() <= body["results"][0].items()


def test_communities_name_their_station_subdistrict_and_officers(cast, api):
    row = api(cast.center).get("/api/v1/communities/home-c/").json()
    assert row["station"] == "home"
    assert row["subdistrict"] == cast.home_community.subdistrict.code
    assert row["officers"] == ["home_officer"]


def test_communities_filter_by_station_code(cast, api):
    body = api(cast.center).get("/api/v1/communities/?station=neighbour").json()
    assert [r["code"] for r in body["results"]] == ["neighbour-c"]


def test_officers_carry_username_role_station_and_communities(cast, api):
    row = api(cast.center).get("/api/v1/officers/home_officer/").json()
    assert row == {
        "username": "home_officer",
        "name": "李民警",
        "role": "community_officer",
        "station": "home",
        "department": None,
        "communities": ["home-c"],
        "is_auxiliary": False,
    }


def test_officers_filter_by_role(cast, api):
    body = api(cast.center).get("/api/v1/officers/?role=command_room").json()
    assert sorted(r["username"] for r in body["results"]) == ["home_cmd", "nb_cmd"]


def test_categories_carry_feedback_hours(cast, api):
    CategoryFactory(code="theft", name="盗窃", is_dispute=False, is_criminal=True, feedback_hours=None)
    body = api(cast.officer).get("/api/v1/categories/").json()
    by_code = {r["code"]: r for r in body["results"]}
    assert by_code["family"] == {
        "code": "family",
        "name": "家庭纠纷",
        "is_dispute": True,
        "is_criminal": False,
        "feedback_hours": 3,
    }
    assert by_code["theft"]["is_criminal"] is True


@pytest.mark.parametrize("path", ["/api/v1/officers/", "/api/v1/communities/", "/api/v1/stations/"])
def test_reference_lists_do_not_grow_queries_with_rows(cast, api, path, django_assert_max_num_queries):
    client = api(cast.center)
    client.get(path)  # warm up session/content types
    with django_assert_max_num_queries(4) as few:
        client.get(path)
    for i in range(15):
        community = CommunityFactory(station=cast.home)
        make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[community], username=f"extra{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(path).json()
    assert body["count"] >= 2
