"""The station queue a page at a time (issue 18): overdue and due-soonest first, a count of what is waiting, the
officers written once per page, and the same queries and about the same bytes whether 10 or 300 items wait."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stations.roles import Role
from tasks.views import QUEUE_PAGE_SIZE
from tests.factories import CommunityFactory, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db

QUEUE = "/stations/home/queue/"
SUMMARY = "报警人称与邻居因楼道堆放杂物发生口角，双方情绪激动，要求民警到场处理，现场无人受伤。"  # a typical call
ADDRESS = "江汉区前进一路88号华联大厦东区3栋2单元501室"


def client_for(officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="queue-row" data-instruction="(\d+)"', html)]


@pytest.fixture
def busy_station(cast):
    """The home station with two communities, two community officers for each (the cast's is one), and twelve
    patrol officers who cover none: sixteen officers in every picker."""
    other = CommunityFactory(code="home-d", name="交易街社区", station=cast.home)
    for n, community in enumerate((cast.home_community, other, other)):
        make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[community], name=f"社区民警{n}")
    for n in range(12):
        make_officer(Role.PATROL_OFFICER, station=cast.home, name=f"巡逻民警{n:02d}")
    return other


def pile_up(cast, community, count: int, *, minutes_ago: int = 1) -> list:
    now = timezone.now() - timedelta(minutes=minutes_ago)
    return [
        issue(
            IncidentFactory(community=community, summary=SUMMARY, address=ADDRESS),
            by=cast.center,
            now=now - timedelta(seconds=n),
        )
        for n in range(count)
    ]


def test_the_queue_takes_the_same_queries_with_10_and_300_open_instructions(
    cast, busy_station, django_assert_num_queries
):
    client = client_for(cast.command_room)
    pile_up(cast, cast.home_community, 5)
    pile_up(cast, busy_station, 5)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as ten:
        assert len(row_ids(client.get(QUEUE).text)) == 10
    with CaptureQueriesContext(connection) as ten_rows_alone:
        assert len(row_ids(client.get(QUEUE, headers={"HX-Request": "true"}).text)) == 10
    pile_up(cast, cast.home_community, 145)
    pile_up(cast, busy_station, 145)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert len(row_ids(client.get(QUEUE).text)) == QUEUE_PAGE_SIZE
    with django_assert_num_queries(len(ten_rows_alone.captured_queries)):
        assert len(row_ids(client.get(QUEUE, {"page": 3}, headers={"HX-Request": "true"}).text)) == QUEUE_PAGE_SIZE


def test_the_first_page_stays_under_60_kb_with_300_open_instructions(cast, busy_station):
    pile_up(cast, cast.home_community, 150)
    pile_up(cast, busy_station, 150)
    response = client_for(cast.command_room).get(QUEUE)
    assert len(row_ids(response.text)) == QUEUE_PAGE_SIZE
    assert len(response.content) < 60 * 1024, len(response.content)


def test_the_officers_are_written_once_per_page_and_each_row_offers_only_those_who_cover_its_community(
    cast, busy_station
):
    mine = pile_up(cast, cast.home_community, 3)
    theirs = pile_up(cast, busy_station, 3)
    html = client_for(cast.command_room).get(QUEUE).text
    shared = re.search(r'<template id="officer-options">(.*?)</template>', html, re.S)
    assert shared is not None
    everyone = [int(v) for v in re.findall(r'<option value="(\d+)"', shared.group(1))]
    assert len(everyone) == 16
    assert cast.officer.pk in everyone

    def picker(pk):
        select = re.search(rf'<select name="officer" id="officer-{pk}".*?</select>', html, re.S)
        return [int(v) for v in re.findall(r'<option value="(\d+)" data-covers="1"', select.group(0))]

    home_officers = set(cast.home_community.officers.values_list("pk", flat=True))
    their_officers = set(busy_station.officers.values_list("pk", flat=True))
    for instruction in mine:
        assert set(picker(instruction.pk)) == home_officers
    for instruction in theirs:
        assert set(picker(instruction.pk)) == their_officers
    assert html.count(f'<option value="{cast.officer.pk}"') == 1 + len(mine)  # the template, the rows it covers


def test_overdue_items_lead_the_first_page_and_the_rest_follow_on_the_next(cast):
    fresh = pile_up(cast, cast.home_community, QUEUE_PAGE_SIZE + 5)
    overdue = pile_up(cast, cast.home_community, 5, minutes_ago=45)
    client = client_for(cast.command_room)

    first = client.get(QUEUE).text
    second = client.get(QUEUE, {"page": 2}).text

    soonest_first = [i.pk for i in reversed(fresh)]
    assert row_ids(first)[:5] == [i.pk for i in reversed(overdue)]  # the longest overdue first
    assert row_ids(first)[5:] == soonest_first[: QUEUE_PAGE_SIZE - 5]
    assert row_ids(second) == soonest_first[QUEUE_PAGE_SIZE - 5 :]
    assert f"共 {QUEUE_PAGE_SIZE + 10} 条未办结指令" in first
    assert 'data-testid="next-page"' in first
    assert 'data-testid="next-page"' not in second


def test_the_refresh_and_the_sign_off_forms_stay_on_the_current_page(cast):
    pile_up(cast, cast.home_community, QUEUE_PAGE_SIZE + 10)
    client = client_for(cast.command_room)

    second = client.get(QUEUE, {"page": 2}).text
    rows = client.get(QUEUE, {"page": 2}, headers={"HX-Request": "true"}).text

    assert f'hx-get="{QUEUE}?page=2"' in second
    assert row_ids(rows) == row_ids(second)
    assert len(row_ids(rows)) == 10
    assert f'name="next" value="{QUEUE}?page=2"' in rows
    assert f'hx-get="{QUEUE}"' in client.get(QUEUE).text
