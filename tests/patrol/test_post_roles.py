"""A post's duty desk signs off like a command room and its chief leads like a duty leader: the engine asks
`stations.permissions`, never a kind of work; reminders reach the desk, escalations the chief."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from stations import permissions
from stations.roles import PERSONAL_DATA_ROLES, STATION_ROLES, Role
from tasks.models import Instruction, Notification
from tasks.notify import Recipients
from tasks.services import instruction_sign_off, instruction_submit_feedback
from tasks.sweep import sweep_deadlines
from tests.factories import GOOD_ANSWERS, PASSWORD, IncidentFactory, issue

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=2)


def minutes(n: float):
    return T0 + timedelta(minutes=n)


def notes(who, kind):
    return list(Notification.objects.filter(recipient=who.user, kind=kind))


@pytest.fixture
def order(posts, cast):
    """An intelligence instruction the center issues to 武展警务站."""
    return issue(by=cast.center, kind="intelligence", station=posts.wuzhan, note="网逃人员出现在前进一路", now=T0)


def test_the_post_roles_are_station_roles_that_see_personal_data():
    assert {Role.DUTY_DESK, Role.POST_CHIEF} <= STATION_ROLES
    assert {Role.DUTY_DESK, Role.POST_CHIEF} <= PERSONAL_DATA_ROLES


def test_who_signs_off_and_who_leads(posts, cast):
    assert permissions.signs_off(posts.desk)
    assert permissions.signs_off(cast.command_room)
    assert not permissions.signs_off(posts.chief)
    assert not permissions.signs_off(cast.duty_leader)
    assert permissions.leads_station(posts.chief)
    assert permissions.leads_station(cast.duty_leader)
    assert not permissions.leads_station(posts.desk)
    assert not permissions.leads_station(posts.member)


def test_the_recipients_of_a_post_are_its_desk_and_its_chief(posts, cast):
    found = Recipients.load([posts.wuzhan.pk, cast.home.pk])
    assert found.command_room[posts.wuzhan.pk] == [posts.desk.user_id]
    assert found.duty_leader[posts.wuzhan.pk] == [posts.chief.user_id]
    assert found.command_room[cast.home.pk] == [cast.command_room.user_id]
    assert found.duty_leader[cast.home.pk] == [cast.duty_leader.user_id]


def test_the_desk_is_told_of_new_work_and_signs_it_off_to_a_patrol_officer(posts, order):
    assert len(notes(posts.desk, Notification.Kind.NEW_INSTRUCTION)) == 1
    signed = instruction_sign_off(instruction=order, actor=posts.desk.user, officer=posts.member, now=minutes(2))
    assert signed.status == Instruction.Status.ASSIGNED
    assert signed.officer == posts.member


def test_the_chief_another_posts_desk_and_a_member_may_not_sign_off(posts, order):
    for who in (posts.chief, posts.hkz_desk, posts.member):
        with pytest.raises(Instruction.DoesNotExist):
            instruction_sign_off(instruction=order, actor=who.user, officer=posts.member, now=minutes(2))


def test_a_police_stations_command_room_still_signs_off(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=T0)
    signed = instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    assert signed.status == Instruction.Status.ASSIGNED


def test_the_sign_off_reminder_reaches_the_desk_and_the_escalation_the_chief(posts, cast, order):
    sweep_deadlines(now=order.sign_off_remind_at)
    assert len(notes(posts.desk, "sign_off_reminder")) == 1
    assert notes(posts.chief, "sign_off_reminder") == []
    sweep_deadlines(now=order.sign_off_due)
    assert len(notes(posts.chief, "sign_off_overdue")) == 1
    assert len(notes(cast.supervisor, "sign_off_overdue")) == 1
    assert notes(posts.desk, "sign_off_overdue") == []
    assert notes(posts.hkz_chief, "sign_off_overdue") == []
    assert notes(cast.duty_leader, "sign_off_overdue") == []


def test_an_overdue_feedback_escalates_to_the_chief(posts, cast, order):
    signed = instruction_sign_off(instruction=order, actor=posts.desk.user, officer=posts.member, now=minutes(1))
    sweep_deadlines(now=signed.feedback_due)
    assert len(notes(posts.chief, "feedback_overdue")) == 1
    assert notes(posts.hkz_chief, "feedback_overdue") == []


def test_the_desk_and_the_chief_see_their_posts_queue_and_the_instruction(posts, order):
    for who in (posts.desk, posts.chief):
        client = Client()
        assert client.login(username=who.user.username, password=PASSWORD)
        queue = client.get("/stations/wuzhan/queue/")
        assert queue.status_code == 200
        assert f'data-instruction="{order.pk}"' in queue.content.decode()
        assert client.get(f"/instructions/{order.pk}/").status_code == 200
        assert client.get("/stations/hankou-railway/queue/").status_code == 404
    client = Client()
    client.login(username=posts.hkz_desk.user.username, password=PASSWORD)
    assert client.get(f"/instructions/{order.pk}/").status_code == 404


def test_the_desk_signs_off_through_the_api(posts, order, api):
    response = api(posts.desk).post(
        f"/api/v1/instructions/{order.pk}/sign-off/", {"officer": "wuzhan_patrol"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "assigned"
    done = instruction_submit_feedback(instruction=order.pk, actor=posts.member.user, answers=GOOD_ANSWERS)
    assert done.status == Instruction.Status.FEEDBACK_SUBMITTED
