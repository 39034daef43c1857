"""Short clocks (minutes, not hours): a per-instruction sign-off window, reminders half-way through a window
shorter than twice the reminder's lead, and an upgrade that keeps every reminder sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks import kinds
from tasks.kinds import KindOfWork
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.services import instruction_issue, instruction_return, instruction_sign_off, instruction_submit_feedback
from tasks.sweep import sweep_deadlines
from tests.factories import GOOD_ANSWERS, run_data_migration

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=2)


def minutes(n: float):
    return T0 + timedelta(minutes=n)


@pytest.fixture
def drill():
    """A kind of work that exists only in these tests: its feedback window is twenty minutes."""
    kinds.register(KindOfWork("drill", "演练", feedback_window=lambda i: timedelta(minutes=20)))
    yield "drill"
    kinds.unregister("drill")


def issue_drill(cast, at, **kwargs):
    return instruction_issue(kind="drill", actor=cast.center.user, station=cast.home, now=at, **kwargs)


def sign_off(cast, instruction, at):
    return instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer, now=at)


def events(instruction, kind):
    return list(InstructionEvent.objects.filter(instruction=instruction, kind=kind))


def test_an_instruction_can_be_issued_with_its_own_sign_off_window(cast, drill):
    urgent = issue_drill(cast, T0, sign_off_within=timedelta(minutes=3))
    assert urgent.sign_off_due == minutes(3)
    assert issue_drill(cast, T0).sign_off_due == minutes(30)  # the district's default is unchanged


def test_a_three_minute_window_is_reminded_half_way_and_breached_at_the_minute(cast, drill):
    urgent = issue_drill(cast, T0, sign_off_within=timedelta(minutes=3))
    assert sweep_deadlines(now=minutes(0.5)).total == 0  # not on the first sweep after the issue
    assert sweep_deadlines(now=minutes(1.4)).total == 0
    assert sweep_deadlines(now=minutes(1.5)).claimed["sign_off_reminder"] == 1
    assert Notification.objects.filter(recipient=cast.command_room.user, kind="sign_off_reminder").count() == 1
    assert sweep_deadlines(now=minutes(2.9)).total == 0
    report = sweep_deadlines(now=minutes(3.2))
    assert report.claimed["sign_off_breach"] == 1
    (breach,) = events(urgent, "sign_off_overdue")
    assert breach.at == minutes(3)
    assert Notification.objects.filter(recipient=cast.duty_leader.user, kind="sign_off_overdue").count() == 1


def test_a_twenty_minute_feedback_window_is_reminded_after_ten_minutes(cast, drill):
    instruction = sign_off(cast, issue_drill(cast, T0), minutes(2))
    assert instruction.feedback_due == minutes(22)
    assert sweep_deadlines(now=minutes(11.9)).claimed["feedback_reminder"] == 0
    assert sweep_deadlines(now=minutes(12)).claimed["feedback_reminder"] == 1
    assert Notification.objects.filter(recipient=cast.officer.user, kind="feedback_reminder").count() == 1
    assert sweep_deadlines(now=minutes(13)).total == 0


def test_a_return_reminds_its_short_window_half_way_too(cast, drill):
    instruction = sign_off(cast, issue_drill(cast, T0), minutes(2))
    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(5))
    instruction_return(instruction=instruction, actor=cast.center.user, comment="补充", now=minutes(10))
    assert sweep_deadlines(now=minutes(19.9)).claimed["feedback_reminder"] == 0
    assert sweep_deadlines(now=minutes(20)).claimed["feedback_reminder"] == 1


def test_an_upgrade_keeps_reminded_rows_reminded_and_reminds_the_others_once(cast, drill):
    reminded = issue_drill(cast, T0)  # reminded at 20 by the old code
    assert sweep_deadlines(now=minutes(20)).claimed["sign_off_reminder"] == 1
    waiting = issue_drill(cast, minutes(5))  # its reminder falls due at 25
    working = sign_off(cast, issue_drill(cast, T0), minutes(1))  # feedback due at 21, its reminder at 11
    returned = sign_off(cast, issue_drill(cast, T0), minutes(1))
    instruction_submit_feedback(instruction=returned, actor=cast.officer.user, answers=GOOD_ANSWERS, now=minutes(2))
    instruction_return(instruction=returned, actor=cast.center.user, comment="补充", now=minutes(4))  # due 24
    expected = {
        i.pk: (i.sign_off_remind_at, i.feedback_remind_at)
        for i in Instruction.objects.filter(pk__in=[reminded.pk, waiting.pk, working.pk, returned.pk])
    }
    # A database migrated by the old code has no reminder times; the migration fills them.
    Instruction.objects.update(sign_off_remind_at=None, feedback_remind_at=None)
    run_data_migration("tasks", "0023_reminder_times")
    filled = {i.pk: (i.sign_off_remind_at, i.feedback_remind_at) for i in Instruction.objects.all()}
    assert filled[reminded.pk] == expected[reminded.pk]
    assert filled[waiting.pk] == expected[waiting.pk]
    assert filled[working.pk][1] == expected[working.pk][1] == minutes(11)
    assert filled[returned.pk][1] == expected[returned.pk][1] == minutes(14)

    report = sweep_deadlines(now=minutes(14))
    assert (report.claimed["sign_off_reminder"], report.claimed["feedback_reminder"]) == (0, 2)
    report = sweep_deadlines(now=minutes(25))
    assert report.claimed["sign_off_reminder"] == 1  # the waiting one only
    assert len(events(reminded, "sign_off_reminder")) == 1
    assert len(events(waiting, "sign_off_reminder")) == 1
    assert sweep_deadlines(now=minutes(26)).total == 0
