"""The incident generator: realistic calls for whatever categories and communities exist."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from demo.management.commands.generate_incidents import generate_rows
from disputes.models import Incident, RepeatLink
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(cast):
    CategoryFactory(code="domestic_violence", name="家庭暴力", feedback_hours=3, is_severe=True)
    CategoryFactory(code="noise", name="噪音扰民纠纷", feedback_hours=9)
    CategoryFactory(code="theft", name="盗窃", is_dispute=False, is_criminal=True, feedback_hours=None)
    CategoryFactory(code="help", name="求助", is_dispute=False, feedback_hours=None)


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_incidents", *args, stdout=out)
    return out.getvalue()


def test_generated_calls_pass_the_intake_within_the_last_days_with_repeat_callers(categories):
    before = timezone.now()
    out = generate("--count", "300", "--days", "10", "--seed", "1")
    after = timezone.now()

    incidents = Incident.objects.all()
    assert incidents.count() == 300
    assert incidents.values("number").distinct().count() == 300
    assert not incidents.filter(received_at__lte=before - dt.timedelta(days=10)).exists()
    assert not incidents.filter(received_at__gt=after).exists()
    assert not incidents.exclude(station=F("community__station")).exists()
    assert not incidents.filter(caller_phone_norm="").exists()
    assert incidents.filter(repeat_caller_count__gt=1).exists()
    assert RepeatLink.objects.exists()
    assert incidents.values("category").distinct().count() > 1
    assert "duplicates 0" in out


def test_a_second_run_adds_as_many_without_a_collision(categories):
    generate("--count", "300", "--days", "10", "--seed", "1")
    out = generate("--count", "300", "--days", "10", "--seed", "2")

    assert Incident.objects.count() == 600
    assert "duplicates 0" in out
    assert not Incident.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_the_direct_path_bulk_inserts_with_normalised_fields_and_default_counts(categories):
    before = timezone.now()
    generate("--count", "300", "--days", "10", "--seed", "3", "--direct", "--until-days-ago", "20")

    incidents = Incident.objects.all()
    assert incidents.count() == 300
    assert not incidents.filter(received_at__lte=before - dt.timedelta(days=30)).exists()
    assert not incidents.filter(received_at__gt=timezone.now() - dt.timedelta(days=20)).exists()
    assert not incidents.filter(caller_phone_norm="").exists()
    assert not incidents.filter(address__contains="单元", address_norm="").exists()  # dwellings keyed
    assert not incidents.filter(address__contains="门口").exclude(address_norm="").exists()  # public places not
    assert not incidents.exclude(repeat_caller_count=1).exists()
    assert not RepeatLink.objects.exists()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(categories):
    now = timezone.now()

    first = generate_rows(count=300, days=10, seed=1, now=now)
    again = generate_rows(count=300, days=10, seed=1, now=now)
    other = generate_rows(count=300, days=10, seed=2, now=now)

    assert first == again
    assert [r["caller_phone"] for r in first] != [r["caller_phone"] for r in other]


def test_without_reference_data_the_command_says_what_to_do(db):
    with pytest.raises(CommandError, match="seed_demo"):
        generate("--count", "10", "--days", "1")
