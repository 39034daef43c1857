"""The fixed cast: a home station and a neighbour, their people, the center, and an outsider
who must see nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from stations.models import Community, Officer, Station
from stations.roles import Role

from .browser import browser  # noqa: F401  (one Chromium for the whole session)
from .factories import CATEGORIES_MADE, PASSWORD, CategoryFactory, CommunityFactory, StationFactory, make_officer


@dataclass
class Cast:
    home: Station
    neighbour: Station
    home_community: Community
    neighbour_community: Community
    center: Officer
    supervisor: Officer
    command_room: Officer
    duty_leader: Officer
    officer: Officer
    neighbour_command_room: Officer
    neighbour_officer: Officer
    outsider: Any  # a user with no role at all
    password: str = PASSWORD


@pytest.fixture(autouse=True)
def _categories_made_afresh() -> None:
    """Each test makes its own categories afresh over the shipped ones (see CategoryFactory)."""
    CATEGORIES_MADE.clear()


@pytest.fixture
def cast(db: Any) -> Cast:
    home = StationFactory(code="home", name="花楼街派出所")
    neighbour = StationFactory(code="neighbour", name="民意派出所")
    home_community = CommunityFactory(code="home-c", name="大兴社区", station=home)
    neighbour_community = CommunityFactory(code="neighbour-c", name="长青社区", station=neighbour)
    CategoryFactory()
    return Cast(
        home=home,
        neighbour=neighbour,
        home_community=home_community,
        neighbour_community=neighbour_community,
        center=make_officer(Role.CENTER_STAFF, username="center", name="王中心"),
        supervisor=make_officer(Role.SUPERVISOR, username="supervisor", name="督察"),
        command_room=make_officer(Role.COMMAND_ROOM, station=home, username="home_cmd", name="指挥室"),
        duty_leader=make_officer(Role.DUTY_LEADER, station=home, username="home_leader", name="值班领导"),
        officer=make_officer(
            Role.COMMUNITY_OFFICER, station=home, communities=[home_community], username="home_officer", name="李民警"
        ),
        neighbour_command_room=make_officer(Role.COMMAND_ROOM, station=neighbour, username="nb_cmd", name="邻指挥"),
        neighbour_officer=make_officer(
            Role.COMMUNITY_OFFICER,
            station=neighbour,
            communities=[neighbour_community],
            username="nb_officer",
            name="赵民警",
        ),
        outsider=get_user_model().objects.create_user("outsider", password=PASSWORD),
    )


@pytest.fixture
def api() -> Callable[[Any], APIClient]:
    """An API client signed in as a user (or an Officer's user); None for anonymous."""

    def make(who: Any = None) -> APIClient:
        client = APIClient()
        if who is not None:
            client.force_authenticate(getattr(who, "user", who))
        return client

    return make
