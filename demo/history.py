"""Weeks of plausible work for the demo district, played through the real services with the clock
set back: each day's selection dispatched the next morning, signed off and answered (some late,
some returned), revisits done, last weeks' rankings stored; and a few items open right now.

Only the demo seed (demo/seed.py) calls this. It is idempotent: a day whose selection exists is left alone."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from control_center.models import Selection
from control_center.rankings import snapshot_week
from control_center.services import selection_add, selection_dispatch, selection_run
from core.time import Week, day_at, day_bounds
from core.time import today as district_today
from disputes.models import Incident
from disputes.selectors import incident_of
from disputes.services import dispatch_incident_now, revisit_for
from stations.models import Officer
from stations.roles import Role
from tasks.models import Instruction, Notification
from tasks.services import (
    instruction_accept,
    instruction_return,
    instruction_sign_off,
    instruction_submit_feedback,
)


def fake_answers(fields: list[dict[str, Any]], rng: random.Random, on: dt.date) -> dict[str, Any]:
    """Answers that fit a sheet: every required item, a few optional ones; never photos or follow-ups."""
    answers: dict[str, Any] = {}
    for f in fields:
        if f["type"] == "photo" or f["name"] == "revisit_on" or (not f.get("required") and rng.random() < 0.5):
            continue
        values = [c["value"] for c in f.get("choices", [])]
        kind = f["type"]
        if kind == "choice":
            answers[f["name"]] = rng.choice(values[:3] or values)
        elif kind == "multi":
            answers[f["name"]] = [rng.choice(values)]
        elif kind == "bool":
            answers[f["name"]] = rng.random() < 0.85
        elif kind == "number":
            answers[f["name"]] = f.get("min", 1)
        elif kind == "date":
            answers[f["name"]] = on.isoformat()
        else:
            answers[f["name"]] = "已上门了解情况，双方情绪平稳。"
    return answers


class History:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.center = get_user_model().objects.get(username="center")
        self.rooms = dict(
            Officer.objects.filter(role=Role.COMMAND_ROOM, is_active=True).values_list("station_id", "user_id")
        )
        self.users = {u.pk: u for u in get_user_model().objects.filter(pk__in=self.rooms.values())}
        self.officers: dict[int, list[Officer]] = {}
        for o in Officer.objects.filter(role=Role.COMMUNITY_OFFICER, is_active=True).select_related("user"):
            self.officers.setdefault(o.station_id, []).append(o)

    def officer_for(self, instruction: Instruction, rng: random.Random) -> Officer:
        incident = incident_of(instruction)
        if incident is not None:
            covering = [
                o
                for o in incident.community.officers.all()
                if o.is_active and o.role == Role.COMMUNITY_OFFICER and o.station_id == instruction.station_id
            ]
            if covering:
                return covering[0]
        return rng.choice(self.officers[instruction.station_id])

    def work(self, instruction: Instruction, *, until: dt.datetime) -> None:
        """Take an issued instruction as far as it would have got by `until`."""
        rng = random.Random(f"demo:{instruction.pk}")  # noqa: S311 (demo data, not secrets)
        room = self.users.get(self.rooms.get(instruction.station_id))
        if room is None or instruction.station.kind != "police_station":
            return
        signed = instruction.issued_at + dt.timedelta(minutes=rng.choice([4, 7, 9, 12, 15, 18, 22, 26, 29, 34, 48]))
        if signed > until:
            return
        officer = self.officer_for(instruction, rng)
        instruction_sign_off(instruction=instruction, actor=room, officer=officer, now=signed)
        instruction.refresh_from_db()
        window = instruction.feedback_due - signed
        fed = signed + window * rng.choice([0.2, 0.35, 0.5, 0.6, 0.8, 0.9, 1.15])
        if fed > until:
            return
        answers = fake_answers(instruction.answer_sheet.fields, rng, fed.date())
        instruction_submit_feedback(instruction=instruction, actor=officer.user, answers=answers, now=fed)
        reviewed = fed + dt.timedelta(minutes=rng.randint(20, 180))
        if reviewed > until:
            return
        if rng.random() < 0.12:
            comment = "请补充当事人诉求和化解措施。"
            instruction_return(instruction=instruction, actor=self.center, comment=comment, now=reviewed)
            fed = reviewed + dt.timedelta(hours=rng.choice([1, 2, 5]))
            if fed > until:
                return
            instruction_submit_feedback(instruction=instruction, actor=officer.user, answers=answers, now=fed)
            reviewed = fed + dt.timedelta(minutes=rng.randint(20, 120))
            if reviewed > until:
                return
        instruction_accept(instruction=instruction, actor=self.center, now=reviewed)


def seed_history(days: int, *, now: dt.datetime | None = None) -> int:
    """Play `days` days of work (ending the day before yesterday); leave yesterday's selection proposed
    and a few instructions open today. Returns the number of instructions it issued."""
    now = now or timezone.now()
    today = district_today(now)
    if Selection.objects.filter(date=today - dt.timedelta(days=2)).exists():
        return 0  # played already
    history = History(now)
    before = Instruction.objects.count()
    for back in range(days - 1, 1, -1):
        day = today - dt.timedelta(days=back)
        if Selection.objects.filter(date=day).exists():
            continue
        morning = day_at(day + dt.timedelta(days=1), dt.time(8, 0))
        selection = selection_run(day=day, actor=history.center, now=morning)
        # A repeat caller's dispute is on the next morning's list at the latest (一人多警 are key disputes).
        chosen = set(selection.items.filter(included=True).values_list("incident_id", flat=True))
        start, end = day_bounds(day)
        for incident in Incident.objects.filter(
            received_at__gte=start, received_at__lt=end, repeat_flagged=True, category__is_dispute=True
        ).exclude(pk__in=chosen):
            selection_add(
                selection=selection,
                incident=incident,
                actor=history.center,
                reason="重复报警，纳入重点纠纷",
                now=morning + dt.timedelta(minutes=10),
            )
        selection_dispatch(selection=selection, actor=history.center, now=morning + dt.timedelta(minutes=25))
    # Repeat callers caught at intake get their revisits at the call that raised them, as the live intake
    # issues them; each revisit is then worked, so that the caller's next call finds it done and raises its own.
    for incident in Incident.objects.filter(repeat_flagged=True, received_at__lt=now - dt.timedelta(hours=6)).order_by(
        "received_at", "pk"
    ):
        revisit = revisit_for(incident=incident, now=incident.received_at + dt.timedelta(minutes=10))
        if revisit.status == "issued":
            history.work(revisit, until=now - dt.timedelta(hours=2))
    # Everything issued before today (dispute and revisit instructions) goes its way.
    for instruction in (
        Instruction.objects.filter(status="issued", issued_at__lt=now - dt.timedelta(hours=6))
        .select_related("station", "answer_sheet", "dispatch__incident__community", "dispatch__category")
        .order_by("issued_at", "pk")
    ):
        history.work(instruction, until=now - dt.timedelta(hours=2))
    selection_run(day=today - dt.timedelta(days=1), actor=history.center, now=now)  # proposed, for review
    # Right now: a few fresh instructions, one overdue, two on 花楼街's officer's phone.
    fresh = Incident.objects.filter(received_at__lt=now, category__is_dispute=True).order_by("-received_at")
    for minutes, incident in zip((41, 24, 6), fresh[:3], strict=False):
        dispatch_incident_now(incident=incident, actor=history.center, now=now - dt.timedelta(minutes=minutes))
    room = get_user_model().objects.get(username="hlj_command")
    officer = Officer.objects.get(user__username="hlj_officer")
    for minutes, incident in zip((150, 35), fresh.filter(station__code="hualoujie")[:2], strict=False):
        instruction, _created = dispatch_incident_now(
            incident=incident, actor=history.center, now=now - dt.timedelta(minutes=minutes + 10)
        )
        if instruction.status == "issued":
            signed = now - dt.timedelta(minutes=minutes)
            instruction_sign_off(instruction=instruction, actor=room, officer=officer, now=signed)
    # Last weeks' rankings, as the Monday job would have stored them.
    week = Week.of(now)
    for back in (2, 1):
        past = week.shift(-back)
        snapshot_week(week=past, now=min(now, past.end + dt.timedelta(hours=6)))
    # What happened before today has been read.
    Notification.objects.filter(created_at__lt=now - dt.timedelta(hours=6), read_at__isnull=True).update(read_at=now)
    return Instruction.objects.count() - before
