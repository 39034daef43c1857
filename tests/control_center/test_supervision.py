"""The supervision post: spot checks of feedback quality, rectifications through the dispatch engine,
and open rectifications per station on the rankings page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from control_center.models import Rectification, SpotCheck
from control_center.ranking_pages import board
from control_center.rankings import Week
from control_center.supervision import rectification_issue, spot_check_record
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.services import instruction_cancel, instruction_sign_off, instruction_submit_feedback
from tests.factories import GOOD_ANSWERS, IncidentFactory, issue

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def answered(cast) -> Instruction:
    i = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=NOW - dt.timedelta(hours=2))
    instruction_sign_off(
        instruction=i, actor=cast.command_room.user, officer=cast.officer, now=NOW - dt.timedelta(hours=2)
    )
    return instruction_submit_feedback(instruction=i, actor=cast.officer.user, answers=GOOD_ANSWERS, now=NOW)


def signed_in(officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def test_a_supervisor_records_a_spot_check_on_the_instructions_timeline(cast, answered):
    check = spot_check_record(
        instruction=answered, inspector=cast.supervisor.user, adequate=False, findings="未见调解记录", now=NOW
    )
    assert (check.adequate, check.findings, check.inspector, check.at) == (
        False,
        "未见调解记录",
        cast.supervisor.user,
        NOW,
    )
    note = InstructionEvent.objects.get(instruction=answered, kind="note")
    assert "未见调解记录" in note.note
    assert note.actor == cast.supervisor.user


def test_an_inadequate_judgement_needs_findings_and_the_instruction_needs_feedback(cast, answered):
    with pytest.raises(ValidationError):
        spot_check_record(instruction=answered, inspector=cast.supervisor.user, adequate=False, findings="  ")
    fresh = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    with pytest.raises(ValidationError):
        spot_check_record(instruction=fresh, inspector=cast.supervisor.user, adequate=True)
    assert not SpotCheck.objects.exists()


def test_only_supervisors_inspect(cast, answered):
    for who in (cast.center, cast.command_room, cast.officer):
        with pytest.raises(PermissionDenied):
            spot_check_record(instruction=answered, inspector=who.user, adequate=True)
        with pytest.raises(PermissionDenied):
            rectification_issue(station=cast.home, inspector=who.user, note="整改", due_at=NOW + dt.timedelta(days=1))
    client = signed_in(cast.center)  # the center sees the post but does not judge
    assert client.get(f"/supervision/check/{answered.pk}/").status_code == 200
    assert client.post(f"/supervision/check/{answered.pk}/", {"adequate": "1"}).status_code == 404
    assert client.post("/supervision/rectify/", {"station": "home"}).status_code == 404
    assert signed_in(cast.command_room).get(f"/supervision/check/{answered.pk}/").status_code == 404


def test_a_rectification_is_an_instruction_of_the_dispatch_engine_with_the_supervisors_deadline(cast):
    due = NOW + dt.timedelta(days=3)
    rect = rectification_issue(
        station=cast.home, inspector=cast.supervisor.user, note="反馈不规范", due_at=due, now=NOW
    )
    i = rect.instruction
    assert (i.kind, i.station, i.status, i.issued_at) == ("rectification", cast.home, "issued", NOW)
    assert i.sign_off_due == NOW + dt.timedelta(minutes=30)  # the engine's clock runs like for any instruction
    assert "反馈不规范" in i.note
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") in i.note
    assert (rect.due_at, rect.issued_by) == (due, cast.supervisor.user)
    assert InstructionEvent.objects.filter(instruction=i, kind="issued", actor=cast.supervisor.user).exists()
    assert i.issued_by == cast.supervisor.user
    assert Notification.objects.filter(recipient=cast.command_room.user, instruction=i, kind="new_instruction").exists()
    # The engine runs the feedback clock to the supervisor's deadline, and the supervisor reviews the answer.
    from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
    from tests.factories import GOOD_ANSWERS

    signed = instruction_sign_off(instruction=i, actor=cast.command_room.user, officer=cast.officer, now=NOW)
    assert signed.feedback_due == due
    instruction_submit_feedback(instruction=i, actor=cast.officer.user, answers=GOOD_ANSWERS, now=NOW)
    assert instruction_accept(instruction=i, actor=cast.supervisor.user, now=NOW).status == "closed"
    with pytest.raises(ValidationError):
        rectification_issue(station=cast.home, inspector=cast.supervisor.user, note="x", due_at=NOW - dt.timedelta(1))
    with pytest.raises(ValidationError):
        rectification_issue(station=cast.home, inspector=cast.supervisor.user, note=" ", due_at=due)


def test_open_rectifications_per_station_show_on_the_rankings_page(cast):
    rectification_issue(station=cast.home, inspector=cast.supervisor.user, note="一", due_at=NOW + dt.timedelta(days=1))
    rectification_issue(station=cast.home, inspector=cast.supervisor.user, note="二", due_at=NOW + dt.timedelta(days=1))
    done = rectification_issue(
        station=cast.neighbour, inspector=cast.supervisor.user, note="三", due_at=NOW + dt.timedelta(days=1)
    )
    instruction_cancel(instruction=done.instruction, actor=cast.center.user, reason="已整改")
    later = NOW + dt.timedelta(days=2)  # a live week counts the rectifications open at its moment (or its end)
    rows = {r["station"]: r["rectifications"] for r in board(Week.of(later), now=later).rows}
    assert rows["home"] == {"open": 2, "overdue": 2}
    assert rows["neighbour"] == {"open": 0, "overdue": 0}
    html = signed_in(cast.supervisor).get("/rankings/").content.decode()
    assert 'data-metric="rectifications" data-value="0"' in html
    html = signed_in(cast.supervisor).get(f"/rankings/?week={Week.of(NOW)}").content.decode()
    assert 'data-metric="rectifications" data-value="2"' in html


def test_the_supervision_pages_record_a_check_and_order_a_rectification(cast, answered):
    client = signed_in(cast.supervisor)
    page = client.get("/supervision/").content.decode()
    assert f'data-instruction="{answered.pk}"' in page
    response = client.post(f"/supervision/check/{answered.pk}/", {"adequate": "0", "findings": "走访记录缺失"})
    check = SpotCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/?check={check.pk}#rectify"
    form = client.get(f"/supervision/?check={check.pk}").content.decode()
    assert "走访记录缺失" in form
    assert 'value="home" selected' in form
    assert client.post(f"/supervision/check/{answered.pk}/", {"adequate": "0"}).status_code == 400
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/supervision/rectify/", {"station": "home", "due_at": due, "note": "走访记录缺失", "spot_check": check.pk}
    )
    assert response.status_code == 302
    rect = Rectification.objects.get()
    assert (rect.spot_check, rect.instruction.station, rect.instruction.kind) == (check, cast.home, "rectification")
    page = client.get("/supervision/").content.decode()
    assert 'data-testid="rectification-row" data-station="home"' in page
    past = (timezone.localtime() - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/supervision/rectify/", {"station": "home", "due_at": past, "note": "x"}).status_code == 400
    assert Rectification.objects.count() == 1
