"""Repeat callers and places: counting, linking, revisits, follow-ups, three reports and two pushes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from disputes.models import FollowUp, Incident, Push, RepeatGroup
from disputes.services import incidents_intake, issue_due_follow_ups
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
from tests.factories import GOOD_ANSWERS, CategoryFactory

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def categories(cast):
    CategoryFactory(code="domestic_violence", name="家庭暴力", feedback_hours=3, is_severe=True)
    CategoryFactory(code="neighbours", name="邻里纠纷", feedback_hours=9)


def call(cast, number, at, category="family", phone="13971234567", address="前进一路88号3栋2单元501室", **more):
    return {
        "number": number if len(number) >= 4 else f"J420{number}",
        "received_at": at.isoformat(),
        "category": category,
        "caller_name": "陈女士",
        "caller_phone": phone,
        "address": address,
        "community": cast.home_community.code,
        "summary": more.pop("summary", "家庭纠纷"),
        **more,
    }


def take(cast, *rows, now):
    with time_machine.travel(now, tick=False):
        result = incidents_intake(list(rows), actor=cast.center.user, now=now)
        assert not result.errors, result.errors
        return result


def close_revisit(cast, revisit, answers=GOOD_ANSWERS, *, at):
    instruction_sign_off(instruction=revisit, actor=cast.command_room.user, officer=cast.officer, now=at)
    instruction_submit_feedback(instruction=revisit, actor=cast.officer.user, answers=answers, now=at)
    return instruction_accept(instruction=revisit, actor=cast.center.user, now=at)


def revisits():
    return Instruction.objects.filter(kind="revisit").order_by("pk")


def test_the_chen_case(cast, categories):
    jan = dt.datetime(2026, 1, 12, 10, 5, tzinfo=SHANGHAI)
    feb = dt.datetime(2026, 2, 20, 21, 40, tzinfo=SHANGHAI)
    mar = dt.datetime(2026, 3, 15, 17, 30, tzinfo=SHANGHAI)
    take(cast, call(cast, "J20260112001", jan), now=jan)
    assert not revisits().exists()

    # February: domestic violence, the second call: a risk already, a revisit goes out and is done.
    feb_result = take(
        cast, call(cast, "J20260220001", feb, category="domestic_violence", phone="139 7123 4567"), now=feb
    )
    assert [i.repeat_caller_count for i in feb_result.created] == [2]
    first = revisits().get()
    close_revisit(cast, first, at=feb + dt.timedelta(hours=2))

    # 15 March 17:30: the third call, a threat to throw a child from the building.
    result = take(
        cast,
        call(cast, "J20260315001", mar, phone="+86 13971234567", summary="报警人称丈夫扬言要把孩子扔下楼"),
        now=mar,
    )
    (march,) = result.created
    assert (march.repeat_caller_count, march.repeat_address_count, march.repeat_flagged) == (3, 3, True)
    second = revisits().last()
    assert second.pk != first.pk
    assert (second.dispatch.incident, second.station, second.status) == (march, cast.home, "issued")
    assert "3" in second.note
    # The officer's page shows all three calls.
    instruction_sign_off(instruction=second, actor=cast.command_room.user, officer=cast.officer, now=mar)
    body = api_get(cast.officer, f"/api/v1/incidents/{march.pk}/")
    assert [h["number"] for h in body["history"]] == ["J20260112001", "J20260220001"]
    group = RepeatGroup.objects.get(kind="caller")
    assert set(group.incidents.values_list("number", flat=True)) == {"J20260112001", "J20260220001", "J20260315001"}
    assert (group.first_at, group.last_at) == (jan, mar)


def api_get(officer, path):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(officer.user)
    return client.get(path).json()


def test_the_third_call_within_the_window_is_a_risk_and_older_calls_do_not_count(cast, categories):
    t = timezone.now() - dt.timedelta(hours=1)
    old = t - dt.timedelta(days=91)
    take(cast, call(cast, "J1", old), call(cast, "J2", t - dt.timedelta(days=30)), now=t)
    result = take(cast, call(cast, "J3", t), now=t)
    assert result.created[0].repeat_caller_count == 2  # J1 is outside the 90 days
    assert not revisits().exists()
    result = take(cast, call(cast, "J4", t + dt.timedelta(minutes=5)), now=t + dt.timedelta(minutes=5))
    assert result.created[0].repeat_caller_count == 3
    assert revisits().count() == 1


def test_the_same_place_counts_whoever_calls(cast, categories):
    t = timezone.now() - dt.timedelta(hours=1)
    rows = [
        call(cast, f"P{i}", t + dt.timedelta(minutes=i), phone=f"1397123456{i}", address=addr)
        for i, addr in enumerate(["前进一路88号3栋2单元501室", "前进一路８８号3幢2单元501", "前进一路88号3-2-501"])
    ]
    result = take(cast, *rows, now=t + dt.timedelta(minutes=5))
    assert [i.repeat_address_count for i in result.created] == [1, 2, 3]
    assert [i.repeat_caller_count for i in result.created] == [1, 1, 1]
    assert RepeatGroup.objects.get(kind="place").incidents.count() == 3
    assert revisits().count() == 1


def test_one_repeat_group_never_holds_two_open_revisits(cast, categories):
    t = timezone.now() - dt.timedelta(hours=2)
    for i in range(5):
        take(cast, call(cast, f"R{i}", t + dt.timedelta(minutes=10 * i)), now=t + dt.timedelta(minutes=10 * i))
    (revisit,) = revisits()
    notes = InstructionEvent.objects.filter(instruction=revisit, kind="note")
    assert notes.count() == 2  # the 4th and 5th calls are noted on the open revisit
    # Once it is closed, the next call raises a new one.
    close_revisit(cast, revisit, at=t + dt.timedelta(minutes=50))
    take(cast, call(cast, "R9", t + dt.timedelta(minutes=60)), now=t + dt.timedelta(minutes=60))
    assert revisits().count() == 2


def test_imports_of_old_calls_link_but_raise_no_revisit(cast, categories):
    t = timezone.now()
    old = [call(cast, f"H{i}", t - dt.timedelta(days=20, hours=i)) for i in range(4)]
    result = take(cast, *old, now=t)
    assert result.created[-1].repeat_flagged is False or result.flagged == []
    assert result.flagged == []
    assert not revisits().exists()
    assert RepeatGroup.objects.get(kind="caller").incidents.count() == 4


def test_a_closed_revisit_reports_three_times_and_pushes_twice(cast, categories):
    t = timezone.now() - dt.timedelta(hours=1)
    take(cast, call(cast, "C1", t), call(cast, "C2", t + dt.timedelta(minutes=1), category="domestic_violence"), now=t)
    revisit = revisits().get()
    close_revisit(cast, revisit, at=t + dt.timedelta(minutes=30))
    reported = set(Notification.objects.filter(kind="report", instruction=revisit).values_list("recipient", flat=True))
    assert {cast.duty_leader.user.pk, cast.center.user.pk, cast.officer.user.pk} <= reported
    pushes = Push.objects.filter(instruction=revisit)
    assert sorted(pushes.values_list("level", flat=True)) == ["community", "subdistrict"]
    assert all(p.outcome == "完全化解" for p in pushes)
    assert all(p.subdistrict_id == cast.home_community.subdistrict_id for p in pushes)


def test_a_follow_up_revisit_is_issued_on_its_date_once(cast, categories):
    t = timezone.now() - dt.timedelta(hours=1)
    take(cast, call(cast, "F1", t), call(cast, "F2", t + dt.timedelta(minutes=1), category="domestic_violence"), now=t)
    revisit = revisits().get()
    on = timezone.localdate() + dt.timedelta(days=3)
    close_revisit(cast, revisit, {**GOOD_ANSWERS, "revisit_on": on.isoformat()}, at=t + dt.timedelta(minutes=30))
    assert FollowUp.objects.get().due_on == on
    day_before = dt.datetime.combine(on - dt.timedelta(days=1), dt.time(23, 0), tzinfo=SHANGHAI)
    assert issue_due_follow_ups(now=day_before) == []
    that_morning = dt.datetime.combine(on, dt.time(0, 5), tzinfo=SHANGHAI)
    (follow_up,) = issue_due_follow_ups(now=that_morning)
    assert follow_up.kind == "revisit"
    assert follow_up.dispatch.incident.number == "J420F2"
    assert issue_due_follow_ups(now=that_morning + dt.timedelta(hours=1)) == []
    assert revisits().count() == 2
    assert RepeatGroup.objects.filter(revisit=follow_up).exists()


def test_counts_do_not_depend_on_batching(cast, categories):
    t = timezone.now() - dt.timedelta(days=5)  # older than the live window: no revisits to clean up
    rows = [call(cast, f"B{i}", t + dt.timedelta(hours=i)) for i in range(4)]
    one_batch = take(cast, *rows, now=timezone.now())
    first = [i.repeat_caller_count for i in one_batch.created]
    Incident.objects.all().delete()
    RepeatGroup.objects.all().delete()
    for r in rows:
        take(cast, r, now=timezone.now())
    assert [i.repeat_caller_count for i in Incident.objects.order_by("received_at")] == first == [1, 2, 3, 4]
