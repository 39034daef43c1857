"""Races settled by PostgreSQL itself: real concurrent connections, one thread each."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from stations.roles import Role
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.sweep import sweep_deadlines
from tests.factories import IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(*jobs: Callable[[], Any]) -> list[Any]:
    """Run each job in its own thread (its own database connection), started together."""
    results: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[i] = job()
        except Exception as exc:  # surfaced to the test below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    return [t.join(30) for t in threads] and results


def sign_off_as(user: Any, pk: int) -> Callable[[], int]:
    def job() -> int:
        client = APIClient()
        client.force_authenticate(user)
        return client.post(
            f"/api/v1/instructions/{pk}/sign-off/", {"officer": "home_officer"}, format="json"
        ).status_code

    return job


def test_two_command_room_users_signing_off_at_once_one_wins_the_other_gets_409(cast):
    second_room = make_officer(Role.COMMAND_ROOM, station=cast.home, username="home_cmd2", name="指挥室二")
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    # Hold the row so that both requests are certainly waiting on it at the same time.
    with transaction.atomic():
        Instruction.objects.select_for_update().get(pk=instruction.pk)
        results: list[Any] = []
        racer = threading.Thread(
            target=lambda: results.extend(
                in_threads(
                    sign_off_as(cast.command_room.user, instruction.pk), sign_off_as(second_room.user, instruction.pk)
                )
            )
        )
        racer.start()
        time.sleep(0.5)
    racer.join(30)
    assert sorted(results) == [200, 409]
    assert InstructionEvent.objects.filter(instruction=instruction, kind="signed_off").count() == 1


def test_many_simultaneous_sign_offs_make_one_assignment(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    rooms = [cast.command_room.user] + [
        make_officer(Role.COMMAND_ROOM, station=cast.home, username=f"room{i}").user for i in range(5)
    ]
    results = in_threads(*(sign_off_as(user, instruction.pk) for user in rooms))
    assert sorted(results) == [200] + [409] * 5


def test_two_sweeps_at_once_escalate_each_breach_exactly_once(cast):
    start = timezone.now() - timedelta(hours=2)
    due = [issue(IncidentFactory(community=cast.home_community), by=cast.center, now=start) for _ in range(30)]
    now = timezone.now()
    reports = in_threads(lambda: sweep_deadlines(now=now), lambda: sweep_deadlines(now=now))
    assert all(not isinstance(r, Exception) for r in reports), reports
    assert sum(r.claimed["sign_off_breach"] for r in reports) == 30
    for instruction in due:
        assert InstructionEvent.objects.filter(instruction=instruction, kind="sign_off_overdue").count() == 1
    # Each report covered its own share; the supervision post heard of every instruction once.
    told = Notification.objects.filter(recipient=cast.supervisor.user)
    heard = [n.instruction_id for n in told if n.instruction_id] + [
        item["instruction"] for n in told if n.kind == "digest" for item in n.payload["items"]
    ]
    assert sorted(heard) == sorted(i.pk for i in due)


def test_a_sweep_skips_rows_another_sweep_holds_and_the_next_sweep_takes_them(cast):
    start = timezone.now() - timedelta(hours=2)
    due = [issue(IncidentFactory(community=cast.home_community), by=cast.center, now=start) for _ in range(4)]
    now = timezone.now()
    held = [i.pk for i in due[:2]]
    with transaction.atomic():
        list(Instruction.objects.select_for_update().filter(pk__in=held))
        (first,) = in_threads(lambda: sweep_deadlines(now=now))
    assert first.claimed["sign_off_breach"] == 2
    second = sweep_deadlines(now=now)
    assert second.claimed["sign_off_breach"] == 2
    assert InstructionEvent.objects.filter(kind="sign_off_overdue").count() == 4
