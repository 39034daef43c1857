"""The district center's writes: the daily selection, its review and its dispatch, ad hoc dispatch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.time import day_at, day_bounds, local, yesterday
from disputes.kinds import DISPUTE
from disputes.models import Incident, RepeatRule
from disputes.selectors import open_instruction_for
from disputes.services import issue_about
from tasks import policy as task_policy

from .models import Selection, SelectionEvent, SelectionItem, SelectionPolicy
from .scoring import SELECTION_FIELDS, choose, explain, score


def _clock(setting: str) -> dt.time:
    return dt.time.fromisoformat(getattr(settings, setting))


def may_act(user: Any) -> bool:
    """Center staff run, review and dispatch the selection; other district roles only look."""
    return task_policy.may_issue(user)


def _require_center(actor: Any) -> None:
    if actor is not None and not task_policy.may_issue(actor):
        raise PermissionDenied


def dispatch_due_for(day: dt.date, now: dt.datetime) -> dt.datetime:
    """The next morning at SELECTION_DISPATCH_BY, and never less than an hour after the proposal."""
    due = day_at(day + dt.timedelta(days=1), _clock("SELECTION_DISPATCH_BY"))
    return max(due, now + dt.timedelta(hours=1))


def candidates(day: dt.date) -> QuerySet[Incident]:
    """The day's non-criminal dispute incidents."""
    start, end = day_bounds(day)
    return Incident.objects.filter(
        received_at__gte=start, received_at__lt=end, category__is_dispute=True, category__is_criminal=False
    )


def selection_run(*, day: dt.date, actor: Any = None, now: dt.datetime | None = None) -> Selection:
    """The selection of `day`: made now if there is none, otherwise the one already made."""
    _require_center(actor)
    existing = Selection.objects.filter(date=day).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    policy = SelectionPolicy.current()
    window = RepeatRule.current().window_days
    rows = list(candidates(day).values(*SELECTION_FIELDS))
    chosen = choose([score(r, policy) for r in rows], policy)
    try:
        with transaction.atomic():
            selection = Selection.objects.create(
                date=day,
                created_at=now,
                created_by=actor if getattr(actor, "pk", None) else None,
                dispatch_due=dispatch_due_for(day, now),
                candidates=len(rows),
                policy={
                    "min_items": policy.min_items,
                    "max_items": policy.max_items,
                    "threshold": str(policy.threshold),
                },
            )
            SelectionItem.objects.bulk_create(
                SelectionItem(
                    selection=selection,
                    incident_id=s.incident_id,
                    score=s.score,
                    reasons=explain(s.row, policy, window_days=window),
                    rank=i,
                )
                for i, s in enumerate(chosen, start=1)
            )
            with translation.override(settings.LANGUAGE_CODE):
                note = _("%(n)d of %(total)d incidents proposed.") % {"n": len(chosen), "total": len(rows)}
            SelectionEvent.objects.create(
                selection=selection, at=now, actor=selection.created_by, kind=SelectionEvent.Kind.PROPOSED, note=note
            )
    except IntegrityError:  # another run made it a moment ago
        return Selection.objects.get(date=day)
    return selection


def _locked(selection: Selection) -> Selection:
    return Selection.objects.select_for_update().get(pk=selection.pk)


@transaction.atomic
def selection_add(
    *, selection: Selection, incident: Incident, actor: Any, reason: str, now: dt.datetime | None = None
) -> SelectionItem:
    """Add any incident to the day's list, with a reason."""
    _require_center(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why this incident is added.")]})
    selection = _locked(selection)
    now = now or timezone.now()
    item = SelectionItem.objects.filter(selection=selection, incident=incident).first()
    if item is not None and item.included:
        raise ValidationError({"incident": [_("This incident is already on the list.")]})
    policy = SelectionPolicy.current()
    row = Incident.objects.filter(pk=incident.pk).values(*SELECTION_FIELDS).get()
    scored = score(row, policy)
    with translation.override(settings.LANGUAGE_CODE):
        added = _("Added by hand: %(reason)s") % {"reason": reason.strip()}
    reasons = [added, *explain(row, policy, window_days=RepeatRule.current().window_days)]
    if item is None:
        last = selection.items.order_by("-rank").values_list("rank", flat=True).first() or 0
        item = SelectionItem.objects.create(
            selection=selection,
            incident=incident,
            score=scored.score,
            reasons=reasons,
            rank=last + 1,
            added_by_hand=True,
        )
    else:
        item.included, item.reasons = True, reasons
        item.save(update_fields=["included", "reasons"])
    SelectionEvent.objects.create(
        selection=selection, at=now, actor=actor, kind=SelectionEvent.Kind.ADDED, incident=incident, note=reason.strip()
    )
    return item


@transaction.atomic
def selection_remove(
    *, selection: Selection, incident: Incident, actor: Any, reason: str, now: dt.datetime | None = None
) -> SelectionItem:
    """Take an incident off the day's list, with a reason (before it is dispatched)."""
    _require_center(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why this incident is removed.")]})
    selection = _locked(selection)
    item = SelectionItem.objects.filter(selection=selection, incident=incident, included=True).first()
    if item is None:
        raise ValidationError({"incident": [_("This incident is not on the list.")]})
    if item.instruction_id:
        raise ValidationError(
            {"incident": [_("This incident was dispatched already: cancel its instruction instead.")]}
        )
    item.included = False
    item.save(update_fields=["included"])
    SelectionEvent.objects.create(
        selection=selection,
        at=now or timezone.now(),
        actor=actor,
        kind=SelectionEvent.Kind.REMOVED,
        incident=incident,
        note=reason.strip(),
    )
    return item


def task_text(incident: Incident, day: dt.date) -> str:
    """What the officer is asked to do, in words: the selection's scoring reasons (category weights, hand
    additions) stay on the selection item for the center's pages and are not the officer's task."""
    return _(
        "Key dispute of %(date)s: check the %(category)s at %(address)s (call %(number)s) in person, "
        "settle what can be settled and visit the parties again."
    ) % {
        "date": day.isoformat(),
        "category": incident.category.name,
        "address": incident.address,
        "number": incident.number,
    }


@transaction.atomic
@translation.override(settings.LANGUAGE_CODE)  # notes it stores are in the district's language
def selection_dispatch(
    *, selection: Selection, actor: Any = None, auto: bool = False, now: dt.datetime | None = None
) -> Selection:
    """Issue one dispute instruction per included item that has none yet; again: nothing twice."""
    _require_center(actor)
    selection = _locked(selection)
    now = now or timezone.now()
    issued = 0
    for item in selection.items.filter(included=True, instruction__isnull=True).select_related(
        "incident__station", "incident__category"
    ):
        instruction = open_instruction_for(item.incident_id, DISPUTE)
        if instruction is None:
            instruction = issue_about(
                kind=DISPUTE,
                incident=item.incident,
                actor=actor,
                note=task_text(item.incident, selection.date),
                now=now,
            )
            issued += 1
        item.instruction = instruction
        item.save(update_fields=["instruction"])
    if selection.status != Selection.Status.DISPATCHED:
        selection.status = Selection.Status.DISPATCHED
        selection.dispatched_at = now
        selection.dispatched_by = actor if getattr(actor, "pk", None) else None
        selection.auto_dispatched = auto
        selection.save(update_fields=["status", "dispatched_at", "dispatched_by", "auto_dispatched"])
    if issued or not selection.events.filter(kind=SelectionEvent.Kind.DISPATCHED).exists():
        note = _("Dispatched automatically at the deadline.") if auto else ""
        SelectionEvent.objects.create(
            selection=selection,
            at=now,
            actor=actor if getattr(actor, "pk", None) else None,
            kind=SelectionEvent.Kind.DISPATCHED,
            note=(note + " " + _("%(n)d instructions issued.") % {"n": issued}).strip(),
        )
    return selection


def selection_clock(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Run every minute by beat: make the day's selection once its time has come (catching up a
    missed run), and dispatch every proposal whose deadline has passed, each once."""
    now = now or timezone.now()
    made = None
    if local(now).time() >= _clock("SELECTION_RUN_AT"):
        day = yesterday(now)
        if not Selection.objects.filter(date=day).exists():
            made = selection_run(day=day, now=now)
    dispatched = []
    for selection in Selection.objects.filter(status=Selection.Status.PROPOSED, dispatch_due__lte=now).order_by("date"):
        with transaction.atomic():
            if Selection.objects.filter(pk=selection.pk, status=Selection.Status.PROPOSED).select_for_update().exists():
                selection_dispatch(selection=selection, auto=True, now=now)
                dispatched.append(selection.date)
    return {"made": made.date if made else None, "auto_dispatched": dispatched}
