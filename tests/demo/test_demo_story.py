"""The demo tells the article's story in the right order: Ms Chen's revisits are issued at the calls that
raised them, and each of her disputes reaches a station by the next morning at the latest."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from disputes.models import Incident
from tasks.models import Instruction

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 15, 18, 0, tzinfo=SH)


@pytest.mark.django_db
def test_ms_chens_revisits_come_at_her_calls_and_her_disputes_by_the_next_morning():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", password="x", stdout=io.StringIO())
    calls = list(Incident.objects.filter(caller_name="陈秀兰").order_by("received_at"))
    assert len(calls) >= 3
    flagged = [c for c in calls if c.repeat_flagged]
    assert len(flagged) >= 2
    for call in flagged:
        revisit = Instruction.objects.filter(kind="revisit", dispatch__incident=call).first()
        assert revisit is not None, call.number  # each repeat call raises its own revisit
        assert call.received_at <= revisit.issued_at <= call.received_at + dt.timedelta(minutes=10), call.number
    for call in calls:
        next_morning = dt.datetime.combine(
            call.received_at.astimezone(SH).date() + dt.timedelta(days=1), dt.time(9, 0), tzinfo=SH
        )
        dispute = Instruction.objects.filter(kind="dispute", dispatch__incident=call).order_by("issued_at").first()
        assert dispute is not None, call.number
        assert dispute.issued_at <= next_morning, call.number
