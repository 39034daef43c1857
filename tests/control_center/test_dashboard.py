from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, CategoryFactory, IncidentFactory

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
    summary = response.context["summary"]
    assert summary.incident_total == 4
    assert summary.dispute_total == 3
    assert [(r["station__code"], r["n"]) for r in summary.by_station] == [("home", 3), ("neighbour", 1)]


def test_station_people_get_404_for_the_center_dashboard(cast):
    assert signed_in("home_cmd").get("/center/").status_code == 404


def test_station_people_land_on_their_station_page(cast):
    response = signed_in("home_cmd").get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/stations/home/"


def test_the_dashboard_query_count_does_not_grow_with_incidents(cast, django_assert_max_num_queries):
    client = signed_in("center")
    IncidentFactory(community=cast.home_community)
    client.get("/center/")
    with django_assert_max_num_queries(20) as first:
        client.get("/center/")
    IncidentFactory.create_batch(40, community=cast.neighbour_community)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/center/")


def test_pages_switch_to_english_on_request(cast):
    client = signed_in("center")
    client.post("/i18n/setlang/", {"language": "en", "next": "/center/"})
    assert "Center dashboard" in client.get("/center/").text
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/center/"})
    assert "中心" in client.get("/center/").text


def test_a_browser_asking_for_english_still_gets_chinese_until_the_user_chooses(db):
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/accounts/login/")
    assert "登录" in response.text
