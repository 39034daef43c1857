"""The demo's six posts at work: a chief and a desk each, units with members (an auxiliary among them),
statuses and today's shifts, and a patrol area with communities, road sections and places."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from demo.district import DEFAULT_PASSWORD, PATROL_POSTS
from patrol.models import AreaPlace, PatrolArea, Shift, UnitState, UnitStatusEvent
from stations.models import Officer, PatrolUnit
from stations.roles import Role

NOW = dt.datetime(2026, 3, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_each_demo_post_has_its_people_units_statuses_and_area():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", password=DEFAULT_PASSWORD, stdout=io.StringIO())
        counts = (UnitStatusEvent.objects.count(), Shift.objects.count(), AreaPlace.objects.count())
        call_command("seed_demo", password=DEFAULT_PASSWORD, stdout=io.StringIO())
        assert (UnitStatusEvent.objects.count(), Shift.objects.count(), AreaPlace.objects.count()) == counts
    for spec in PATROL_POSTS:
        people = Officer.objects.filter(station__code=spec.code)
        assert people.filter(role=Role.POST_CHIEF).count() == 1, spec.code
        assert people.filter(role=Role.DUTY_DESK).count() == 1, spec.code
        assert people.filter(role=Role.PATROL_OFFICER, is_auxiliary=True).exists(), spec.code
        area = PatrolArea.objects.get(post__code=spec.code)
        assert area.communities.exists(), spec.code
        roads = set(area.places.filter(kind=AreaPlace.Kind.ROAD_SECTION).values_list("name", flat=True))
        assert roads == set(spec.roads)
        assert area.places.filter(kind=AreaPlace.Kind.PLACE).exists()
        assert Shift.objects.filter(unit__station__code=spec.code).count() == 2
    assert Officer.objects.filter(user__username__in=["wuzhan_chief", "wuzhan_desk"]).count() == 2
    assert UnitState.objects.count() >= 10
    assert UnitState.objects.get(unit__code="wuzhan-1").status == "on_duty"  # wuzhan_patrol can set off at once
    assert PatrolUnit.objects.filter(state__isnull=True).count() <= 2
