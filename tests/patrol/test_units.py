"""A patrol unit's status: the one transition table, who may set it (404 for everyone else), its event row,
the desk's page and the center's board (live, constant queries), the phone's one-tap buttons, and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patrol import services
from patrol.models import Shift, UnitState, UnitStatus, UnitStatusEvent
from patrol.transitions import TRANSITIONS, StatusNotAllowed, next_statuses
from stations.models import PatrolUnit
from tests.factories import PASSWORD, make_officer
from tests.patrol.conftest import make_unit

pytestmark = pytest.mark.django_db

S = UnitStatus
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
ILLEGAL = [(a, b) for a in S.values for b in S.values if (a, b) not in LEGAL]


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def put(unit, status, *, by, at=None):
    """Force the unit into `status` (through the service, along a legal path from off duty)."""
    path = {
        S.OFF_DUTY: [],
        S.ON_DUTY: [S.ON_DUTY],
        S.EN_ROUTE: [S.ON_DUTY, S.EN_ROUTE],
        S.ON_SCENE: [S.ON_DUTY, S.EN_ROUTE, S.ON_SCENE],
        S.BUSY: [S.ON_DUTY, S.BUSY],
    }[status]
    for step in path:
        services.unit_set_status(unit=unit, actor=by.user, status=step, now=at)


# --- the transition table ---------------------------------------------------------------------------------


def test_the_table_names_every_status_and_each_can_be_left():
    assert set(TRANSITIONS) == set(S.values)
    assert all(next_statuses(s) for s in S.values)
    assert next_statuses(S.OFF_DUTY) == (S.ON_DUTY,)
    assert S.EN_ROUTE in next_statuses(S.ON_DUTY)
    assert S.ON_SCENE in next_statuses(S.EN_ROUTE)


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_transition_is_taken(posts, source, target):
    put(posts.car1, source, by=posts.desk)
    state = services.unit_set_status(unit=posts.car1, actor=posts.desk.user, status=target)
    assert state.status == target
    assert UnitState.objects.get(unit=posts.car1).status == target


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(posts, source, target):
    put(posts.car1, source, by=posts.desk)
    before = UnitStatusEvent.objects.count()
    with pytest.raises(StatusNotAllowed) as refused:
        services.unit_set_status(unit=posts.car1, actor=posts.desk.user, status=target)
    assert str(S(source).label) in refused.value.message
    assert str(S(target).label) in refused.value.message
    assert UnitStatusEvent.objects.count() == before
    state = UnitState.objects.filter(unit=posts.car1).first()
    assert (state.status if state else S.OFF_DUTY) == source


def test_an_unknown_status_is_refused(posts):
    with pytest.raises(StatusNotAllowed):
        services.unit_set_status(unit=posts.car1, actor=posts.member.user, status="asleep")


# --- who may set it --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "member_aux", "desk", "chief"])
def test_a_member_the_desk_and_the_chief_set_the_status(posts, who):
    state = services.unit_set_status(unit=posts.car1, actor=getattr(posts, who).user, status=S.ON_DUTY)
    assert state.status == S.ON_DUTY


@pytest.mark.parametrize("who", ["other_member", "hkz_desk", "hkz_chief", "hkz_member"])
def test_a_member_of_another_unit_and_another_posts_people_find_no_such_unit(posts, who):
    with pytest.raises(PatrolUnit.DoesNotExist):
        services.unit_set_status(unit=posts.car1, actor=getattr(posts, who).user, status=S.ON_DUTY)
    assert not UnitStatusEvent.objects.exists()


def test_the_center_and_a_police_stations_people_find_no_such_unit(posts, cast):
    for who in (cast.center, cast.command_room, cast.duty_leader, cast.officer, cast.supervisor):
        with pytest.raises(PatrolUnit.DoesNotExist):
            services.unit_set_status(unit=posts.car1, actor=who.user, status=S.ON_DUTY)
    with pytest.raises(PatrolUnit.DoesNotExist):
        services.unit_set_status(unit=posts.car1, actor=cast.outsider, status=S.ON_DUTY)


def test_an_inactive_member_may_not(posts):
    posts.member.is_active = False
    posts.member.save(update_fields=["is_active"])
    posts.member.user.refresh_from_db()
    with pytest.raises(PatrolUnit.DoesNotExist):
        services.unit_set_status(unit=posts.car1, actor=posts.member.user, status=S.ON_DUTY)


# --- the event row ---------------------------------------------------------------------------------------


def test_each_change_writes_who_when_from_to_and_why(posts):
    at = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    services.unit_set_status(unit=posts.car1, actor=posts.desk.user, status=S.ON_DUTY, now=at)
    later = at + timedelta(minutes=2)
    state = services.unit_set_status(
        unit=posts.car1.pk, actor=posts.member.user, status=S.EN_ROUTE, note="  前往前进一路  ", now=later
    )
    assert (state.status, state.since, state.changed_by) == (S.EN_ROUTE, later, posts.member.user)
    first, second = UnitStatusEvent.objects.filter(unit=posts.car1).order_by("at")
    assert (first.actor, first.at, first.from_status, first.to_status) == (posts.desk.user, at, S.OFF_DUTY, S.ON_DUTY)
    assert (second.actor, second.at, second.from_status, second.to_status, second.note) == (
        posts.member.user,
        later,
        S.ON_DUTY,
        S.EN_ROUTE,
        "前往前进一路",
    )


# --- the desk's page and the center's board ---------------------------------------------------------------


def test_the_desk_page_shows_units_members_by_name_status_since_and_shift(posts):
    at = timezone.now().replace(microsecond=0)
    Shift.objects.create(unit=posts.car1, starts_at=at - timedelta(hours=1), ends_at=at + timedelta(hours=7))
    put(posts.car1, S.EN_ROUTE, by=posts.member)
    html = signed_in(posts.desk).get("/posts/wuzhan/units/").content.decode()
    assert "武展巡逻1组" in html
    assert "鄂A·1111警" in html
    assert "周巡警" in html
    assert "吴辅警" in html
    assert "前往途中" in html
    assert 'data-unit="wuzhan-1" data-status="en_route"' in html
    assert 'data-unit="wuzhan-2" data-status="off_duty"' in html
    assert "汉口火车站巡逻1组" not in html
    assert 'data-testid="set-on_scene"' in html  # the desk may move it on


def test_the_desk_page_refreshes_its_rows_alone(posts):
    response = signed_in(posts.chief).get("/posts/wuzhan/units/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="unit-row"' in html


def test_the_units_page_is_for_the_posts_desk_chief_and_the_center(posts, cast):
    assert signed_in(posts.desk).get("/posts/wuzhan/units/").status_code == 200
    assert signed_in(posts.chief).get("/posts/wuzhan/units/").status_code == 200
    assert signed_in(cast.center).get("/posts/wuzhan/units/").status_code == 200
    for who in (posts.hkz_desk, posts.hkz_chief, posts.member, cast.command_room):
        assert signed_in(who).get("/posts/wuzhan/units/").status_code == 404, who
    assert signed_in(cast.center).get("/posts/home/units/").status_code == 404  # not a post
    assert Client().get("/posts/wuzhan/units/").status_code == 302


def _more_units(posts, n_from, n_to):
    for n in range(n_from, n_to):
        unit = make_unit(posts.wuzhan, f"extra-{n}", f"武展巡逻{n + 3}组")
        make_officer("patrol_officer", station=posts.wuzhan, name="巡警", patrol_unit=unit)
        Shift.objects.create(unit=unit, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=8))
        put(unit, S.ON_DUTY, by=posts.desk)


@pytest.mark.parametrize("path", ["/posts/wuzhan/units/", "/posts/units/"])
def test_the_desk_page_and_the_board_cost_the_same_queries_for_2_and_20_units(
    posts, cast, path, django_assert_num_queries
):
    posts.hkz_car.delete()
    client = signed_in(posts.desk if "wuzhan" in path else cast.center)
    client.get(path)  # sessions and caches warm
    with CaptureQueriesContext(connection) as two:
        assert client.get(path).content.decode().count('data-testid="unit-row"') == 2
    _more_units(posts, 0, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert client.get(path).content.decode().count('data-testid="unit-row"') == 20


def test_the_board_shows_every_posts_units_for_the_center_only(posts, cast):
    put(posts.hkz_car, S.BUSY, by=posts.hkz_desk)
    html = signed_in(cast.center).get("/posts/units/").content.decode()
    assert "武展警务站" in html
    assert "汉口火车站警务站" in html
    assert 'data-unit="hkz-1" data-status="busy"' in html
    assert 'data-testid="set-' not in html  # the center watches, it does not set
    for who in (posts.desk, posts.chief, posts.member, cast.command_room):
        assert signed_in(who).get("/posts/units/").status_code == 404


def test_the_nav_links_the_desk_and_the_chief_to_their_units_and_the_center_to_the_board(posts, cast):
    for who in (posts.desk, posts.chief):
        assert 'href="/posts/wuzhan/units/"' in signed_in(who).get("/stations/wuzhan/").content.decode()
    assert 'href="/posts/units/"' in signed_in(cast.center).get("/center/").content.decode()


# --- the phone ------------------------------------------------------------------------------------------


def test_the_patrol_officers_inbox_shows_his_unit_and_the_legal_next_statuses(posts):
    put(posts.car1, S.ON_DUTY, by=posts.desk)
    html = signed_in(posts.member).get("/m/").content.decode()
    assert 'data-testid="phone-unit" data-unit="wuzhan-1" data-status="on_duty"' in html
    assert "武展巡逻1组" in html
    for status in next_statuses(S.ON_DUTY):
        assert f'data-testid="unit-set-{status}"' in html
    assert 'data-testid="unit-set-on_scene"' not in html


def test_one_tap_sets_the_status_without_script_and_comes_back_to_the_inbox(posts):
    put(posts.car1, S.ON_DUTY, by=posts.desk)
    client = signed_in(posts.member)
    response = client.post("/units/wuzhan-1/status/", {"status": "en_route", "next": "/m/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/m/"
    assert UnitState.objects.get(unit=posts.car1).status == S.EN_ROUTE
    html = client.get("/m/").content.decode()
    assert 'data-status="en_route"' in html
    assert 'data-testid="unit-set-on_scene"' in html


def test_a_refused_tap_says_why_and_changes_nothing(posts):
    client = signed_in(posts.member)
    response = client.post("/units/wuzhan-1/status/", {"status": "on_scene"}, follow=True)
    assert "不能改为" in response.content.decode()
    assert not UnitState.objects.exists()


def test_a_tap_on_another_unit_is_404(posts, cast):
    assert signed_in(posts.other_member).post("/units/wuzhan-1/status/", {"status": "on_duty"}).status_code == 404
    assert signed_in(posts.hkz_desk).post("/units/wuzhan-1/status/", {"status": "on_duty"}).status_code == 404
    assert signed_in(cast.center).post("/units/wuzhan-1/status/", {"status": "on_duty"}).status_code == 404
    assert not UnitStatusEvent.objects.exists()


def test_a_community_officers_inbox_has_no_unit(cast):
    assert 'data-testid="phone-unit"' not in signed_in(cast.officer).get("/m/").content.decode()
