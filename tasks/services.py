"""Every write of the dispatch engine, one function per verb.

Each verb: one transaction, the row locked, the transition checked against the
table, saved with update_fields, an event written, notices sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stations.models import Officer, Station

from . import deadlines, hooks, kinds, policy
from .answer_sheets import GENERAL_SHEET_CODE, general_sheet_fields, validate_answers
from .milestones import start_milestones
from .models import AnswerSheet, Instruction, InstructionEvent, InstructionMilestone, Notification
from .notify import Notice, Recipients, send, settle
from .transitions import check

S = Instruction.Status
E = InstructionEvent.Kind
N = Notification.Kind


def _record(
    instruction: Instruction,
    kind: str,
    *,
    actor: Any,
    at: datetime,
    from_status: str = "",
    note: str = "",
    due_at: datetime | None = None,
    **payload: Any,
) -> InstructionEvent:
    return InstructionEvent.objects.create(
        instruction=instruction,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=instruction.status if from_status else "",
        note=note,
        due_at=due_at,
        payload=payload,
    )


def _locked(instruction: Instruction | int, actor: Any, verb: str) -> Instruction:
    """The instruction, row-locked, if `actor` may apply `verb` to it; else DoesNotExist (a 404)."""
    pk = instruction.pk if isinstance(instruction, Instruction) else instruction
    return (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("station", *kinds.terms_related())
        .filter(policy.actionable(actor, verb))
        .get(pk=pk)
    )


def _window(instruction: Instruction) -> timedelta | None:
    """The feedback window the instruction's kind gives it (e.g. its category's hours), if any."""
    kind = kinds.get(instruction.kind)
    return kind.feedback_window(instruction) if kind.feedback_window is not None else None


def current_sheet(code: str) -> AnswerSheet:
    sheet = AnswerSheet.objects.filter(code=code or GENERAL_SHEET_CODE).order_by("-version").first()
    if sheet is None:
        sheet = AnswerSheet.objects.filter(code=GENERAL_SHEET_CODE).order_by("-version").first()
    if sheet is None:  # shipped by a migration; restored if someone deleted it
        sheet, _created = AnswerSheet.objects.get_or_create(
            code=GENERAL_SHEET_CODE, version=1, defaults={"title": "通用反馈", "fields": general_sheet_fields()}
        )
    return sheet


@transaction.atomic
def instruction_issue(
    *,
    kind: str,
    actor: Any,
    station: Station | None,
    sheet: str = "",
    note: str = "",
    due_by: datetime | None = None,
    now: datetime | None = None,
    subject: Callable[[Instruction], None] | None = None,
    sign_off_within: timedelta | None = None,
) -> Instruction:
    """Issue an instruction to the command room of a station, with the newest version of the answer sheet
    `sheet` (the general sheet if empty or unknown). `due_by`: the issuer's own deadline for the feedback,
    instead of the kind's window. `subject`, when given, records what the instruction is about (the kind's
    own table, e.g. disputes' Dispatch) in the same transaction, before anyone is told. `sign_off_within`: this
    instruction's sign-off window (the kind's service decides, e.g. 3 minutes for an urgent alert); None: the
    district's (`INSTRUCTION_SIGN_OFF_MINUTES`)."""
    if sign_off_within is not None and sign_off_within <= timedelta(0):
        raise ValueError("sign_off_within must be positive")
    if actor is not None and not policy.may_issue_directly(actor, kind):
        raise PermissionDenied
    if not kinds.is_registered(kind):
        raise ValidationError({"kind": [_("Unknown kind of instruction.")]})
    if station is None:
        raise ValidationError({"station": [_("An instruction needs a station.")]})
    now = now or timezone.now()
    instruction = Instruction(
        kind=kind,
        station=station,
        answer_sheet=current_sheet(sheet),
        note=note.strip(),
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=now,
        sign_off_due=now + deadlines.sign_off_window(sign_off_within),
        due_by=due_by,
    )
    instruction.sign_off_remind_at = deadlines.sign_off_remind_at(now, instruction.sign_off_due)
    instruction.full_clean(exclude=["answer_sheet", "station", "issued_by"])
    instruction.save()
    if subject is not None:
        subject(instruction)
    start_milestones(instruction, "issued", now)
    _record(instruction, E.ISSUED, actor=actor, at=now, note=instruction.note, due_at=instruction.sign_off_due)
    recipients = Recipients.load([station.pk])
    send((Notice(u, N.NEW_INSTRUCTION, instruction.pk) for u in recipients.command_room[station.pk]), now=now)
    return instruction


@transaction.atomic
def instruction_issue_assigned(
    *,
    kind: str,
    actor: Any,
    officer: Officer,
    answer_sheet: AnswerSheet,
    feedback_due: datetime,
    note: str = "",
    issued_by: Any = None,
    now: datetime | None = None,
) -> Instruction:
    """Issue an instruction straight to an officer (a standard task): no sign-off; the feedback clock
    runs from now. `actor` None is the system (the recurrence job), acting for `issued_by`."""
    if actor is not None and not policy.may_issue(actor, kind):
        raise PermissionDenied
    if officer.station_id is None or not officer.is_active:
        raise ValidationError({"officer": [_("Choose an active officer of a station.")]})
    now = now or timezone.now()
    issuer = issued_by or actor
    instruction = Instruction(
        kind=kind,
        status=S.ASSIGNED,
        station_id=officer.station_id,
        officer=officer,
        answer_sheet=answer_sheet,
        note=note.strip()[:2000],
        issued_by=issuer if getattr(issuer, "pk", None) else None,
        issued_at=now,
        sign_off_due=now,
        signed_at=now,
        sign_off_late=False,
        sign_off_late_minutes=0,
        feedback_due=feedback_due,
        feedback_remind_at=deadlines.feedback_remind_at(now, feedback_due),
    )
    instruction.save()
    start_milestones(instruction, "issued", now)  # issued and signed off in one step
    start_milestones(instruction, "signed_off", now)
    _record(instruction, E.ISSUED, actor=actor, at=now, note=instruction.note, due_at=feedback_due)
    send([Notice(officer.user_id, N.ASSIGNED, instruction.pk)], now=now)
    return instruction


@transaction.atomic
def instruction_sign_off(
    *, instruction: Instruction | int, actor: Any, officer: Officer | None, now: datetime | None = None
) -> Instruction:
    """The command room signs for the instruction and hands it to an officer of the station, in one step.

    `officer` None (no such username) gets the same answer as an officer of another station: whether a
    username exists is not told outside its station."""
    instruction = _locked(instruction, actor, "sign_off")
    transition = check(instruction, "sign_off")
    if (
        officer is None
        or officer.station_id != instruction.station_id
        or officer.role not in policy.assignable_roles()
        or not officer.is_active
    ):
        raise ValidationError({"officer": [_("Choose an active officer of this station.")]})
    now = now or timezone.now()
    late = deadlines.minutes_late(instruction.sign_off_due, now)
    from_status = instruction.status
    instruction.status = transition.target
    instruction.officer = officer
    instruction.signed_at = now
    instruction.signed_by = actor
    instruction.sign_off_late = late > 0
    instruction.sign_off_late_minutes = late
    instruction.feedback_due = instruction.due_by or now + deadlines.feedback_window(_window(instruction))
    instruction.feedback_remind_at = deadlines.feedback_remind_at(now, instruction.feedback_due)
    fields = ["status", "officer", "signed_at", "signed_by", "sign_off_late", "sign_off_late_minutes"]
    fields += ["feedback_due", "feedback_remind_at"]
    if late and instruction.sign_off_breached_at is None:
        # Overdue before any sweep noticed (e.g. the worker was down): record the breach, at its deadline.
        instruction.sign_off_breached_at = instruction.sign_off_due
        fields.append("sign_off_breached_at")
        due = instruction.sign_off_due
        _record(instruction, E.SIGN_OFF_OVERDUE, actor=None, at=due, due_at=due)
    instruction.save(update_fields=fields)
    start_milestones(instruction, "signed_off", now)
    _record(
        instruction,
        E.SIGNED_OFF,
        actor=actor,
        at=now,
        from_status=from_status,
        due_at=instruction.feedback_due,
        officer=officer.user.username,
        minutes_late=late,
    )
    settle(instruction.pk, (N.NEW_INSTRUCTION, N.SIGN_OFF_REMINDER, N.SIGN_OFF_OVERDUE), now=now)
    send([Notice(officer.user_id, N.ASSIGNED, instruction.pk)], now=now)
    return instruction


@transaction.atomic
def instruction_sign_off_to_several(
    *, instruction: Instruction | int, actor: Any, officers: list[Officer], now: datetime | None = None
) -> list[Instruction]:
    """One case, several officers (two families in two communities): the command room signs the instruction
    off to the first officer and gives each other officer a sibling instruction of his own, with its own
    feedback clock, linked to the first as one case. Returns the instructions, the signed one first."""
    officers = list(dict.fromkeys(officers))
    if not officers:
        raise ValidationError({"officers": [_("Choose at least one officer.")]})
    now = now or timezone.now()
    first = instruction_sign_off(instruction=instruction, actor=actor, officer=officers[0], now=now)
    siblings = [instruction_add_sibling(instruction=first, actor=actor, officer=o, now=now) for o in officers[1:]]
    if siblings:
        first.case_id = siblings[0].case_id
    return [first, *siblings]


@transaction.atomic
def instruction_add_sibling(
    *, instruction: Instruction | int, actor: Any, officer: Officer, now: datetime | None = None
) -> Instruction:
    """A sibling of an open, assigned instruction for another officer of the station: the same subject (its
    kind copies it, `hooks.on_sibling`), sheet and note, its own feedback clock from now, linked to the case
    (the first instruction)."""
    pk = instruction.pk if isinstance(instruction, Instruction) else instruction
    # The command room of the station may add an officer to a case it signed off.
    source = (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("station", *kinds.terms_related())
        .filter(policy.actionable(actor, "sign_off"))
        .get(pk=pk)
    )
    if source.status not in Instruction.FEEDBACK_OPEN and source.status != S.FEEDBACK_SUBMITTED:
        raise ValidationError({"instruction": [_("Only an instruction being worked on can get a sibling.")]})
    if (
        officer.station_id != source.station_id
        or officer.role not in policy.assignable_roles()
        or not officer.is_active
    ):
        raise ValidationError({"officers": [_("Choose active officers of this station.")]})
    case_id = source.case_id or source.pk
    if Instruction.objects.filter(Q(pk=case_id) | Q(case_id=case_id), officer=officer).open().exists():
        raise ValidationError({"officers": [_("%(name)s already has this case.") % {"name": officer.name}]})
    now = now or timezone.now()
    if source.case_id is None:
        source.case_id = source.pk
        source.save(update_fields=["case"])
    sibling = Instruction(
        kind=source.kind,
        status=S.ASSIGNED,
        station_id=source.station_id,
        answer_sheet_id=source.answer_sheet_id,
        note=source.note,
        officer=officer,
        issued_by_id=source.issued_by_id,
        issued_at=now,
        sign_off_due=now,
        signed_at=now,
        signed_by=actor if getattr(actor, "pk", None) else None,
        sign_off_late=False,
        sign_off_late_minutes=0,
        due_by=source.due_by,
        feedback_due=source.due_by or now + deadlines.feedback_window(_window(source)),
        case_id=case_id,
    )
    sibling.feedback_remind_at = deadlines.feedback_remind_at(now, cast(datetime, sibling.feedback_due))
    sibling.save()
    hooks.sibling_added(source, sibling)
    start_milestones(sibling, "signed_off", now)
    _record(sibling, E.ISSUED, actor=actor, at=now, note=sibling.note, due_at=sibling.feedback_due, case=case_id)
    _record(
        sibling,
        E.SIGNED_OFF,
        actor=actor,
        at=now,
        from_status=S.ISSUED,
        due_at=sibling.feedback_due,
        officer=officer.user.username,
        minutes_late=0,
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the district's language
        note = _("Also assigned to %(name)s as #%(pk)d (one case).") % {"name": officer.name, "pk": sibling.pk}
    _record(source, E.NOTE, actor=actor, at=now, note=note)
    send([Notice(officer.user_id, N.ASSIGNED, sibling.pk)], now=now)
    return sibling


@transaction.atomic
def instruction_submit_feedback(
    *, instruction: Instruction | int, actor: Any, answers: Any, now: datetime | None = None
) -> Instruction:
    """The assigned officer answers the instruction's sheet."""
    instruction = _locked(instruction, actor, "submit_feedback")
    transition = check(instruction, "submit_feedback")
    cleaned = validate_answers(instruction.answer_sheet.fields, answers)  # raises InvalidAnswers
    now = now or timezone.now()
    due = cast(datetime, instruction.feedback_due)  # set on assignment
    late = deadlines.minutes_late(due, now)
    from_status = instruction.status
    instruction.status = transition.target
    instruction.answers = cleaned
    instruction.feedback_at = now
    instruction.feedback_late = late > 0
    instruction.feedback_late_minutes = late
    fields = ["status", "answers", "feedback_at", "feedback_late", "feedback_late_minutes"]
    if late and instruction.feedback_breached_at is None:
        instruction.feedback_breached_at = due
        fields.append("feedback_breached_at")
        _record(instruction, E.FEEDBACK_OVERDUE, actor=None, at=due, due_at=due)
    instruction.save(update_fields=fields)
    _record(instruction, E.FEEDBACK, actor=actor, at=now, from_status=from_status, minutes_late=late, answers=cleaned)
    recipients = Recipients.load([instruction.station_id])
    kind = kinds.get(instruction.kind)
    reviewers = kind.reviewers(instruction, recipients) if kind.reviewers is not None else []
    reviewers = reviewers or recipients.center_for(instruction.issued_by_id)
    settle(instruction.pk, (N.ASSIGNED, N.RETURNED, N.FEEDBACK_REMINDER, N.FEEDBACK_OVERDUE, N.NOTE), now=now)
    send((Notice(u, N.FEEDBACK, instruction.pk) for u in reviewers), now=now)
    return instruction


@transaction.atomic
def instruction_accept(
    *, instruction: Instruction | int, actor: Any, note: str = "", now: datetime | None = None
) -> Instruction:
    instruction = _locked(instruction, actor, "accept")
    transition = check(instruction, "accept")
    now = now or timezone.now()
    from_status = instruction.status
    instruction.status = transition.target
    instruction.closed_at = now
    instruction.save(update_fields=["status", "closed_at"])
    _record(instruction, E.ACCEPTED, actor=actor, at=now, from_status=from_status, note=note.strip())
    hooks.closed(instruction, actor, now)
    settle(instruction.pk, (N.FEEDBACK, N.MILESTONE_REMINDER, N.MILESTONE_OVERDUE), now=now)
    send([Notice(instruction.officer.user_id, N.CLOSED, instruction.pk)], now=now)  # type: ignore[union-attr]
    return instruction


@transaction.atomic
def instruction_return(
    *, instruction: Instruction | int, actor: Any, comment: str, now: datetime | None = None
) -> Instruction:
    """Send the feedback back to the officer with a comment and a new feedback deadline."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what is missing.")]})
    instruction = _locked(instruction, actor, "return")
    transition = check(instruction, "return")
    now = now or timezone.now()
    from_status = instruction.status
    instruction.status = transition.target
    instruction.return_count += 1
    instruction.feedback_due = now + deadlines.return_window(_window(instruction))
    instruction.feedback_remind_at = deadlines.feedback_remind_at(now, instruction.feedback_due)
    instruction.feedback_reminded_at = None
    instruction.feedback_breached_at = None
    instruction.save(
        update_fields=[
            "status",
            "return_count",
            "feedback_due",
            "feedback_remind_at",
            "feedback_reminded_at",
            "feedback_breached_at",
        ]
    )
    _record(
        instruction,
        E.RETURNED,
        actor=actor,
        at=now,
        from_status=from_status,
        note=comment.strip(),
        due_at=instruction.feedback_due,
    )
    settle(instruction.pk, (N.FEEDBACK,), now=now)
    officer_user = instruction.officer.user_id  # type: ignore[union-attr]  # feedback implies an officer
    send([Notice(officer_user, N.RETURNED, instruction.pk, {"comment": comment.strip()})], now=now)
    return instruction


@transaction.atomic
def instruction_cancel(
    *, instruction: Instruction | int, actor: Any, reason: str, now: datetime | None = None
) -> Instruction:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
    instruction = _locked(instruction, actor, "cancel")
    transition = check(instruction, "cancel")
    now = now or timezone.now()
    from_status = instruction.status
    instruction.status = transition.target
    instruction.closed_at = now
    instruction.save(update_fields=["status", "closed_at"])
    _record(instruction, E.CANCELLED, actor=actor, at=now, from_status=from_status, note=reason.strip())
    settle(instruction.pk, [k for k in N.values if k not in (N.CLOSED, N.CANCELLED, N.REPORT)], now=now)
    if instruction.officer is not None:
        told = [instruction.officer.user_id]
    else:
        told = Recipients.load([instruction.station_id]).command_room[instruction.station_id]
    send((Notice(u, N.CANCELLED, instruction.pk, {"reason": reason.strip()}) for u in told), now=now)
    return instruction


@transaction.atomic
def instruction_milestone_done(
    *, instruction: Instruction | int, actor: Any, name: str, now: datetime | None = None
) -> InstructionMilestone:
    """The assigned officer has done a milestone of his instruction (e.g. replied his plan): recorded once,
    with its lateness; a second call changes nothing. Anyone else, or a milestone the instruction does not
    have, gets DoesNotExist (a 404). `actor` None is the kind's own flow acting for the officer."""
    if actor is None:
        pk = instruction.pk if isinstance(instruction, Instruction) else instruction
        instruction = Instruction.objects.select_for_update(of=("self",)).select_related("station").get(pk=pk)
    else:
        instruction = _locked(instruction, actor, "submit_feedback")
    try:
        milestone = InstructionMilestone.objects.select_for_update().get(instruction=instruction, name=name)
    except InstructionMilestone.DoesNotExist:
        raise Instruction.DoesNotExist from None
    if milestone.done_at is not None:
        return milestone
    if not instruction.is_open:
        raise ValidationError({"milestone": [_("The instruction is no longer open.")]})
    now = now or timezone.now()
    late = deadlines.minutes_late(milestone.due_at, now)
    milestone.done_at, milestone.late_minutes = now, late
    fields = ["done_at", "late_minutes"]
    if late and milestone.breached_at is None:
        # Overdue before any sweep noticed: the breach is recorded once, at its deadline.
        milestone.breached_at = milestone.due_at
        fields.append("breached_at")
        _record(
            instruction, E.MILESTONE_OVERDUE, actor=None, at=milestone.due_at, due_at=milestone.due_at, milestone=name
        )
    milestone.save(update_fields=fields)
    _record(
        instruction, E.MILESTONE_DONE, actor=actor, at=now, due_at=milestone.due_at, milestone=name, minutes_late=late
    )
    Notification.objects.filter(
        instruction_id=instruction.pk,
        kind__in=(N.MILESTONE_REMINDER, N.MILESTONE_OVERDUE),
        payload__milestone=name,
        read_at__isnull=True,
    ).update(read_at=now)
    return milestone


def instruction_add_note(
    *, instruction: Instruction, actor: Any, note: str, notify_officer: bool = True, now: datetime | None = None
) -> InstructionEvent:
    """Add a line to an open instruction's timeline (e.g. "the caller called again"), telling its officer."""
    now = now or timezone.now()
    event = _record(instruction, E.NOTE, actor=actor, at=now, note=note.strip())
    if notify_officer and instruction.officer_id and instruction.is_open:
        send([Notice(instruction.officer.user_id, N.NOTE, instruction.pk, {"note": note.strip()})], now=now)  # type: ignore[union-attr]
    return event


def notification_mark_read(*, notification: Notification, now: datetime | None = None) -> Notification:
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_for(*, user: Any, instruction_id: int, now: datetime | None = None) -> int:
    """The user opened the instruction: his notices about it are read."""
    return Notification.objects.filter(recipient=user, instruction_id=instruction_id, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def notifications_read_kind(*, user: Any, kind: str, now: datetime | None = None) -> int:
    """The user has the objects of these notices before him (e.g. the area's pushes): they are read."""
    return Notification.objects.filter(recipient=user, kind=kind, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def notifications_mark_all_read(*, user: Any, now: datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())
