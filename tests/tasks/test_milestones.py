"""Milestones: the extra deadlines a kind declares (e.g. the plan five minutes after the sign-off), started by
the engine, reminded and escalated once by the sweep, done once by the assigned officer. The kind exists only
in these tests: the engine knows no kind of work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from stations.roles import Role
from tasks import kinds
from tasks.kinds import KindOfWork, Milestone
from tasks.models import Instruction, InstructionEvent, InstructionMilestone, Notification
from tasks.notices import text_for
from tasks.services import (
    instruction_accept,
    instruction_cancel,
    instruction_issue,
    instruction_issue_assigned,
    instruction_milestone_done,
    instruction_sign_off,
    instruction_sign_off_to_several,
    instruction_submit_feedback,
)
from tasks.sweep import sweep_deadlines
from tests.factories import GOOD_ANSWERS, PASSWORD, make_officer

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=2)


def minutes(n: float):
    return T0 + timedelta(minutes=n)


def _supervisors(due, recipients):
    return recipients.supervisors


@pytest.fixture(autouse=True)
def drill():
    """A kind with three milestones: the desk's briefing ten minutes after the issue, the unit's plan five
    minutes after the sign-off, the outcome two hours after it (escalated to the supervision post)."""
    kinds.register(
        KindOfWork(
            "drill",
            "演练",
            milestones=(
                Milestone("brief", "通报", timedelta(minutes=10), starts="issued"),
                Milestone("plan", "回复方案", timedelta(minutes=5)),
                Milestone("outcome", "处置结果", lambda i: timedelta(hours=2), overdue_to=_supervisors),
            ),
        )
    )
    yield "drill"
    kinds.unregister("drill")


def issue_drill(cast, at, **kwargs):
    return instruction_issue(
        kind="drill", actor=cast.center.user, station=cast.home, now=at, sign_off_within=timedelta(minutes=3), **kwargs
    )


def signed_drill(cast, issued_at, signed_at):
    instruction = issue_drill(cast, issued_at)
    return instruction_sign_off(
        instruction=instruction, actor=cast.command_room.user, officer=cast.officer, now=signed_at
    )


def milestones(instruction):
    return {m.name: m for m in InstructionMilestone.objects.filter(instruction=instruction)}


def events(instruction, kind):
    return list(InstructionEvent.objects.filter(instruction=instruction, kind=kind))


def notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def done(cast, instruction, name, at, who=None):
    actor = (who or cast.officer).user
    return instruction_milestone_done(instruction=instruction, actor=actor, name=name, now=at)


def test_issued_milestones_start_at_the_issue_and_the_others_at_the_sign_off(cast):
    instruction = issue_drill(cast, T0)
    assert set(milestones(instruction)) == {"brief"}
    assert milestones(instruction)["brief"].due_at == minutes(10)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer, now=minutes(2))
    started = milestones(instruction)
    assert started["plan"].due_at == minutes(7)
    assert started["outcome"].due_at == minutes(2 + 120)


def test_a_sibling_gets_its_own_milestones_from_the_moment_it_is_added(cast):
    second = make_officer(Role.COMMUNITY_OFFICER, station=cast.home, username="home_officer2", name="周民警")
    instruction = issue_drill(cast, T0)
    first, sibling = instruction_sign_off_to_several(
        instruction=instruction, actor=cast.command_room.user, officers=[cast.officer, second], now=minutes(1)
    )
    assert set(milestones(sibling)) == {"plan", "outcome"}
    assert milestones(sibling)["plan"].due_at == minutes(6)
    assert milestones(first)["plan"].due_at == minutes(6)


def test_work_issued_straight_to_an_officer_starts_its_milestones_at_once(cast):
    from tasks.services import current_sheet

    instruction = instruction_issue_assigned(
        kind="drill",
        actor=cast.center.user,
        officer=cast.officer,
        answer_sheet=current_sheet(""),
        feedback_due=minutes(240),
        now=T0,
    )
    assert {m: r.due_at for m, r in milestones(instruction).items()} == {
        "brief": minutes(10),
        "plan": minutes(5),
        "outcome": minutes(120),
    }


def test_a_five_minute_milestone_is_reminded_once_half_way_to_the_assigned_officer(cast):
    instruction = signed_drill(cast, T0, minutes(2))  # plan due at 7: reminded at 4.5
    assert sweep_deadlines(now=minutes(4.4)).claimed["milestone_reminder"] == 0
    assert sweep_deadlines(now=minutes(4.5)).claimed["milestone_reminder"] == 1
    assert sweep_deadlines(now=minutes(4.6)).claimed["milestone_reminder"] == 0
    (reminder,) = notes(cast.officer.user, "milestone_reminder")
    assert reminder.payload["milestone"] == "plan"
    assert text_for(reminder.kind, reminder.payload, instruction).startswith("回复方案")
    (event,) = events(instruction, "milestone_reminder")
    assert (event.at, event.due_at) == (minutes(4.5), minutes(7))
    assert notes(cast.command_room.user, "milestone_reminder") == []


def test_an_overdue_milestone_is_escalated_once_at_its_due_time_however_many_sweeps(cast):
    instruction = signed_drill(cast, T0, minutes(2))
    first = sweep_deadlines(now=minutes(9))
    second = sweep_deadlines(now=minutes(9))
    assert first.claimed["milestone_breach"] == 1  # the plan (the brief is due at 10)
    assert second.claimed["milestone_breach"] == 0
    (breach,) = events(instruction, "milestone_overdue")
    assert (breach.at, breach.due_at, breach.payload["milestone"]) == (minutes(7), minutes(7), "plan")
    assert milestones(instruction)["plan"].breached_at == minutes(7)
    # To the station's duty leader and the issuer at the center, once each; nobody else.
    assert len(notes(cast.duty_leader.user, "milestone_overdue")) == 1
    assert len(notes(cast.center.user, "milestone_overdue")) == 1
    assert notes(cast.supervisor.user, "milestone_overdue") == []
    assert notes(cast.neighbour_command_room.user, "milestone_overdue") == []


def test_a_milestone_escalates_to_the_recipients_its_kind_registers(cast):
    instruction = signed_drill(cast, T0, minutes(2))
    done(cast, instruction, "plan", minutes(5))
    done(cast, instruction, "brief", minutes(5))
    report = sweep_deadlines(now=minutes(130))
    assert report.claimed["milestone_breach"] == 1  # the outcome, due at 122
    assert len(notes(cast.supervisor.user, "milestone_overdue")) == 1
    assert notes(cast.duty_leader.user, "milestone_overdue") == []
    assert notes(cast.center.user, "milestone_overdue") == []


def test_the_assigned_officer_marks_a_milestone_done_once(cast):
    instruction = signed_drill(cast, T0, minutes(2))
    sweep_deadlines(now=minutes(4.5))  # the plan's reminder
    plan = done(cast, instruction, "plan", minutes(6))
    assert (plan.done_at, plan.late_minutes) == (minutes(6), 0)
    again = done(cast, instruction, "plan", minutes(8))
    assert again.done_at == minutes(6)
    assert InstructionMilestone.objects.get(instruction=instruction, name="plan").done_at == minutes(6)
    assert len(events(instruction, "milestone_done")) == 1
    # Its reminder is settled; done, it is never escalated.
    assert all(n.read_at for n in notes(cast.officer.user, "milestone_reminder") if n.payload["milestone"] == "plan")
    sweep_deadlines(now=minutes(9))
    assert [e.payload["milestone"] for e in events(instruction, "milestone_overdue")] == []


def test_a_late_milestone_records_its_minutes_and_its_breach_at_the_deadline(cast):
    instruction = signed_drill(cast, T0, minutes(2))
    plan = done(cast, instruction, "plan", minutes(9.5))  # no sweep ran
    assert plan.late_minutes == 3
    (breach,) = events(instruction, "milestone_overdue")
    assert breach.at == minutes(7)
    assert sweep_deadlines(now=minutes(9.6)).claimed["milestone_breach"] == 0


@pytest.mark.parametrize("who", ["neighbour_officer", "command_room", "center", "duty_leader"])
def test_nobody_but_the_assigned_officer_marks_a_milestone_done(cast, who):
    instruction = signed_drill(cast, T0, minutes(2))
    with pytest.raises(Instruction.DoesNotExist):
        done(cast, instruction, "plan", minutes(3), who=getattr(cast, who))
    assert milestones(instruction)["plan"].done_at is None


def test_a_milestone_the_instruction_does_not_have_is_not_found(cast):
    instruction = signed_drill(cast, T0, minutes(2))
    with pytest.raises(Instruction.DoesNotExist):
        done(cast, instruction, "arrival", minutes(3))


def test_cancelled_and_closed_instructions_stop_their_milestones(cast):
    cancelled = signed_drill(cast, T0, minutes(2))
    instruction_cancel(instruction=cancelled, actor=cast.center.user, reason="误报", now=minutes(3))
    closed = signed_drill(cast, T0, minutes(2))
    instruction_submit_feedback(instruction=closed, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(3))
    instruction_accept(instruction=closed, actor=cast.center.user, now=minutes(4))
    report = sweep_deadlines(now=minutes(600))
    assert (report.claimed["milestone_reminder"], report.claimed["milestone_breach"]) == (0, 0)
    assert InstructionEvent.objects.filter(kind__startswith="milestone").count() == 0


def test_a_sweep_with_many_milestones_due_costs_the_same_queries_as_with_one(
    cast, django_assert_max_num_queries, django_assert_num_queries
):
    sweep_deadlines(now=T0)  # the first success creates the sweep's stamp; from then on one UPDATE
    signed_drill(cast, T0, minutes(1))  # plan due at 6
    with django_assert_max_num_queries(30) as one:
        assert sweep_deadlines(now=minutes(6.5)).claimed["milestone_breach"] == 1
    for _ in range(25):
        signed_drill(cast, minutes(20), minutes(21))  # plans due at 26
    with django_assert_num_queries(len(one.captured_queries)):
        # the 25 plans, and the first instruction's briefing (due at 10)
        assert sweep_deadlines(now=minutes(26.5)).claimed["milestone_breach"] == 26


def test_the_api_and_the_page_show_the_milestones(cast, api):
    instruction = signed_drill(cast, T0, minutes(2))
    done(cast, instruction, "plan", minutes(9))
    body = api(cast.officer).get(f"/api/v1/instructions/{instruction.pk}/").json()
    shown = {m["name"]: m for m in body["milestones"]}
    assert list(shown) == ["plan", "brief", "outcome"]  # by due time
    assert shown["plan"]["label"] == "回复方案"
    assert (shown["plan"]["late_minutes"], shown["plan"]["overdue"]) == (2, False)
    assert shown["brief"]["overdue"] is True  # due two days ago, not done
    assert shown["outcome"]["done_at"] is None
    client = Client()
    assert client.login(username=cast.officer.user.username, password=PASSWORD)
    page = client.get(f"/instructions/{instruction.pk}/").content.decode()
    assert 'data-testid="milestones"' in page
    assert "回复方案" in page
    assert "处置结果" in page


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_an_overdue_milestone_once(cast):
    from tests.tasks.test_concurrency import in_threads

    instruction = signed_drill(cast, T0, minutes(2))
    reports = in_threads(lambda: sweep_deadlines(now=minutes(8)), lambda: sweep_deadlines(now=minutes(8)))
    assert sorted(r.claimed["milestone_breach"] for r in reports) == [0, 1]
    (breach,) = events(instruction, "milestone_overdue")
    assert breach.at == minutes(7)
    assert len(notes(cast.duty_leader.user, "milestone_overdue")) == 1
    assert len(notes(cast.center.user, "milestone_overdue")) == 1
