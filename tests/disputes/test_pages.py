"""The incident page, the area workers' pushes and the center's unacknowledged pushes: scope, order,
masking, acknowledging, constant query counts, and a subdistrict login that sees nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from disputes.models import Incident, Push
from disputes.services import incidents_intake
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
from tests.factories import GOOD_ANSWERS, PASSWORD, CategoryFactory, SubdistrictFactory, issue, make_officer

pytestmark = pytest.mark.django_db

PHONE = "13971234567"
ID_NUMBER = "11010519491231002X"


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def ids_of(html: str, testid: str, attr: str) -> list[int]:
    return [int(v) for v in re.findall(rf'data-testid="{testid}"[^>]*?data-{attr}="(\d+)"', html)]


@pytest.fixture
def categories(cast):
    CategoryFactory(code="domestic_violence", name="家庭暴力", feedback_hours=3, is_severe=True)


@pytest.fixture
def subdistrict_worker(cast):
    return make_officer(
        Role.SUBDISTRICT_WORKER, username="street", name="街道办", subdistrict=cast.home_community.subdistrict
    )


@pytest.fixture
def community_worker(cast):
    return make_officer(Role.COMMUNITY_WORKER, username="committee", name="居委会", communities=[cast.home_community])


def call(cast, number, at, category="family", **more):
    return {
        "number": f"J420{number}",
        "received_at": at.isoformat(),
        "category": category,
        "caller_name": "陈女士",
        "caller_phone": PHONE,
        "address": "前进一路88号3栋2单元501室",
        "community": cast.home_community.code,
        "summary": "家庭纠纷",
        **more,
    }


def take(cast, *rows, now) -> list[Incident]:
    with time_machine.travel(now, tick=False):
        result = incidents_intake(list(rows), actor=cast.center.user, now=now)
    assert not result.errors, result.errors
    return result.created


def close(cast, revisit, *, at) -> Instruction:
    instruction_sign_off(instruction=revisit, actor=cast.command_room.user, officer=cast.officer, now=at)
    instruction_submit_feedback(instruction=revisit, actor=cast.officer.user, answers=GOOD_ANSWERS, now=at)
    return instruction_accept(instruction=revisit, actor=cast.center.user, now=at)


@pytest.fixture
def revisited(cast, categories):
    """Two calls, the second domestic violence: a revisit, a dispute instruction in between, the revisit closed."""
    t = timezone.now() - dt.timedelta(hours=2)
    first, second = take(
        cast,
        call(cast, "J1", t - dt.timedelta(days=10), caller_id_number=ID_NUMBER),
        call(cast, "J2", t, category="domestic_violence", summary="丈夫扬言<b>动手</b>"),
        now=t,
    )
    revisit = Instruction.objects.get(kind="revisit")
    dispute = issue(second, by=cast.center, now=t + dt.timedelta(minutes=10))
    close(cast, revisit, at=t + dt.timedelta(minutes=30))
    return first, second, revisit, dispute


# --- the incident page ---------------------------------------------------------------------------


def test_the_incident_page_shows_the_incident_with_the_callers_data_masked(cast, revisited):
    first, _second, _revisit, _dispute = revisited
    html = signed_in(cast.center).get(f"/incidents/{first.pk}/").text
    assert PHONE not in html
    assert ID_NUMBER not in html
    assert re.search(r'data-testid="caller-phone"[^>]*>139\*+4567<', html)
    assert re.search(r'data-testid="caller-id"[^>]*>110105\*+002X<', html)
    assert f'href="/stations/{cast.home.code}/"' in html
    assert cast.home_community.name in html
    assert 'data-testid="reveal"' in html  # the center may reveal, through the audited API
    assert f"/api/v1/incidents/{first.pk}/reveal/" in html


def test_the_incident_page_escapes_the_summary_and_shows_the_repeat_flags(cast, revisited):
    _first, second, _revisit, _dispute = revisited
    html = signed_in(cast.center).get(f"/incidents/{second.pk}/").text
    assert "<b>动手</b>" not in html
    assert "&lt;b&gt;动手&lt;/b&gt;" in html
    assert re.search(r'data-testid="caller-count">2<', html)
    assert re.search(r'data-testid="address-count">2<', html)
    assert 'data-flagged="true"' in html


def test_the_incident_page_lists_its_repeat_groups_with_their_members_and_revisit(cast, revisited):
    first, second, revisit, _dispute = revisited
    html = signed_in(cast.center).get(f"/incidents/{first.pk}/").text
    groups = re.findall(r'data-testid="group" data-kind="(\w+)"', html)
    assert sorted(groups) == ["caller", "place"]
    assert ids_of(html, "member", "incident") == [first.pk, second.pk] * 2  # oldest first, in each group
    assert html.count(f'href="/incidents/{second.pk}/"') == 2
    assert html.count(f'href="/instructions/{revisit.pk}/"') >= 2  # the groups' current revisit
    assert 'data-status="closed"' in html


def test_the_timeline_merges_every_instructions_events_in_time_order(cast, revisited):
    _first, second, revisit, dispute = revisited
    html = signed_in(cast.center).get(f"/incidents/{second.pk}/").text
    assert ids_of(html, "instruction", "instruction") == [revisit.pk, dispute.pk]
    rows = re.findall(r'data-testid="event" data-kind="(\w+)" data-instruction="(\d+)"', html)
    assert [(kind, int(pk)) for kind, pk in rows] == [
        ("issued", revisit.pk),
        ("issued", dispute.pk),
        ("signed_off", revisit.pk),
        ("feedback", revisit.pk),
        ("accepted", revisit.pk),
    ]


def test_the_reveal_button_is_only_for_those_who_may_reveal(cast, revisited):
    first, *_ = revisited
    assert 'data-testid="reveal"' not in signed_in(cast.supervisor).get(f"/incidents/{first.pk}/").text
    assert 'data-testid="reveal"' in signed_in(cast.command_room).get(f"/incidents/{first.pk}/").text


@pytest.mark.parametrize("who", ["neighbour_command_room", "neighbour_officer", "outsider"])
def test_the_incident_page_is_404_outside_scope(cast, revisited, who):
    first, *_ = revisited
    person = getattr(cast, who)
    client = Client()
    client.force_login(getattr(person, "user", person))
    assert client.get(f"/incidents/{first.pk}/").status_code == 404


def test_the_incident_page_needs_a_login(cast, revisited):
    first, *_ = revisited
    response = Client().get(f"/incidents/{first.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_group_members_outside_the_viewers_scope_are_not_shown(cast, categories):
    t = timezone.now() - dt.timedelta(days=5)
    mine, theirs = take(
        cast,
        call(cast, "M1", t),
        call(cast, "M2", t + dt.timedelta(hours=1), community=cast.neighbour_community.code, address="长青路1号"),
        now=timezone.now(),
    )
    html = signed_in(cast.command_room).get(f"/incidents/{mine.pk}/").text
    assert ids_of(html, "member", "incident") == [mine.pk]
    assert theirs.number not in html
    assert 'data-testid="hidden-members"' in html


def test_the_incident_page_query_count_does_not_grow_with_history(cast, categories, django_assert_max_num_queries):
    start = timezone.now() - dt.timedelta(days=60)
    incident, _other = take(
        cast, call(cast, "Q00", start), call(cast, "Q01", start + dt.timedelta(days=1)), now=timezone.now()
    )
    issue(incident, by=cast.center)
    client = signed_in(cast.center)
    path = f"/incidents/{incident.pk}/"
    client.get(path)
    with django_assert_max_num_queries(20) as few:
        assert len(ids_of(client.get(path).text, "member", "incident")) == 4
    rows = [call(cast, f"Q{n:02d}", start + dt.timedelta(days=n)) for n in range(2, 20)]
    take(cast, *rows, now=timezone.now())
    for _ in range(3):
        issue(incident, by=cast.center)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(path).text
    assert len(ids_of(html, "member", "incident")) == 40
    assert len(ids_of(html, "instruction", "instruction")) == 4


# --- the area workers' pushes --------------------------------------------------------------------


def push_of(revisit, level) -> Push:
    return Push.objects.get(instruction=revisit, level=level)


def test_a_subdistrict_worker_sees_the_subdistrict_push_and_not_the_community_one(
    cast, revisited, subdistrict_worker, community_worker
):
    *_, revisit, _dispute = revisited
    street = push_of(revisit, "subdistrict")
    committee = push_of(revisit, "community")
    html = signed_in(subdistrict_worker).get("/area/pushes/").text
    assert ids_of(html, "push", "push") == [street.pk]
    assert 'data-testid="acknowledge-form"' in html
    assert revisit.dispatch.incident.number in html
    assert "完全化解" in html  # the outcome
    html = signed_in(community_worker).get("/area/pushes/").text
    assert ids_of(html, "push", "push") == [committee.pk]


def test_a_worker_lands_on_the_pushes_page(cast, subdistrict_worker):
    response = signed_in(subdistrict_worker).get("/")
    assert response.status_code == 302
    assert response.url == "/area/pushes/"


def test_unacknowledged_pushes_come_first(cast, revisited, subdistrict_worker):
    *_, revisit, _dispute = revisited
    t = timezone.now() - dt.timedelta(hours=1)
    take(cast, call(cast, "K1", t, caller_phone="13900001111", address="友谊路9号"), now=t)
    take(
        cast,
        call(
            cast,
            "K2",
            t + dt.timedelta(minutes=1),
            category="domestic_violence",
            caller_phone="13900001111",
            address="友谊路9号",
        ),
        now=t + dt.timedelta(minutes=1),
    )
    later = Instruction.objects.filter(kind="revisit").exclude(pk=revisit.pk).get()
    close(cast, later, at=t + dt.timedelta(minutes=30))
    older, newer = push_of(revisit, "subdistrict"), push_of(later, "subdistrict")
    client = signed_in(subdistrict_worker)
    assert ids_of(client.get("/area/pushes/").text, "push", "push") == [newer.pk, older.pk]
    client.post(f"/area/pushes/{newer.pk}/acknowledge/")
    html = client.get("/area/pushes/").text
    assert ids_of(html, "push", "push") == [older.pk, newer.pk]
    assert re.search(rf'data-push="{newer.pk}"[^>]*data-state="acknowledged"', html)
    assert re.search(r'data-testid="pending-count">1<', html)


def test_the_area_worker_acknowledges_his_push_and_a_second_time_is_harmless(cast, revisited, subdistrict_worker):
    *_, revisit, _dispute = revisited
    push = push_of(revisit, "subdistrict")
    client = signed_in(subdistrict_worker)
    response = client.post(f"/area/pushes/{push.pk}/acknowledge/")
    assert response.status_code == 302
    assert response.url == "/area/pushes/"
    push.refresh_from_db()
    assert push.acknowledged_by == subdistrict_worker.user
    first_at = push.acknowledged_at
    assert first_at is not None
    again = client.post(f"/area/pushes/{push.pk}/acknowledge/")
    assert again.status_code == 302
    push.refresh_from_db()
    assert (push.acknowledged_at, push.acknowledged_by) == (first_at, subdistrict_worker.user)
    assert client.get(f"/area/pushes/{push.pk}/acknowledge/").status_code == 405


def test_the_community_worker_acknowledges_the_community_push(cast, revisited, community_worker):
    *_, revisit, _dispute = revisited
    push = push_of(revisit, "community")
    assert signed_in(community_worker).post(f"/area/pushes/{push.pk}/acknowledge/").status_code == 302
    push.refresh_from_db()
    assert push.acknowledged_by == community_worker.user


def test_nobody_else_acknowledges_a_push(cast, revisited, subdistrict_worker, community_worker):
    *_, revisit, _dispute = revisited
    street = push_of(revisit, "subdistrict")
    committee = push_of(revisit, "community")
    other_street = make_officer(Role.SUBDISTRICT_WORKER, username="other_street", subdistrict=SubdistrictFactory())
    assert signed_in(other_street).post(f"/area/pushes/{street.pk}/acknowledge/").status_code == 404
    assert signed_in(subdistrict_worker).post(f"/area/pushes/{committee.pk}/acknowledge/").status_code == 404
    assert signed_in(community_worker).post(f"/area/pushes/{street.pk}/acknowledge/").status_code == 404
    for who in (cast.center, cast.command_room, cast.officer):
        assert signed_in(who).post(f"/area/pushes/{street.pk}/acknowledge/").status_code == 404
    assert not Push.objects.filter(acknowledged_at__isnull=False).exists()


def test_a_worker_of_another_subdistrict_sees_none_of_these_pushes(cast, revisited):
    other_street = make_officer(Role.SUBDISTRICT_WORKER, username="other_street", subdistrict=SubdistrictFactory())
    html = signed_in(other_street).get("/area/pushes/").text
    assert ids_of(html, "push", "push") == []
    assert 'data-testid="no-pushes"' in html


def test_the_center_reads_the_area_pushes_without_acknowledging(cast, revisited):
    assert revisited
    html = signed_in(cast.center).get("/area/pushes/").text
    assert sorted(ids_of(html, "push", "push")) == sorted(Push.objects.values_list("pk", flat=True))
    assert 'data-testid="acknowledge-form"' not in html


@pytest.mark.parametrize("who", ["command_room", "duty_leader", "officer", "outsider"])
def test_the_pushes_page_is_404_without_an_area(cast, who):
    person = getattr(cast, who)
    client = Client()
    client.force_login(getattr(person, "user", person))
    assert client.get("/area/pushes/").status_code == 404


def test_the_pushes_page_query_count_does_not_grow(cast, categories, subdistrict_worker, django_assert_max_num_queries):
    client = signed_in(cast.center)
    t = timezone.now() - dt.timedelta(hours=3)

    def pushed(n):
        phone = f"1390000{n:04d}"
        address = f"友谊路{n}号"
        take(cast, call(cast, f"A{n}", t, caller_phone=phone, address=address), now=t)
        (incident,) = take(
            cast,
            call(cast, f"B{n}", t, category="domestic_violence", caller_phone=phone, address=address),
            now=t,
        )
        close(
            cast, Instruction.objects.get(kind="revisit", dispatch__incident=incident), at=t + dt.timedelta(minutes=30)
        )

    def acknowledged():
        Push.objects.filter(level="subdistrict").update(acknowledged_at=timezone.now(), acknowledged_by=street.user)

    street = subdistrict_worker
    pushed(0)
    acknowledged()
    client.get("/area/pushes/")
    with django_assert_max_num_queries(15) as area:
        assert len(ids_of(client.get("/area/pushes/").text, "push", "push")) == 2
    with django_assert_max_num_queries(15) as center:
        assert len(ids_of(client.get("/center/pushes/").text, "pending-push", "push")) == 1
    for n in range(1, 6):
        pushed(n)
    acknowledged()
    with django_assert_max_num_queries(len(area.captured_queries)):
        assert len(ids_of(client.get("/area/pushes/").text, "push", "push")) == 12
    with django_assert_max_num_queries(len(center.captured_queries)):
        html = client.get("/center/pushes/").text
    assert len(ids_of(html, "pending-push", "push")) == 6
    assert len(ids_of(html, "done-push", "push")) == 6


# --- the center's unacknowledged pushes ----------------------------------------------------------


def test_the_center_sees_unacknowledged_pushes_oldest_first_and_this_weeks_acknowledged_below(
    cast, revisited, subdistrict_worker
):
    *_, revisit, _dispute = revisited
    street, committee = push_of(revisit, "subdistrict"), push_of(revisit, "community")
    Push.objects.filter(pk=committee.pk).update(created_at=street.created_at - dt.timedelta(hours=5))
    client = signed_in(cast.center)
    html = client.get("/center/pushes/").text
    assert ids_of(html, "pending-push", "push") == [committee.pk, street.pk]
    assert ids_of(html, "done-push", "push") == []
    signed_in(subdistrict_worker).post(f"/area/pushes/{street.pk}/acknowledge/")
    html = client.get("/center/pushes/").text
    assert ids_of(html, "pending-push", "push") == [committee.pk]
    assert ids_of(html, "done-push", "push") == [street.pk]
    Push.objects.filter(pk=street.pk).update(acknowledged_at=timezone.now() - dt.timedelta(days=8))
    assert ids_of(client.get("/center/pushes/").text, "done-push", "push") == []


def test_the_center_filters_pushes_by_subdistrict(cast, revisited):
    code = cast.home_community.subdistrict.code
    client = signed_in(cast.center)
    html = client.get("/center/pushes/").text
    assert re.findall(r'data-testid="subdistrict" data-code="([\w-]+)"', html) == [code]
    assert len(ids_of(client.get(f"/center/pushes/?subdistrict={code}").text, "pending-push", "push")) == 2
    elsewhere = SubdistrictFactory()
    assert ids_of(client.get(f"/center/pushes/?subdistrict={elsewhere.code}").text, "pending-push", "push") == []
    assert client.get("/center/pushes/?subdistrict=nowhere").status_code == 404


@pytest.mark.parametrize("who", ["command_room", "duty_leader", "officer", "outsider"])
def test_the_center_pushes_page_is_404_outside_the_district(cast, who):
    person = getattr(cast, who)
    client = Client()
    client.force_login(getattr(person, "user", person))
    assert client.get("/center/pushes/").status_code == 404


# --- a subdistrict login sees nothing else -------------------------------------------------------


@pytest.mark.parametrize("worker", ["subdistrict_worker", "community_worker"])
def test_an_area_worker_sees_nothing_but_the_pushes(cast, revisited, worker, request):
    person = request.getfixturevalue(worker)
    first, second, revisit, _dispute = revisited
    client = signed_in(person)
    for path in (
        f"/incidents/{first.pk}/",
        f"/incidents/{second.pk}/",
        "/center/",
        "/center/pushes/",
        f"/stations/{cast.home.code}/",
        f"/stations/{cast.home.code}/queue/",
        f"/instructions/{revisit.pk}/",
        f"/api/v1/incidents/{first.pk}/",
        f"/api/v1/instructions/{revisit.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    for path in ("/api/v1/incidents/", "/api/v1/instructions/"):
        response = client.get(path)
        assert response.status_code == 404 or response.json()["results"] == [], path
    reveal = client.post(f"/api/v1/incidents/{first.pk}/reveal/", {"purpose": "contact"})
    assert reveal.status_code in (403, 404)
    assert PHONE not in reveal.text
    assert signed_in(person).get("/area/pushes/").status_code == 200


def test_center_staff_find_a_dispatch_now_button_on_the_incident_page(cast):
    from django.test import Client

    from tests.factories import IncidentFactory

    incident = IncidentFactory(community=cast.home_community)
    center, room = Client(), Client()
    center.force_login(cast.center.user)
    room.force_login(cast.command_room.user)
    assert 'data-testid="dispatch-now"' in center.get(f"/incidents/{incident.pk}/").text
    assert 'data-testid="dispatch-now"' not in room.get(f"/incidents/{incident.pk}/").text
