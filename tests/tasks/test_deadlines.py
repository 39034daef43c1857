"""Every clock at the right minute: due times, lateness, reminders, escalations, catch-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Instruction, InstructionEvent, Notification
from tasks.services import instruction_return, instruction_sign_off, instruction_submit_feedback
from tasks.sweep import sweep_deadlines
from tests.factories import GOOD_ANSWERS, CategoryFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=2)


def minutes(n: float):
    return T0 + timedelta(minutes=n)


@pytest.fixture
def instruction(cast):
    return issue(IncidentFactory(community=cast.home_community), by=cast.center, now=T0)


def sign_off(cast, instruction, at):
    return instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer, now=at)


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


def events(instruction, kind):
    return list(InstructionEvent.objects.filter(instruction=instruction, kind=kind))


def test_sign_off_is_due_thirty_minutes_after_issue(instruction):
    assert instruction.sign_off_due == minutes(30)


def test_feedback_is_due_after_the_categorys_hours(cast):
    nine = CategoryFactory(code="labour", name="劳资纠纷", feedback_hours=9)
    instruction = issue(IncidentFactory(community=cast.home_community, category=nine), by=cast.center, now=T0)
    assert sign_off(cast, instruction, minutes(5)).feedback_due == minutes(5) + timedelta(hours=9)


def test_windows_are_settings_in_minutes(cast, settings):
    settings.INSTRUCTION_SIGN_OFF_MINUTES = 15
    settings.INSTRUCTION_RETURN_FEEDBACK_MINUTES = 90
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=T0)
    assert instruction.sign_off_due == minutes(15)
    sign_off(cast, instruction, minutes(1))
    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(60))
    returned = instruction_return(instruction=instruction, actor=cast.center.user, comment="补充", now=minutes(70))
    assert returned.feedback_due == minutes(70 + 90)


def test_a_late_sign_off_is_recorded_with_its_minutes(cast, instruction):
    signed = sign_off(cast, instruction, minutes(36.5))
    assert signed.sign_off_late is True
    assert signed.sign_off_late_minutes == 7
    # No sweep saw it: the breach is still recorded once, at the deadline.
    (breach,) = events(instruction, "sign_off_overdue")
    assert breach.at == minutes(30)


def test_an_on_time_sign_off_is_not_late(cast, instruction):
    signed = sign_off(cast, instruction, minutes(30))
    assert (signed.sign_off_late, signed.sign_off_late_minutes) == (False, 0)


def test_the_sign_off_reminder_goes_to_the_command_room_ten_minutes_before(cast, instruction):
    assert sweep_deadlines(now=minutes(19.9)).total == 0
    report = sweep_deadlines(now=minutes(20))
    assert report.claimed["sign_off_reminder"] == 1
    assert len(notes(cast.command_room.user, "sign_off_reminder")) == 1
    assert sweep_deadlines(now=minutes(21)).total == 0
    assert len(events(instruction, "sign_off_reminder")) == 1


def test_an_overdue_sign_off_escalates_to_the_duty_leader_and_the_supervision_post(cast, instruction):
    sweep_deadlines(now=minutes(20))
    assert sweep_deadlines(now=minutes(29.9)).total == 0
    report = sweep_deadlines(now=minutes(30))
    assert report.claimed["sign_off_breach"] == 1
    assert len(notes(cast.duty_leader.user, "sign_off_overdue")) == 1
    assert len(notes(cast.supervisor.user, "sign_off_overdue")) == 1
    assert notes(cast.neighbour_command_room.user, "sign_off_overdue") == []
    instruction.refresh_from_db()
    assert instruction.sign_off_breached_at == minutes(30)
    assert instruction.status == "issued"  # overdue is a fact about a deadline, not a status
    assert sweep_deadlines(now=minutes(31)).total == 0


def test_the_feedback_reminder_goes_to_the_officer_an_hour_before(cast, instruction):
    sign_off(cast, instruction, minutes(10))  # family: 3 hours → due at 190
    assert sweep_deadlines(now=minutes(129)).claimed["feedback_reminder"] == 0
    assert sweep_deadlines(now=minutes(130)).claimed["feedback_reminder"] == 1
    assert len(notes(cast.officer.user, "feedback_reminder")) == 1


def test_an_overdue_feedback_escalates_to_the_duty_leader_and_the_issuer(cast, instruction):
    sign_off(cast, instruction, minutes(10))
    report = sweep_deadlines(now=minutes(195))
    assert report.claimed["feedback_breach"] == 1
    assert report.claimed["feedback_reminder"] == 0  # too late to remind: the breach covers it
    assert len(notes(cast.duty_leader.user, "feedback_overdue")) == 1
    assert len(notes(cast.center.user, "feedback_overdue")) == 1
    (breach,) = events(instruction, "feedback_overdue")
    assert breach.at == minutes(190)
    late = instruction_submit_feedback(
        instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(200)
    )
    assert (late.feedback_late, late.feedback_late_minutes) == (True, 10)
    assert len(events(instruction, "feedback_overdue")) == 1


def test_a_return_starts_a_new_feedback_clock_with_its_own_reminder_and_breach(cast, instruction):
    sign_off(cast, instruction, minutes(10))
    sweep_deadlines(now=minutes(195))
    instruction_submit_feedback(
        instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(200)
    )
    instruction_return(instruction=instruction, actor=cast.center.user, comment="补充情况", now=minutes(210))
    instruction.refresh_from_db()
    assert instruction.feedback_due == minutes(210 + 180)
    assert sweep_deadlines(now=minutes(330)).claimed["feedback_reminder"] == 1
    assert sweep_deadlines(now=minutes(390)).claimed["feedback_breach"] == 1
    assert [e.at for e in events(instruction, "feedback_overdue")] == [minutes(190), minutes(390)]


def test_closed_and_cancelled_instructions_are_never_swept(cast, instruction):
    from tasks.services import instruction_cancel

    instruction_cancel(instruction=instruction, actor=cast.center.user, reason="误派", now=minutes(5))
    assert sweep_deadlines(now=minutes(600)).total == 0


def test_a_three_hour_outage_is_caught_up_once_with_true_deadlines_and_one_digest(cast):
    # Six instructions fall due during an outage from T0 to T0+3h; nothing sweeps meanwhile.
    pending = [
        issue(IncidentFactory(community=cast.home_community), by=cast.center, now=minutes(10 * i)) for i in range(6)
    ]
    report = sweep_deadlines(now=minutes(180))
    assert report.claimed["sign_off_breach"] == 6
    assert report.claimed["sign_off_reminder"] == 0
    for i, instruction in enumerate(pending):
        (breach,) = events(instruction, "sign_off_overdue")
        assert breach.at == minutes(10 * i + 30)
    # The duty leader is owed six escalations: one digest instead of six messages.
    (digest,) = notes(cast.duty_leader.user)
    assert digest.kind == "digest"
    assert digest.payload["counts"] == {"sign_off_overdue": 6}
    assert sorted(item["instruction"] for item in digest.payload["items"]) == sorted(p.pk for p in pending)
    # Catching up again changes nothing.
    assert sweep_deadlines(now=minutes(181)).total == 0
    assert InstructionEvent.objects.filter(kind="sign_off_overdue").count() == 6


def test_the_sweep_issues_the_same_number_of_queries_for_one_or_many_due(cast, django_assert_max_num_queries):
    issue(IncidentFactory(community=cast.home_community), by=cast.center, now=T0)
    with django_assert_max_num_queries(30) as one:
        sweep_deadlines(now=minutes(31))
    for _ in range(40):
        issue(IncidentFactory(community=cast.home_community), by=cast.center, now=minutes(40))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert sweep_deadlines(now=minutes(71)).claimed["sign_off_breach"] == 40


def test_an_empty_sweep_costs_four_queries_and_the_stamp_of_its_success(cast, instruction, django_assert_num_queries):
    sweep_deadlines(now=minutes(0))  # the first success creates the stamp; from then on one UPDATE
    # four range scans inside one transaction (savepoint-free), then the stamp of the sweep's success
    with django_assert_num_queries(4 + 2 + 1):
        sweep_deadlines(now=minutes(1))


def test_the_management_command_runs_the_same_sweep(cast, instruction, capsys):
    from django.core.management import call_command

    call_command("sweep_deadlines")
    assert "sign_off_breach=1" in capsys.readouterr().out
    assert Instruction.objects.get().sign_off_breached_at == minutes(30)
