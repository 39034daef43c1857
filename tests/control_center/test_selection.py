"""The daily selection of key disputes: scoring with reasons, bounds, review, dispatch, the clocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from control_center import services
from control_center.models import Selection, SelectionEvent, SelectionPolicy
from tasks.models import Instruction
from tests.factories import CategoryFactory, IncidentFactory

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 20)
MORNING_AFTER = dt.datetime(2026, 11, 21, 8, 0, tzinfo=SH)


def at(hour, minute=0, day=DAY):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


@pytest.fixture
def day_of_incidents(cast):
    """40 non-criminal disputes, 10 other non-criminal incidents, 10 criminal ones."""
    family = CategoryFactory(code="family", risk_weight=Decimal("1.5"))
    labour = CategoryFactory(code="labour", name="劳资纠纷", feedback_hours=9, risk_weight=Decimal("1.0"))
    help_ = CategoryFactory(code="help", name="求助", is_dispute=False, feedback_hours=None)
    theft = CategoryFactory(code="theft", name="盗窃", is_dispute=False, is_criminal=True, feedback_hours=None)
    made = {"repeat": [], "risk": [], "plain": [], "other": [], "criminal": []}
    for i in range(40):
        kwargs = {"received_at": at(8 + i // 4, i % 4 * 10), "category": family if i % 2 else labour}
        if i < 4:
            kind, kwargs["repeat_caller_count"] = "repeat", 3
        elif i < 7:
            kind, kwargs["summary"] = "risk", "对方扬言要把孩子扔下楼"
        else:
            kind = "plain"
        made[kind].append(IncidentFactory(community=cast.home_community, resolved_at_scene=True, **kwargs))
    for i in range(10):
        made["other"].append(IncidentFactory(community=cast.home_community, category=help_, received_at=at(9, i)))
        made["criminal"].append(
            IncidentFactory(
                community=cast.home_community, category=theft, received_at=at(10, i), summary="持刀抢劫 扔下楼"
            )
        )
    IncidentFactory(community=cast.home_community, category=family, received_at=at(23, 59, DAY - dt.timedelta(days=1)))
    return made


def picked(selection):
    return [i.incident for i in selection.items.filter(included=True).order_by("rank")]


def test_a_day_selects_ten_to_fifteen_disputes_risks_first_with_reasons(cast, day_of_incidents):
    selection = services.selection_run(day=DAY, now=MORNING_AFTER)
    chosen = picked(selection)
    assert 10 <= len(chosen) <= 15
    assert selection.candidates == 40
    assert all(i.category.is_dispute and not i.category.is_criminal for i in chosen)
    top = {i.pk for i in chosen[:7]}
    assert top == {i.pk for i in day_of_incidents["repeat"] + day_of_incidents["risk"]}
    items = list(selection.items.order_by("rank"))
    reasons = {item.incident_id: " ".join(item.reasons) for item in items}
    assert all("扔下楼" in reasons[i.pk] for i in day_of_incidents["risk"])
    assert all("3" in reasons[i.pk] for i in day_of_incidents["repeat"])
    assert all(item.reasons for item in items)
    assert [item.score for item in items] == sorted((item.score for item in items), reverse=True)


def test_fewer_qualifying_incidents_are_all_proposed(cast):
    for i in range(4):
        IncidentFactory(community=cast.home_community, received_at=at(9, i))
    assert len(picked(services.selection_run(day=DAY, now=MORNING_AFTER))) == 4


def test_the_bounds_are_configurable(cast, day_of_incidents):
    policy = SelectionPolicy.current()
    policy.min_items, policy.max_items = 3, 5
    policy.save()
    assert 3 <= len(picked(services.selection_run(day=DAY, now=MORNING_AFTER))) <= 5


def test_running_again_returns_the_same_selection(cast, day_of_incidents):
    first = services.selection_run(day=DAY, now=MORNING_AFTER)
    IncidentFactory(community=cast.home_community, received_at=at(20), summary="扔下楼 刀", repeat_caller_count=5)
    again = services.selection_run(day=DAY, now=MORNING_AFTER + dt.timedelta(minutes=5))
    assert again.pk == first.pk
    assert picked(again) == picked(first)
    assert Selection.objects.count() == 1


def test_adding_and_removing_are_recorded_with_who_and_why(cast, day_of_incidents):
    selection = services.selection_run(day=DAY, now=MORNING_AFTER)
    extra = day_of_incidents["other"][0]
    dropped = picked(selection)[0]
    services.selection_add(selection=selection, incident=extra, actor=cast.center.user, reason="领导交办")
    services.selection_remove(selection=selection, incident=dropped, actor=cast.center.user, reason="已化解")
    assert extra in picked(selection)
    assert dropped not in picked(selection)
    changes = list(selection.events.exclude(kind="proposed").values_list("kind", "actor__username", "note"))
    assert changes == [("added", "center", "领导交办"), ("removed", "center", "已化解")]
    with pytest.raises(ValidationError):
        services.selection_remove(selection=selection, incident=extra, actor=cast.center.user, reason="")


def test_dispatch_issues_one_instruction_per_item_and_never_twice(cast, day_of_incidents):
    selection = services.selection_run(day=DAY, now=MORNING_AFTER)
    chosen = picked(selection)
    services.selection_dispatch(selection=selection, actor=cast.center.user, now=MORNING_AFTER)
    services.selection_dispatch(selection=selection, actor=cast.center.user, now=MORNING_AFTER)
    instructions = Instruction.objects.filter(kind="dispute")
    assert instructions.count() == len(chosen)
    assert set(instructions.values_list("dispatch__incident", flat=True)) == {i.pk for i in chosen}
    assert all(i.station == cast.home and "2026-11-20" in i.note for i in instructions)
    selection.refresh_from_db()
    assert (selection.status, selection.auto_dispatched) == ("dispatched", False)


def test_an_incident_dispatched_ad_hoc_is_not_dispatched_again(cast, day_of_incidents):
    from disputes.services import dispatch_incident_now

    risky = day_of_incidents["risk"][0]
    first, created = dispatch_incident_now(incident=risky, actor=cast.center.user)
    assert created
    assert dispatch_incident_now(incident=risky, actor=cast.center.user) == (first, False)
    selection = services.selection_run(day=DAY, now=MORNING_AFTER)
    services.selection_dispatch(selection=selection, actor=cast.center.user, now=MORNING_AFTER)
    assert Instruction.objects.filter(dispatch__incident=risky).count() == 1
    assert selection.items.get(incident=risky).instruction == first


def test_nobody_dispatches_by_the_deadline_so_the_proposal_goes_out_as_it_stands(cast, day_of_incidents):
    result = services.selection_clock(now=MORNING_AFTER)  # 08:00: the scheduled run
    assert result["made"] == DAY
    selection = Selection.objects.get(date=DAY)
    assert selection.dispatch_due == dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH)
    assert services.selection_clock(now=at(8, 59, DAY + dt.timedelta(days=1)))["auto_dispatched"] == []
    assert services.selection_clock(now=at(9, 0, DAY + dt.timedelta(days=1)))["auto_dispatched"] == [DAY]
    assert services.selection_clock(now=at(9, 1, DAY + dt.timedelta(days=1)))["auto_dispatched"] == []
    selection.refresh_from_db()
    assert (selection.status, selection.auto_dispatched, selection.dispatched_by) == ("dispatched", True, None)
    assert Instruction.objects.filter(kind="dispute").count() == len(picked(selection))
    assert SelectionEvent.objects.filter(selection=selection, kind="dispatched", actor=None).count() == 1


def test_a_missed_morning_run_is_caught_up(cast, day_of_incidents):
    assert services.selection_clock(now=at(7, 59, DAY + dt.timedelta(days=1)))["made"] is None
    assert services.selection_clock(now=at(14, 0, DAY + dt.timedelta(days=1)))["made"] == DAY


def test_the_beat_schedule_holds_the_selection_and_the_dispatch_deadline():
    schedule = settings.CELERY_BEAT_SCHEDULE
    daily = schedule["daily-selection"]
    assert daily["task"] == "control_center.jobs.daily_selection"
    assert (daily["schedule"].hour, daily["schedule"].minute) == ({8}, {0})
    assert schedule["selection-clock"]["task"] == "control_center.jobs.selection_clock"
    assert schedule["selection-clock"]["schedule"] == 60.0
    assert settings.SELECTION_DISPATCH_BY == "09:00"


def test_only_center_staff_select_and_dispatch(cast, day_of_incidents):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.selection_run(day=DAY, actor=cast.command_room.user)


def test_the_selection_api(cast, api, day_of_incidents):
    center = api(cast.center)
    made = center.post("/api/v1/selections/", {"date": "2026-11-20"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert body["date"] == "2026-11-20"
    assert body["status"] == "proposed"
    assert all({"incident", "score", "reasons"} <= set(i) for i in body["items"])
    assert center.post("/api/v1/selections/", {"date": "2026-11-20"}, format="json").status_code == 200
    assert center.get("/api/v1/selections/2026-11-20/").json()["items"] == body["items"]
    first = body["items"][0]["incident"]
    removed = center.post("/api/v1/selections/2026-11-20/remove/", {"incident": first, "reason": "重复"}, format="json")
    assert first not in [i["incident"] for i in removed.json()["items"]]
    assert center.post("/api/v1/selections/2026-11-20/remove/", {"incident": first}, format="json").status_code == 400
    dispatched = center.post("/api/v1/selections/2026-11-20/dispatch/").json()
    assert dispatched["status"] == "dispatched"
    assert all(i["instruction"] for i in dispatched["items"])
    assert api(cast.command_room).get("/api/v1/selections/2026-11-20/").status_code == 404
    assert api(cast.command_room).post("/api/v1/selections/", {"date": "2026-11-20"}, format="json").status_code == 403
    assert center.post("/api/v1/selections/", {"date": "yesterday"}, format="json").status_code == 400
