"""Two patrol posts, each with two units (members: police officers and an auxiliary), a duty desk and a chief."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from stations.models import Officer, PatrolUnit, Station
from stations.roles import Role
from tests.factories import StationFactory, make_officer


@dataclass
class Posts:
    wuzhan: Station
    hkz: Station
    car1: PatrolUnit  # 武展's units
    car2: PatrolUnit
    hkz_car: PatrolUnit
    member: Officer  # of car1
    member_aux: Officer  # of car1, an auxiliary
    other_member: Officer  # of car2
    desk: Officer
    chief: Officer
    hkz_desk: Officer
    hkz_chief: Officer
    hkz_member: Officer


def make_unit(post: Station, code: str, name: str, plate: str = "鄂A·1234警") -> PatrolUnit:
    return PatrolUnit.objects.create(station=post, code=code, name=name, plate_number=plate)


@pytest.fixture
def posts(db: Any) -> Posts:
    wuzhan = StationFactory(code="wuzhan", name="武展警务站", kind=Station.Kind.PATROL_POST)
    hkz = StationFactory(code="hankou-railway", name="汉口火车站警务站", kind=Station.Kind.PATROL_POST)
    car1 = make_unit(wuzhan, "wuzhan-1", "武展巡逻1组", "鄂A·1111警")
    car2 = make_unit(wuzhan, "wuzhan-2", "武展巡逻2组", "鄂A·2222警")
    hkz_car = make_unit(hkz, "hkz-1", "汉口火车站巡逻1组")

    def patrol(username: str, name: str, unit: PatrolUnit, **extra: Any) -> Officer:
        return make_officer(
            Role.PATROL_OFFICER, station=unit.station, username=username, name=name, patrol_unit=unit, **extra
        )

    return Posts(
        wuzhan=wuzhan,
        hkz=hkz,
        car1=car1,
        car2=car2,
        hkz_car=hkz_car,
        member=patrol("wuzhan_patrol", "周巡警", car1),
        member_aux=patrol("wuzhan_aux", "吴辅警", car1, is_auxiliary=True),
        other_member=patrol("wuzhan_patrol2", "郑巡警", car2),
        desk=make_officer(Role.DUTY_DESK, station=wuzhan, username="wuzhan_desk", name="武展值班台"),
        chief=make_officer(Role.POST_CHIEF, station=wuzhan, username="wuzhan_chief", name="钱站长"),
        hkz_desk=make_officer(Role.DUTY_DESK, station=hkz, username="hkz_desk", name="火车站值班台"),
        hkz_chief=make_officer(Role.POST_CHIEF, station=hkz, username="hkz_chief", name="孙站长"),
        hkz_member=patrol("hkz_patrol", "冯巡警", hkz_car),
    )
