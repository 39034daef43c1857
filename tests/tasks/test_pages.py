"""The station queue and the instruction page: scope, order, the action forms, and constant query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client, RequestFactory
from django.utils import timezone

from stations.roles import Role
from tasks import services
from tasks.context_processors import unread_notifications
from tasks.models import Instruction, InstructionEvent
from tests.factories import GOOD_ANSWERS, PASSWORD, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db

E = InstructionEvent.Kind


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="queue-row" data-instruction="(\d+)"', html)]


def message_levels_of(response) -> list[int]:
    return [m.level for m in response.context["messages"]]


def issued_ago(cast, minutes: int, **incident) -> Instruction:
    """An instruction issued `minutes` ago at the home station (overdue past 30)."""
    incident = IncidentFactory(community=cast.home_community, **incident)
    return issue(incident, by=cast.center, now=timezone.now() - timedelta(minutes=minutes))


def assigned(cast, **incident) -> Instruction:
    instruction = issued_ago(cast, 1, **incident)
    return services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)


def fed_back(cast) -> Instruction:
    instruction = assigned(cast)
    return services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)


QUEUE = "/stations/home/queue/"


# --- the station queue ---------------------------------------------------------------------------


def test_the_queue_lists_the_stations_open_instructions_overdue_first(cast):
    later = issued_ago(cast, 1)
    overdue = issued_ago(cast, 45)
    sooner = issued_ago(cast, 20)
    in_feedback = assigned(cast)  # feedback due in 3 hours
    cancelled = issued_ago(cast, 50)
    services.instruction_cancel(instruction=cancelled, actor=cast.center.user, reason="重复")
    neighbour = issue(IncidentFactory(community=cast.neighbour_community), by=cast.center)

    response = signed_in(cast.command_room).get(QUEUE)

    assert response.status_code == 200
    expected = [overdue.pk, sooner.pk, later.pk, in_feedback.pk]
    assert [i.pk for i in response.context["instructions"]] == expected
    assert row_ids(response.text) == expected
    assert neighbour.pk not in row_ids(response.text)
    assert 'class="clock clock-red"' in response.text  # the overdue clock, even without JavaScript


@pytest.mark.parametrize("who", ["command_room", "duty_leader", "center"])
def test_the_stations_command_room_and_duty_leader_and_the_center_see_the_queue(cast, who):
    issued_ago(cast, 1)
    assert signed_in(getattr(cast, who)).get(QUEUE).status_code == 200


@pytest.mark.parametrize("who", ["neighbour_command_room", "officer", "neighbour_officer"])
def test_anyone_else_gets_404_for_the_queue(cast, who):
    assert signed_in(getattr(cast, who)).get(QUEUE).status_code == 404


def test_the_outsider_gets_404_and_anonymous_users_are_sent_to_log_in(cast):
    client = Client()
    assert client.login(username="outsider", password=PASSWORD)
    assert client.get(QUEUE).status_code == 404
    response = Client().get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_officer_picker_lists_only_the_stations_active_community_and_patrol_officers(cast):
    patrol = make_officer(Role.PATROL_OFFICER, station=cast.home, name="巡逻")
    make_officer(Role.COMMUNITY_OFFICER, station=cast.home, name="离岗", is_active=False)
    make_officer(Role.PATROL_OFFICER, station=cast.neighbour, name="邻巡逻")
    instruction = issued_ago(cast, 1)

    html = signed_in(cast.command_room).get(QUEUE).text

    select = re.search(rf'<select name="officer" id="officer-{instruction.pk}".*?</select>', html, re.S)
    shared = re.search(r'<template id="officer-options">.*?</template>', html, re.S)  # added to each picker by queue.js
    assert select is not None
    assert shared is not None
    offered = {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(0) + shared.group(0))}
    assert offered == {cast.officer.pk, patrol.pk}


@pytest.mark.parametrize("who", ["duty_leader", "center"])
def test_only_the_command_room_gets_the_sign_off_picker(cast, who):
    issued_ago(cast, 1)
    assert 'data-testid="sign-off-form"' in signed_in(cast.command_room).get(QUEUE).text
    assert 'data-testid="sign-off-form"' not in signed_in(getattr(cast, who)).get(QUEUE).text


def test_signing_off_from_the_queue_assigns_and_a_second_try_is_refused(cast):
    instruction = issued_ago(cast, 1)
    client = signed_in(cast.command_room)
    form = {"officer": cast.officer.pk, "next": QUEUE}

    response = client.post(f"/instructions/{instruction.pk}/sign-off/", form, follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert message_levels_of(response) == [message_levels.SUCCESS]
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ASSIGNED
    assert instruction.officer == cast.officer
    assert instruction.events.filter(kind=E.SIGNED_OFF, actor=cast.command_room.user).count() == 1
    row = re.search(rf'data-instruction="{instruction.pk}" data-status="(\w+)"', response.text)
    assert row is not None
    assert row.group(1) == "assigned"

    other = make_officer(Role.COMMUNITY_OFFICER, station=cast.home, name="另一位")
    again = client.post(f"/instructions/{instruction.pk}/sign-off/", {**form, "officer": other.pk}, follow=True)

    assert again.redirect_chain == [(QUEUE, 302)]
    assert message_levels_of(again) == [message_levels.ERROR]
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ASSIGNED
    assert instruction.officer == cast.officer
    assert instruction.events.filter(kind=E.SIGNED_OFF).count() == 1


def test_signing_off_to_an_officer_of_another_station_is_an_error_and_changes_nothing(cast):
    instruction = issued_ago(cast, 1)
    response = signed_in(cast.command_room).post(
        f"/instructions/{instruction.pk}/sign-off/", {"officer": cast.neighbour_officer.pk, "next": QUEUE}, follow=True
    )
    assert message_levels_of(response) == [message_levels.ERROR]
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ISSUED


def test_the_htmx_refresh_gets_only_the_rows(cast):
    first, second = issued_ago(cast, 45), issued_ago(cast, 1)
    client = signed_in(cast.command_room)

    response = client.get(QUEUE, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert row_ids(response.text) == [first.pk, second.pk]
    assert response.text.lstrip().startswith("<tr")
    for outside in ("<html", "<thead", "<tbody", "<header", "hx-get"):
        assert outside not in response.text
    assert "<html" in client.get(QUEUE).text


def test_the_queue_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    client = signed_in(cast.command_room)
    issued_ago(cast, 45)
    assigned(cast)
    client.get(QUEUE)
    with django_assert_max_num_queries(20) as few:
        assert len(row_ids(client.get(QUEUE).text)) == 2
    for minutes in range(18):
        issued_ago(cast, minutes * 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(row_ids(client.get(QUEUE).text)) == 20


# --- the instruction page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["neighbour_command_room", "neighbour_officer", "officer"])
def test_the_instruction_page_is_404_outside_scope(cast, who):
    instruction = issued_ago(cast, 1)  # not yet assigned: not the officer's either
    assert signed_in(getattr(cast, who)).get(f"/instructions/{instruction.pk}/").status_code == 404


def test_the_page_shows_the_incident_with_the_callers_phone_masked(cast):
    instruction = issued_ago(cast, 45, caller_phone="13912345678")
    response = signed_in(cast.command_room).get(f"/instructions/{instruction.pk}/")
    assert response.status_code == 200
    assert "13912345678" not in response.text
    assert '<dd data-testid="caller-phone">139****5678</dd>' in response.text
    assert instruction.dispatch.incident.number in response.text


def test_the_summary_is_escaped_on_the_queue_and_the_page(cast):
    instruction = issued_ago(cast, 1, summary="<script>alert(1)</script>")
    client = signed_in(cast.command_room)
    for path in (QUEUE, f"/instructions/{instruction.pk}/"):
        html = client.get(path).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("command_room", {"sign-off"}, {"feedback", "accept", "return", "cancel"}),
        ("center", {"cancel"}, {"sign-off", "feedback", "accept", "return"}),
        ("duty_leader", set(), {"sign-off", "feedback", "accept", "return", "cancel"}),
    ],
)
def test_an_issued_instruction_offers_each_person_only_their_actions(cast, who, shown, hidden):
    instruction = issued_ago(cast, 1)
    html = signed_in(getattr(cast, who)).get(f"/instructions/{instruction.pk}/").text
    assert {f for f in shown | hidden if f'data-testid="form-{f}"' in html} == shown


def test_the_assigned_officer_gets_the_answer_sheet_form(cast):
    instruction = assigned(cast)
    html = signed_in(cast.officer).get(f"/instructions/{instruction.pk}/").text
    assert 'data-testid="form-feedback"' in html
    assert 'data-testid="form-cancel"' not in html
    for name in ("met_in_person", "actions", "outcome", "risk_level", "revisit_on", "note"):
        assert f'data-testid="field-{name}"' in html
    assert 'type="radio" name="outcome" value="settled"' in html
    assert 'type="checkbox" name="actions" value="mediated"' in html
    assert 'data-testid="field-photos"' not in html
    assert 'data-testid="omitted"' in html


def test_bad_feedback_shows_an_error_per_item_and_stores_nothing(cast):
    instruction = assigned(cast)
    response = signed_in(cast.officer).post(
        f"/instructions/{instruction.pk}/feedback/",
        {"met_in_person": "yes", "actions": ["mediated"], "revisit_on": "next week"},
    )
    assert response.status_code == 400
    errors = set(re.findall(r'data-testid="errors-(\w+)"', response.text))
    assert errors == {"outcome", "risk_level", "revisit_on"}
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ASSIGNED
    assert instruction.answers is None
    assert not instruction.events.filter(kind=E.FEEDBACK).exists()


def test_the_officer_submits_feedback_through_the_form(cast):
    instruction = assigned(cast)
    client = signed_in(cast.officer)
    response = client.post(
        f"/instructions/{instruction.pk}/feedback/",
        {"met_in_person": "no", "actions": ["mediated", "visited"], "outcome": "partly", "risk_level": "low"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/instructions/{instruction.pk}/", 302)]
    assert message_levels_of(response) == [message_levels.SUCCESS]
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.FEEDBACK_SUBMITTED
    assert instruction.answers == {
        "met_in_person": False,
        "actions": ["mediated", "visited"],
        "outcome": "partly",
        "risk_level": "low",
    }
    answers = re.search(r'data-testid="answers".*?</section>', response.text, re.S).group(0)
    assert "部分化解" in answers  # choice values shown as their labels
    assert "调解、上门走访" in answers
    assert "partly" not in answers


def test_the_center_accepts_through_the_form(cast):
    instruction = fed_back(cast)
    response = signed_in(cast.center).post(f"/instructions/{instruction.pk}/accept/", {"note": "很好"})
    assert response.status_code == 302
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.CLOSED
    assert instruction.events.get(kind=E.ACCEPTED).note == "很好"


def test_the_center_returns_through_the_form_and_must_say_why(cast):
    instruction = fed_back(cast)
    client = signed_in(cast.center)

    empty = client.post(f"/instructions/{instruction.pk}/return/", {"comment": "  "})
    assert empty.status_code == 400
    assert 'data-testid="errors-comment"' in empty.text
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.FEEDBACK_SUBMITTED

    assert client.post(f"/instructions/{instruction.pk}/return/", {"comment": "请补充"}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.RETURNED
    assert instruction.return_count == 1


def test_the_center_cancels_through_the_form_and_must_give_a_reason(cast):
    instruction = issued_ago(cast, 1)
    client = signed_in(cast.center)

    assert client.post(f"/instructions/{instruction.pk}/cancel/", {"reason": ""}).status_code == 400
    assert client.post(f"/instructions/{instruction.pk}/cancel/", {"reason": "重复警情"}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.CANCELLED


def test_a_verb_the_status_does_not_allow_answers_409_and_changes_nothing(cast):
    instruction = assigned(cast)
    response = signed_in(cast.center).post(f"/instructions/{instruction.pk}/accept/", {"note": ""})
    assert response.status_code == 409
    assert message_levels_of(response) == [message_levels.ERROR]
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ASSIGNED


@pytest.mark.parametrize(
    ("who", "verb", "data"),
    [
        ("officer", "cancel", {"reason": "不想做"}),
        ("command_room", "accept", {}),
        ("neighbour_command_room", "sign-off", {}),
        ("outsider", "return", {"comment": "x"}),
    ],
)
def test_a_verb_the_person_may_not_use_is_404(cast, who, verb, data):
    instruction = fed_back(cast)
    client = Client()
    user = cast.outsider if who == "outsider" else getattr(cast, who).user
    client.force_login(user)
    assert client.post(f"/instructions/{instruction.pk}/{verb}/", data).status_code == 404
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.FEEDBACK_SUBMITTED


def test_the_action_urls_take_only_post(cast):
    instruction = issued_ago(cast, 1)
    assert signed_in(cast.center).get(f"/instructions/{instruction.pk}/cancel/").status_code == 405


def test_the_timeline_shows_each_event_with_its_deadline(cast):
    instruction = issued_ago(cast, 45)
    services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    html = signed_in(cast.center).get(f"/instructions/{instruction.pk}/").text
    kinds = re.findall(r'data-testid="event" data-kind="(\w+)"', html)
    assert kinds == ["issued", "sign_off_overdue", "signed_off"]
    assert 'data-testid="sign-off-late"' in html


def test_the_instruction_page_query_count_does_not_grow_with_events(cast, django_assert_max_num_queries):
    instruction = fed_back(cast)
    client = signed_in(cast.center)
    path = f"/instructions/{instruction.pk}/"
    client.get(path)
    with django_assert_max_num_queries(25) as few:
        client.get(path)
    leader = make_officer(Role.CENTER_STAFF, name="另一位中心")
    for n in range(6):
        reviewer = leader if n % 2 else cast.center
        services.instruction_return(instruction=instruction, actor=reviewer.user, comment=f"第{n}次")
        services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    assert instruction.events.count() > 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert len(re.findall(r'data-testid="event"', response.text)) == instruction.events.count()


# --- the header's unread count -------------------------------------------------------------------


def test_the_unread_count_is_the_users_unread_notifications_in_one_query(cast, django_assert_num_queries):
    issued_ago(cast, 1)
    issued_ago(cast, 2)  # each one tells the command room
    request = RequestFactory().get("/")
    request.user = cast.command_room.user
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 2}
    request.user = cast.neighbour_command_room.user
    assert unread_notifications(request) == {"unread_notifications": 0}


def test_anonymous_users_get_no_unread_count(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_notifications(request) == {}


def test_the_queue_orders_by_the_deadline_each_instruction_runs_against(cast):
    signed = issued_ago(cast, 25)  # its sign-off deadline would be in 5 minutes; its feedback is due in 3 hours
    services.instruction_sign_off(instruction=signed, actor=cast.command_room.user, officer=cast.officer)
    waiting = issued_ago(cast, 10)  # sign-off due in 20 minutes

    response = signed_in(cast.command_room).get(QUEUE)

    assert row_ids(response.text) == [waiting.pk, signed.pk]


def test_a_refresh_after_the_session_ended_reloads_the_page(db):
    response = Client().get(QUEUE, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert response.content == b""
