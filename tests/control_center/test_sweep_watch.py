"""The deadline sweep is watched: its own last success, /readyz's 503, the banner, one alarm and one recovery
notice for the center (issue 19 §2)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client

from tasks import sweepwatch
from tasks.jobs import sweep_deadlines as sweep_job
from tasks.models import Heartbeat, Notification
from tasks.sweep import sweep_deadlines
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
K = Notification.Kind


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def swept_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_job()


def notices(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_a_successful_sweep_records_its_own_success():
    swept_at(T0)
    assert Heartbeat.objects.get(name="sweep").at == T0


def test_beats_heartbeat_alone_does_not_count_as_a_sweep():
    from control_center.jobs import heartbeat

    with time_machine.travel(T0, tick=False):
        heartbeat()
    assert not Heartbeat.objects.filter(name="sweep").exists()


def test_a_sweep_that_fails_records_no_success(monkeypatch):
    swept_at(T0)

    def broken(clock, now):
        raise RuntimeError("the sweep failed")

    monkeypatch.setattr("tasks.sweep._claim", broken)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False), pytest.raises(RuntimeError):
        sweep_job()
    assert Heartbeat.objects.get(name="sweep").at == T0


def test_readyz_is_ok_while_the_last_sweep_is_under_three_minutes_old(cast):
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(seconds=180), tick=False):
        response = signed_in(cast.center).get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["sweep"] == "ok"
    assert body["sweep_last_success"] == T0.isoformat()


def test_readyz_is_503_and_says_the_sweep_is_late_after_three_minutes(cast):
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(seconds=181), tick=False):
        response = signed_in(cast.center).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["sweep"] == "late"
    assert body["sweep_last_success"] == T0.isoformat()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_anonymous_probes_learn_only_that_readyz_is_down_while_the_sweep_is_late():
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_the_lateness_limit_is_the_sweep_late_after_seconds_setting(cast, settings):
    settings.SWEEP_LATE_AFTER_SECONDS = 600
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(minutes=9), tick=False):
        assert Client().get("/readyz").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        assert Client().get("/readyz").status_code == 503


def test_a_database_that_never_swept_is_not_reported_late(cast):
    response = signed_in(cast.center).get("/readyz")
    assert response.status_code == 200
    assert response.json()["sweep"] == "unknown"


def test_the_center_is_told_once_however_many_probes_and_pages_notice_the_late_sweep(cast):
    swept_at(T0)
    for minutes in (4, 5, 6):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            Client().get("/readyz")
            signed_in(cast.center).get("/center/")
            signed_in(cast.command_room).get("/stations/home/queue/")
    assert notices(K.SWEEP_LATE) == [cast.center.user_id]
    note = Notification.objects.get(kind=K.SWEEP_LATE)
    assert note.created_at == T0 + timedelta(minutes=4)
    assert note.payload == {"last_success": T0.isoformat()}


def test_the_sweep_coming_back_tells_the_center_once_that_it_recovered(cast):
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        Client().get("/readyz")
    swept_at(T0 + timedelta(minutes=5))
    swept_at(T0 + timedelta(minutes=6))
    assert notices(K.SWEEP_RECOVERED) == [cast.center.user_id]
    with time_machine.travel(T0 + timedelta(minutes=6, seconds=30), tick=False):
        assert Client().get("/readyz").status_code == 200
    # Late again later: a second alarm, and a second recovery.
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        Client().get("/readyz")
    swept_at(T0 + timedelta(minutes=11))
    assert len(notices(K.SWEEP_LATE)) == 2
    assert len(notices(K.SWEEP_RECOVERED)) == 2


def test_a_sweep_that_was_never_announced_late_sends_no_recovery(cast):
    swept_at(T0)
    swept_at(T0 + timedelta(minutes=10))  # late in between, but nobody looked: nothing to take back
    assert notices(K.SWEEP_RECOVERED) == []


def test_the_dashboard_shows_a_red_banner_while_the_sweep_is_late(cast):
    swept_at(T0)
    client = signed_in(cast.center)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert 'data-testid="sweep-late"' not in client.get("/center/").content.decode()
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        page = client.get("/center/").content.decode()
        live = client.get("/center/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="sweep-late"' in page
    assert "截止时间巡检已停止" in page
    assert 'data-testid="sweep-late"' in live  # the 30-second refresh brings it too


def test_the_station_queue_shows_the_banner_while_the_sweep_is_late(cast):
    swept_at(T0)
    client = signed_in(cast.command_room)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert 'data-testid="sweep-late"' not in client.get("/stations/home/queue/").content.decode()
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        page = client.get("/stations/home/queue/").content.decode()
    assert 'data-testid="sweep-late"' in page
    assert "截止时间巡检已停止" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_noticers_raise_one_alarm_between_them(cast):
    swept_at(T0)
    barrier = threading.Barrier(6)

    def notice() -> None:
        try:
            barrier.wait()
            sweepwatch.sweep_state(now=T0 + timedelta(minutes=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=notice) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert notices(K.SWEEP_LATE) == [cast.center.user_id]


def test_the_sweep_function_itself_records_success_too():
    with time_machine.travel(T0, tick=False):
        sweep_deadlines()
    assert Heartbeat.objects.get(name="sweep").at == T0


def test_the_center_reads_the_alarm_and_the_recovery_in_chinese(cast, api):
    swept_at(T0)
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        Client().get("/readyz")
    swept_at(T0 + timedelta(minutes=5))
    client = api(cast.center)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    texts = [n["text"] for n in client.get("/api/v1/notifications/").json()["results"]]
    assert any(t.startswith("截止时间巡检已恢复运行") for t in texts), texts
    assert any(t.startswith("截止时间巡检自") for t in texts), texts


@pytest.mark.django_db(transaction=True)
def test_sweeps_returning_at_once_announce_one_recovery_between_them(cast):
    swept_at(T0)
    sweepwatch.sweep_state(now=T0 + timedelta(minutes=5))
    barrier = threading.Barrier(4)
    announced: list[bool] = []

    def come_back() -> None:
        try:
            barrier.wait()
            announced.append(sweepwatch.sweep_succeeded(now=T0 + timedelta(minutes=6)))
        finally:
            connection.close()

    threads = [threading.Thread(target=come_back) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(announced) == [False, False, False, True]
    assert notices(K.SWEEP_RECOVERED) == [cast.center.user_id]
    assert Heartbeat.objects.get(name="sweep").alarm_at is None
