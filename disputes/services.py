"""Writes of the disputes app: intake with repeat risk, revisits, follow-ups, three reports and two pushes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.time import day_of
from stations.models import Officer
from stations.roles import Role
from tasks import hooks
from tasks.answer_sheets import choice_label
from tasks.models import Instruction, Notification
from tasks.notify import Notice, Recipients, send
from tasks.services import instruction_add_note, instruction_issue

from .intake import IntakeResult, intake
from .kinds import DISPUTE, PUSH_NOTICE, REVISIT
from .models import Category, Dispatch, FollowUp, Incident, Push, RepeatGroup, RepeatRule
from .selectors import incident_of, open_instruction_for


def issue_about(
    *,
    kind: str,
    actor: Any,
    incident: Incident | None = None,
    station: Any = None,
    category: Category | None = None,
    note: str = "",
    due_by: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Instruction:
    """Issue an instruction about an incident (to its station, with its category's sheet, window and reviewer),
    or about a category at a station, or about nothing but the note; the link is a Dispatch row written in the
    same transaction."""
    if incident is not None:
        station, category = incident.station, incident.category

    def link(instruction: Instruction) -> None:
        if incident is not None or category is not None:
            instruction.dispatch = Dispatch.objects.create(
                instruction=instruction, incident=incident, category=category
            )

    return instruction_issue(
        kind=kind,
        actor=actor,
        station=station,
        sheet=category.answer_sheet_code if category is not None else "",
        note=note,
        due_by=due_by,
        now=now,
        subject=link,
    )


def incidents_intake(rows: list[Any], *, actor: Any = None, now: dt.datetime | None = None) -> IntakeResult:
    """Store a batch (good rows kept, bad reported) and raise a revisit for each live repeat risk."""
    now = now or timezone.now()
    result = intake(rows, actor=actor, now=now)
    for incident in result.flagged:
        revisit_for(incident=incident, now=now)
    return result


def _reason(incident: Incident, rule: RepeatRule) -> str:
    parts = []
    if incident.repeat_caller_count > 1:
        parts.append(
            _("Repeat caller: call %(n)d in %(days)d days.")
            % {"n": incident.repeat_caller_count, "days": rule.window_days}
        )
    if incident.repeat_address_count > 1:
        parts.append(
            _("Repeat place: call %(n)d from this address in %(days)d days.")
            % {"n": incident.repeat_address_count, "days": rule.window_days}
        )
    if incident.is_severe:
        parts.append(_("Domestic violence or a threat to life."))
    parts.append(_("Visit again and screen the dispute."))
    return " ".join(parts)


@transaction.atomic
@translation.override(settings.LANGUAGE_CODE)  # the notes it writes are stored: the district's language
def revisit_for(*, incident: Incident, now: dt.datetime | None = None) -> Instruction:
    """The revisit instruction of the incident's repeat groups: the open one if there is one
    (noting the new call on it), else a new one. A group never holds two open revisits."""
    now = now or timezone.now()
    groups = list(
        RepeatGroup.objects.select_for_update(of=("self",))
        .filter(links__incident=incident)
        .select_related("revisit")
        .order_by("pk")
    )
    open_revisit = next((g.revisit for g in groups if g.revisit is not None and g.revisit.is_open), None)
    rule = RepeatRule.current()
    if open_revisit is not None:
        instruction_add_note(
            instruction=open_revisit,
            actor=None,
            note=_("Called again: %(number)s at %(at)s. %(reason)s")
            % {
                "number": incident.number,
                "at": timezone.localtime(incident.received_at).strftime("%Y-%m-%d %H:%M"),
                "reason": _reason(incident, rule),
            },
            now=now,
        )
        revisit = open_revisit
    else:
        revisit = issue_about(kind=REVISIT, incident=incident, actor=None, note=_reason(incident, rule), now=now)
    for group in groups:
        fields = []
        if group.revisit_id != revisit.pk:
            group.revisit = revisit
            fields.append("revisit")
        if group.flagged_at is None:
            group.flagged_at = now
            fields.append("flagged_at")
        if fields:
            group.save(update_fields=fields)
    return revisit


def _outcome_label(instruction: Instruction) -> str:
    answers = instruction.answers or {}
    for field in instruction.answer_sheet.fields:
        if field["name"] == "outcome":
            return choice_label(field, answers["outcome"]) if answers.get("outcome") is not None else ""
    return ""


def _what_was_done(instruction: Instruction) -> str:
    """The officer's answer in words: the actions taken (their labels) and his notes."""
    answers = instruction.answers or {}
    parts = []
    for field in instruction.answer_sheet.fields:
        value = answers.get(field["name"])
        if field["name"] == "actions" and value:
            values = value if isinstance(value, list) else [value]
            parts.append("、".join(choice_label(field, v) for v in values))
        elif field["name"] == "note" and value:
            parts.append(str(value).strip())
    return "；".join(parts)[:2000]


def _revisit_on(instruction: Instruction) -> dt.date | None:
    value = (instruction.answers or {}).get("revisit_on")
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@hooks.on_close(REVISIT)
def revisit_closed(instruction: Instruction, actor: Any, now: dt.datetime) -> None:
    """Three reports (duty leader, center, the officer's record) and two pushes (subdistrict, community)."""
    incident = incident_of(instruction)
    if incident is None:
        return
    outcome = _outcome_label(instruction)
    payload = {"outcome": outcome, "incident": incident.number}
    who = Recipients.load([instruction.station_id])
    reports = [*who.duty_leader[instruction.station_id], *who.center]
    if instruction.officer_id:
        reports.append(instruction.officer.user_id)  # type: ignore[union-attr]
    send((Notice(u, Notification.Kind.REPORT, instruction.pk, payload) for u in dict.fromkeys(reports)), now=now)
    community = incident.community
    # What the area needs to act with the police: what was done, the next joint visit, whom to call.
    officer = instruction.officer
    notes, visit_on = _what_was_done(instruction), _revisit_on(instruction)
    Push.objects.bulk_create(
        [
            Push(
                level=level,
                subdistrict_id=community.subdistrict_id,
                community=community,
                instruction=instruction,
                incident=incident,
                outcome=outcome[:200],
                notes=notes,
                visit_on=visit_on,
                contact_name=officer.name if officer else "",
                contact_phone=instruction.station.phone,
                created_at=now,
            )
            for level in (Push.Level.SUBDISTRICT, Push.Level.COMMUNITY)
        ],
        ignore_conflicts=True,
    )
    _tell_area_workers(instruction, now=now)


def _tell_area_workers(instruction: Instruction, *, now: dt.datetime) -> None:
    """Each push is a notice for the workers of its area: the subdistrict's office, the community's committee."""
    for push in Push.objects.filter(instruction=instruction).select_related("community"):
        workers = Officer.objects.filter(is_active=True, user__is_active=True)
        if push.level == Push.Level.SUBDISTRICT:
            workers = workers.filter(role=Role.SUBDISTRICT_WORKER, subdistrict_id=push.subdistrict_id)
        else:
            workers = workers.filter(role=Role.COMMUNITY_WORKER, communities=push.community_id)
        payload = {"push": push.pk, "community": push.community.name, "outcome": push.outcome}
        users = workers.values_list("user_id", flat=True)
        send((Notice(u, PUSH_NOTICE, None, payload) for u in users), now=now)


@hooks.on_close(REVISIT, DISPUTE)
def schedule_follow_up(instruction: Instruction, actor: Any, now: dt.datetime) -> None:
    """The officer asked for another visit on a date: remember it; the follow-up job issues it then."""
    revisit_on = (instruction.answers or {}).get("revisit_on")
    incident = incident_of(instruction)
    if not revisit_on or incident is None:
        return
    due_on = dt.date.fromisoformat(revisit_on)
    # One visit answered on one sheet for several items (a dispute and its revisit) asks for one visit, not one
    # per item: a pending follow-up of the same incident on the same day already stands for it.
    pending = FollowUp.objects.filter(incident=incident, due_on=due_on, issued_at__isnull=True)
    if pending.exclude(requested_by=instruction).exists():
        return
    group = RepeatGroup.objects.filter(links__incident=incident).order_by("kind", "pk").first()
    FollowUp.objects.get_or_create(
        requested_by=instruction,
        defaults={"incident": incident, "group": group, "due_on": due_on},
    )


@translation.override(settings.LANGUAGE_CODE)
def issue_due_follow_ups(*, now: dt.datetime | None = None) -> list[Instruction]:
    """Issue every follow-up revisit whose date has come, each exactly once."""
    now = now or timezone.now()
    issued = []
    due = FollowUp.objects.filter(issued_at__isnull=True, due_on__lte=day_of(now))
    for follow_up in due.select_related("incident__station", "incident__category"):
        with transaction.atomic():
            # Claim it: only the sweep whose update changed the row goes on.
            if not FollowUp.objects.filter(pk=follow_up.pk, issued_at__isnull=True).update(issued_at=now):
                continue
            revisit = issue_about(
                kind=REVISIT,
                incident=follow_up.incident,
                actor=None,
                note=_("Follow-up revisit asked for on %(date)s.") % {"date": follow_up.due_on.isoformat()},
                now=now,
            )
            FollowUp.objects.filter(pk=follow_up.pk).update(issued=revisit)
            if follow_up.group_id:
                RepeatGroup.objects.filter(pk=follow_up.group_id).update(revisit=revisit)
            issued.append(revisit)
    return issued


def push_acknowledge(*, push: Push, actor: Any, now: dt.datetime | None = None) -> Push:
    """Acknowledge a push once: the first acknowledgement stands, a second changes nothing."""
    Push.objects.filter(pk=push.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now or timezone.now(), acknowledged_by=actor
    )
    push.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return push


@transaction.atomic
def dispatch_incident_now(
    *, incident: Incident, actor: Any, note: str = "", now: dt.datetime | None = None
) -> tuple[Instruction, bool]:
    """Ad hoc dispatch of one incident (the 17:34 case): (instruction, created). An incident with an
    open dispute instruction gets no second one."""
    existing = open_instruction_for(incident.pk, DISPUTE)
    if existing is not None:
        return existing, False
    return issue_about(kind=DISPUTE, incident=incident, actor=actor, note=note, now=now), True
