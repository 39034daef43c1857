"""Notices that whoever receives them can read: what happened, a link to the object as the reader sees it,
read state that follows the object, digests that list their items, nothing outside the reader's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disputes.models import Push
from stations.roles import Role
from tasks.models import Notification
from tasks.services import instruction_accept, instruction_return, instruction_sign_off, instruction_submit_feedback
from tasks.sweep import sweep_deadlines
from tests.factories import GOOD_ANSWERS, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db


def client_for(officer):
    client = Client()
    client.force_login(getattr(officer, "user", officer))
    return client


def notices_of(officer):
    return Notification.objects.filter(recipient=officer.user)


def rows(page_html):
    return page_html.content.decode()


def test_each_notice_says_what_happened_in_chinese_and_links_to_the_instruction_page(cast):
    incident = IncidentFactory(community=cast.home_community)
    instruction = issue(incident, by=cast.center)
    page = client_for(cast.command_room).get("/notifications/", headers={"accept-language": "zh-hans"})
    html = rows(page)
    assert page.status_code == 200
    assert "新指令待签收" in html
    assert incident.number in html
    assert f'href="/instructions/{instruction.pk}/"' in html
    assert incident.caller_name not in html  # no personal data in a notice


def test_an_officers_notice_links_to_the_item_on_his_phone(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    html = rows(client_for(cast.officer).get("/m/notifications/"))
    assert f'href="/m/i/{instruction.pk}/"' in html
    assert 'data-testid="read-all"' in html  # the phone list keeps "mark all read"


def test_the_phone_bell_opens_the_list_and_the_header_count_links_to_it_for_every_role(cast):
    html = rows(client_for(cast.officer).get("/m/"))
    assert 'href="/m/notifications/"' in html
    for who in (cast.center, cast.supervisor, cast.command_room, cast.duty_leader, cast.officer):
        page = client_for(who).get("/notifications/")
        assert page.status_code == 200
        assert 'data-testid="unread-notifications"' in rows(page)
        assert 'href="/notifications/"' in rows(page)


def test_a_returned_feedback_is_no_longer_to_review(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    to_review = notices_of(cast.center).get(kind="feedback")
    assert to_review.read_at is None
    html = rows(client_for(cast.center).get("/notifications/"))
    assert 'data-kind="feedback"' in html
    assert 'data-done="0"' in html

    instruction_return(instruction=instruction, actor=cast.center.user, comment="补充")
    to_review.refresh_from_db()
    assert to_review.read_at is not None
    html = rows(client_for(cast.center).get("/notifications/"))
    assert 'data-done="1"' in html
    # The officer's own "assigned" notice was settled by his feedback.
    assert notices_of(cast.officer).get(kind="assigned").read_at is not None


def test_a_notice_whose_object_moved_on_shows_as_done_even_unread(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    Notification.objects.filter(instruction=instruction).update(read_at=None)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    Notification.objects.filter(instruction=instruction, kind="new_instruction").update(read_at=None)
    body = client_for(cast.command_room).get("/api/v1/notifications/").json()
    (new,) = [n for n in body["results"] if n["kind"] == "new_instruction"]
    assert new["done"] is True
    assert new["needs_action"] is True


def test_opening_the_instruction_marks_its_notices_read(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    other = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    assert notices_of(cast.command_room).filter(read_at__isnull=True).count() == 2
    page = client_for(cast.command_room).get(f"/instructions/{instruction.pk}/")
    assert page.status_code == 200
    assert notices_of(cast.command_room).get(instruction=instruction).read_at is not None
    assert notices_of(cast.command_room).get(instruction=other).read_at is None


def test_a_digest_lists_its_items_each_linked_and_none_outside_the_readers_scope(cast):
    mine = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    theirs = issue(IncidentFactory(community=cast.neighbour_community), by=cast.center)
    items = [
        {"kind": "sign_off_reminder", "instruction": mine.pk, "due": timezone.now().isoformat()},
        {"kind": "sign_off_reminder", "instruction": theirs.pk, "due": timezone.now().isoformat()},
    ]
    Notification.objects.create(
        recipient=cast.command_room.user,
        kind="digest",
        created_at=timezone.now(),
        payload={"counts": {"sign_off_reminder": 2}, "items": items},
    )
    html = rows(client_for(cast.command_room).get("/notifications/"))
    assert html.count('data-testid="digest-item"') == 1
    assert f'href="/instructions/{mine.pk}/"' in html
    assert theirs.dispatch.incident.number not in html
    body = client_for(cast.command_room).get("/api/v1/notifications/?kind=digest").json()
    (digest,) = body["results"]
    assert [i["instruction"] for i in digest["payload"]["items"]] == [mine.pk]
    assert digest["payload"]["counts"] == {"sign_off_reminder": 1}
    assert [i["url"] for i in digest["items"]] == [f"/instructions/{mine.pk}/"]


def test_the_duty_leader_is_told_of_an_escalation_and_can_open_it(cast):
    now = timezone.now()
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=now - timedelta(hours=1))
    sweep_deadlines(now=now)
    body = client_for(cast.duty_leader).get("/api/v1/notifications/").json()
    (escalation,) = [n for n in body["results"] if n["kind"] == "sign_off_overdue"]
    assert escalation["url"] == f"/instructions/{instruction.pk}/"
    assert escalation["text"].startswith("Escalation") or escalation["text"].startswith("升级")
    assert client_for(cast.duty_leader).get(escalation["url"]).status_code == 200


def test_area_workers_are_told_of_each_push_and_the_notice_links_to_it(cast):
    worker = make_officer(Role.COMMUNITY_WORKER, communities=[cast.home_community], username="cw", name="罗峰")
    outsider = make_officer(Role.COMMUNITY_WORKER, communities=[cast.neighbour_community], username="cw2", name="别人")
    revisit = issue(IncidentFactory(community=cast.home_community), by=cast.center, kind="revisit")
    instruction_sign_off(instruction=revisit, actor=cast.command_room.user, officer=cast.officer)
    instruction_submit_feedback(instruction=revisit, actor=cast.officer.user, answers=GOOD_ANSWERS)
    instruction_accept(instruction=revisit, actor=cast.center.user)
    push = Push.objects.get(instruction=revisit, level="community")
    (notice,) = notices_of(worker)
    assert notice.kind == "push"
    assert not notices_of(outsider).exists()
    body = client_for(worker).get("/api/v1/notifications/").json()
    assert body["results"][0]["url"] == f"/area/pushes/#push-{push.pk}"
    assert body["results"][0]["done"] is False
    assert client_for(worker).get("/area/pushes/").status_code == 200  # opening the pushes reads their notices
    notice.refresh_from_db()
    assert notice.read_at is not None
    client_for(worker).post(f"/area/pushes/{push.pk}/acknowledge/")
    assert client_for(worker).get("/api/v1/notifications/").json()["results"][0]["done"] is True


def test_mark_all_read_from_the_list(cast):
    issue(IncidentFactory(community=cast.home_community), by=cast.center)
    page = client_for(cast.command_room).post("/notifications/read-all/", {"next": "/notifications/"})
    assert page.status_code == 302
    assert page["Location"] == "/notifications/"
    assert not notices_of(cast.command_room).filter(read_at__isnull=True).exists()


def _notices_for_center(cast, n):
    for _i in range(n):
        instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
        Notification.objects.create(
            recipient=cast.center.user, kind="feedback", instruction=instruction, created_at=timezone.now()
        )
    Notification.objects.create(
        recipient=cast.center.user,
        kind="digest",
        created_at=timezone.now(),
        payload={"items": [{"kind": "feedback_overdue", "instruction": instruction.pk}]},
    )


def test_the_list_takes_the_same_queries_however_many_notices(cast, django_assert_num_queries):
    client = client_for(cast.center)
    _notices_for_center(cast, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/notifications/").status_code == 200
    with CaptureQueriesContext(connection) as few_api:
        assert client.get("/api/v1/notifications/").status_code == 200
    _notices_for_center(cast, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/notifications/").status_code == 200
    with django_assert_num_queries(len(few_api.captured_queries)):
        assert client.get("/api/v1/notifications/").status_code == 200


def test_nobody_reads_another_persons_notice(cast):
    issue(IncidentFactory(community=cast.home_community), by=cast.center)
    notice = notices_of(cast.command_room).get()
    answer = client_for(cast.neighbour_command_room).get(f"/api/v1/notifications/{notice.pk}/")
    assert answer.status_code == 404


def test_a_notice_about_an_instruction_outside_the_readers_scope_shows_nothing_of_it(cast):
    moved = issue(IncidentFactory(community=cast.neighbour_community), by=cast.center)
    Notification.objects.create(
        recipient=cast.command_room.user,
        kind="note",
        instruction=moved,
        created_at=timezone.now(),
        payload={"note": "陈女士又来电"},
    )
    answer = client_for(cast.command_room).get("/api/v1/notifications/").json()
    assert answer["results"] == []  # not listed at all (see tasks.selectors.notifications_for)
    assert "陈女士" not in str(answer)
    assert moved.dispatch.incident.number not in str(answer)
    html = rows(client_for(cast.command_room).get("/notifications/"))
    assert "陈女士" not in html
    assert moved.dispatch.incident.number not in html
