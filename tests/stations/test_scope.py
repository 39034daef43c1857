"""One scoping rule, everywhere: outside scope is 404, lists hold only what is in scope."""

from __future__ import annotations

import pytest
from django.test import Client

from stations.models import Community, Officer, Station
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def codes(response):
    return [row.get("code") or row.get("username") for row in response.json()["results"]]


def test_a_command_room_gets_404_for_another_stations_objects(cast, api):
    client = api(cast.command_room)
    assert client.get("/api/v1/stations/home/").status_code == 200
    assert client.get("/api/v1/stations/neighbour/").status_code == 404
    assert client.get("/api/v1/communities/neighbour-c/").status_code == 404
    assert client.get("/api/v1/officers/nb_officer/").status_code == 404
    assert client.get("/api/v1/officers/home_officer/").status_code == 200


def test_a_command_room_sees_only_its_own_station_in_lists(cast, api):
    client = api(cast.command_room)
    assert codes(client.get("/api/v1/stations/")) == ["home"]
    assert codes(client.get("/api/v1/communities/")) == ["home-c"]
    assert set(codes(client.get("/api/v1/officers/"))) == {"home_cmd", "home_leader", "home_officer"}


def test_the_station_page_of_another_station_is_404_in_the_browser(cast):
    browser = Client()
    browser.login(username="home_cmd", password=PASSWORD)
    assert browser.get("/stations/home/").status_code == 200
    assert browser.get("/stations/neighbour/").status_code == 404


def test_a_community_officer_sees_only_himself_among_officers(cast, api):
    client = api(cast.officer)
    assert codes(client.get("/api/v1/officers/")) == ["home_officer"]
    assert client.get("/api/v1/officers/home_cmd/").status_code == 404


def test_the_center_sees_the_whole_district(cast, api):
    client = api(cast.center)
    assert set(codes(client.get("/api/v1/stations/"))) == {"home", "neighbour"}
    assert client.get("/api/v1/communities/neighbour-c/").status_code == 200
    assert client.get("/api/v1/officers/nb_officer/").status_code == 200


def test_a_user_without_a_role_sees_nothing(cast, api):
    client = api(cast.outsider)
    assert codes(client.get("/api/v1/stations/")) == []
    assert client.get("/api/v1/stations/home/").status_code == 404
    for model in (Station, Community, Officer):
        assert not model.objects.visible_to(cast.outsider).exists()


def test_an_anonymous_client_is_told_to_authenticate(cast, api):
    assert api().get("/api/v1/stations/").status_code in (401, 403)


def test_an_inactive_officer_loses_his_scope(cast, api):
    cast.command_room.is_active = False
    cast.command_room.save(update_fields=["is_active"])
    client = api(cast.command_room)
    assert client.get("/api/v1/stations/home/").status_code == 404


def test_every_role_has_its_permission_group_from_the_migrations(db):
    from django.contrib.auth.models import Group

    from stations.roles import Role

    assert set(Role.values) <= set(Group.objects.values_list("name", flat=True))
