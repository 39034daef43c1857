"""Stations and people: the queue shows each item's community and offers its officers first; one case can go
to two officers as sibling instructions with their own clocks; people appear by name and role; community
committee workers are never listed as community officers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from control_center.supervision import spot_check_record
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import instruction_sign_off, instruction_sign_off_to_several, instruction_submit_feedback
from tests.factories import GOOD_ANSWERS, CommunityFactory, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db


def client_for(officer):
    client = Client()
    client.force_login(officer.user)
    return client


@pytest.fixture
def second_family(cast):
    """The school-gate quarrel's other family lives in another community of the home station, with its officer."""
    other = CommunityFactory(code="home-d", name="交易街社区", station=cast.home)
    officer = make_officer(
        Role.COMMUNITY_OFFICER, station=cast.home, communities=[other], username="home_officer2", name="王民警"
    )
    return other, officer


def test_the_queue_shows_the_community_and_offers_its_officers_first(cast, second_family):
    other, other_officer = second_family
    mine = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    theirs = issue(IncidentFactory(community=other), by=cast.center)
    html = client_for(cast.command_room).get("/stations/home/queue/").content.decode()
    assert "大兴社区" in html
    assert "交易街社区" in html

    def picker(pk):
        start = html.index(f'id="officer-{pk}"')
        options = html[start : html.index("</select>", start)]
        return [int(v) for v in __import__("re").findall(r'<option value="(\d+)"', options)]

    assert picker(mine.pk)[0] == cast.officer.pk
    assert picker(theirs.pk)[0] == other_officer.pk


def test_the_queue_takes_the_same_queries_however_many_items(cast, second_family):
    other, _officer = second_family
    client = client_for(cast.command_room)
    for community in (cast.home_community, other):
        issue(IncidentFactory(community=community), by=cast.center)
    with CaptureQueriesContext(connection) as few:
        client.get("/stations/home/queue/")
    for _i in range(6):
        issue(IncidentFactory(community=other), by=cast.center)
        make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[other])
    with CaptureQueriesContext(connection) as many:
        client.get("/stations/home/queue/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_one_case_goes_to_two_officers_as_siblings_each_with_its_own_clock(cast, second_family):
    _other, other_officer = second_family
    start = timezone.now()
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=start)
    later = start + timedelta(minutes=10)
    signed, sibling = instruction_sign_off_to_several(
        instruction=first, actor=cast.command_room.user, officers=[cast.officer, other_officer], now=later
    )
    assert signed.officer == cast.officer
    assert sibling.officer == other_officer
    assert sibling.dispatch.incident_id == first.dispatch.incident_id
    assert sibling.status == Instruction.Status.ASSIGNED
    assert {signed.case_id, sibling.case_id} == {first.pk}
    assert sibling.feedback_due == later + timedelta(hours=3)
    # Each clock runs alone: one feedback closes nothing of the other.
    instruction_submit_feedback(instruction=sibling, actor=other_officer.user, answers=GOOD_ANSWERS)
    signed.refresh_from_db()
    assert signed.status == Instruction.Status.ASSIGNED
    assert sibling.events.filter(kind="signed_off").exists()
    assert first.events.filter(kind="note", note__contains="王民警").exists()
    assert other_officer.user.notifications.filter(kind="assigned", instruction=sibling).exists()


def test_the_instruction_page_shows_the_case_together(cast, second_family):
    _other, other_officer = second_family
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    _signed, sibling = instruction_sign_off_to_several(
        instruction=first, actor=cast.command_room.user, officers=[cast.officer, other_officer]
    )
    html = client_for(cast.center).get(f"/instructions/{first.pk}/").content.decode()
    assert 'data-testid="case"' in html
    assert f'data-sibling="{sibling.pk}"' in html
    assert "王民警" in html


def test_the_command_room_assigns_to_two_officers_from_the_instruction_page(cast, second_family):
    _other, other_officer = second_family
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    answer = client_for(cast.command_room).post(
        f"/instructions/{first.pk}/sign-off/", {"officer": cast.officer.pk, "also": [other_officer.pk]}
    )
    assert answer.status_code == 302
    assert Instruction.objects.filter(case_id=first.pk).count() == 2


def test_the_api_signs_off_to_several_officers(cast, api, second_family):
    _other, other_officer = second_family
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    answer = api(cast.command_room).post(
        f"/api/v1/instructions/{first.pk}/sign-off/",
        {"officer": "home_officer", "also": ["home_officer2"]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["siblings"] == [Instruction.objects.get(case_id=first.pk, officer=other_officer).pk]
    refused = api(cast.command_room).post(
        f"/api/v1/instructions/{issue(IncidentFactory(community=cast.home_community), by=cast.center).pk}/sign-off/",
        {"officer": "home_officer", "also": ["nb_officer"]},
        format="json",
    )
    assert refused.status_code == 400
    assert "also" in refused.json()


def test_a_sibling_only_goes_to_an_officer_of_the_station_who_has_not_got_the_case(cast):
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    with pytest.raises(ValidationError):
        instruction_sign_off_to_several(
            instruction=first, actor=cast.command_room.user, officers=[cast.officer, cast.neighbour_officer]
        )
    assert not Instruction.objects.filter(officer=cast.neighbour_officer).exists()
    first.refresh_from_db()
    assert first.status == Instruction.Status.ISSUED  # nothing half done


def test_timelines_change_logs_and_spot_checks_show_people_by_name_and_role(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    instruction.refresh_from_db()
    spot_check_record(instruction=instruction, inspector=cast.supervisor.user, adequate=True, findings="规范")
    page = client_for(cast.center).get(f"/instructions/{instruction.pk}/", headers={"accept-language": "zh-hans"})
    html = page.content.decode()
    assert "指挥室（" in html
    assert "home_cmd" not in html
    incident_html = client_for(cast.center).get(f"/incidents/{instruction.dispatch.incident_id}/").content.decode()
    assert "home_cmd" not in incident_html
    assert "李民警（" in incident_html
    check_html = client_for(cast.supervisor).get(f"/supervision/check/{instruction.pk}/").content.decode()
    assert "督察（" in check_html
    assert ">supervisor" not in check_html


def test_community_workers_are_not_listed_as_community_officers(cast, api):
    make_officer(Role.COMMUNITY_WORKER, communities=[cast.home_community], username="luofeng", name="罗峰")
    html = client_for(cast.command_room).get("/stations/home/").content.decode()
    assert "李民警" in html
    assert "罗峰" not in html
    (community,) = [c for c in api(cast.center).get("/api/v1/communities/").json()["results"] if c["code"] == "home-c"]
    assert community["officers"] == ["home_officer"]


def test_a_person_reads_as_name_and_role_and_an_account_without_a_profile_as_its_login(cast):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("zh-hans"):
        rendered = Template("{% load people %}{{ a|person }}|{{ b|person }}").render(
            Context({"a": cast.command_room.user, "b": cast.outsider})
        )
    assert rendered == "指挥室（综合指挥室）|outsider"


def test_the_api_timeline_names_the_people_too(cast, api):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    timeline = api(cast.center).get(f"/api/v1/instructions/{instruction.pk}/").json()["timeline"]
    assert [e["actor"] for e in timeline] == ["center", "home_cmd"]  # the contract's field stays
    assert timeline[1]["actor_name"].startswith("指挥室")
