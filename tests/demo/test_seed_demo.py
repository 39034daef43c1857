"""The demo district: complete, idempotent, and with valid resident IDs."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from demo.district import DEFAULT_PASSWORD, demo_logins
from disputes.models import Category, Incident
from stations.models import Community, Officer, Station
from stations.roles import Role

# A fixed clock: "today" is seeded up to now, so a ticking clock could add a call between two runs.
NOW = dt.datetime(2026, 3, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def is_valid_resident_id(number: str) -> bool:
    """GB 11643-1999: 17 digits, then the check character of their weighted sum mod 11."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], GB11643_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def seed(password: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    counts = {}
    for label in ("stations", "tasks", "disputes", "auth"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model._default_manager.count()
    return counts


def test_the_check_digit_rule_itself_is_right() -> None:
    assert is_valid_resident_id("11010519491231002X")
    assert is_valid_resident_id("440524188001010014")
    assert not is_valid_resident_id("110105194912310021")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_demo_district_is_complete_and_a_second_run_changes_nothing() -> None:
    output = seed(DEFAULT_PASSWORD)
    first = row_counts()

    stations = Station.objects.filter(kind=Station.Kind.POLICE_STATION)
    posts = Station.objects.filter(kind=Station.Kind.PATROL_POST)
    assert stations.count() == 19
    assert posts.count() == 6
    names = set(Station.objects.values_list("name", flat=True))
    assert {"花楼街派出所", "姑嫂树派出所", "民意派出所", "江汉经济开发区派出所"} <= names
    assert {"武展警务站", "汉口火车站警务站"} <= names
    assert Community.objects.count() >= 100
    assert not Community.objects.filter(officers__isnull=True).exists()
    assert Officer.objects.count() >= 150
    assert set(Officer.objects.values_list("role", flat=True)) == set(Role.values)
    for officer in Officer.objects.select_related("user").prefetch_related("user__groups"):
        assert [g.name for g in officer.user.groups.all()] == [officer.role]

    disputes = Category.objects.filter(is_dispute=True)
    assert disputes.count() == 16
    assert set(disputes.values_list("feedback_hours", flat=True)) <= {3, 6, 9, 24}
    assert disputes.filter(code__in=["family", "domestic_violence"]).count() == 2

    incidents = Incident.objects.all()
    assert incidents.count() > 0
    assert not incidents.exclude(station=F("community__station")).exists()
    assert not incidents.filter(received_at__gt=timezone.now()).exists()
    days = {timezone.localtime(at).date() for at in incidents.values_list("received_at", flat=True)}
    assert len(days) == 21
    assert max(days) == NOW.date()
    chen = incidents.filter(caller_name="陈秀兰")
    assert chen.count() >= 2
    assert set(chen.values_list("category__code", flat=True)) <= {"family", "domestic_violence"}
    assert all(re.fullmatch(r"J420103\d{13}", n) for n in incidents.values_list("number", flat=True))

    for username, _description in demo_logins():
        assert username in output
    assert DEFAULT_PASSWORD in output
    logins = {
        "center": Role.CENTER_STAFF,
        "supervisor": Role.SUPERVISOR,
        "hlj_command": Role.COMMAND_ROOM,
        "hlj_leader": Role.DUTY_LEADER,
        "hlj_officer": Role.COMMUNITY_OFFICER,
        "wuzhan_patrol": Role.PATROL_OFFICER,
        "population": Role.DEPARTMENT_STAFF,
        "neibao": Role.INTERNAL_SECURITY,
        "auditor": Role.AUDITOR,
    }
    for username, role in logins.items():
        assert Officer.objects.get(user__username=username).role == role
    assert Officer.objects.get(user__username="hlj_command").station.name == "花楼街派出所"
    assert Officer.objects.get(user__username="wuzhan_patrol").station.name == "武展警务站"
    assert Officer.objects.get(user__username="population").department.code == "population"

    seed(DEFAULT_PASSWORD)
    assert row_counts() == first

    for username, _description in demo_logins():
        user = authenticate(None, username=username, password=DEFAULT_PASSWORD)
        assert user is not None, username
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser


@pytest.mark.django_db
def test_a_given_password_is_used_and_every_resident_id_has_a_valid_check_digit() -> None:
    seed("Another-Secret-9")

    assert authenticate(None, username="center", password="Another-Secret-9") is not None
    ids = list(Incident.objects.exclude(caller_id_number="").values_list("caller_id_number", flat=True))
    assert ids
    assert len(ids) < Incident.objects.count()  # only sometimes
    invalid = [n for n in ids if not is_valid_resident_id(n) or not n.startswith("420103")]
    assert invalid == []
