"""The supervision post (监督检查岗): spot checks of feedback quality, and rectifications ordered to a
station through the dispatch engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stations import permissions
from stations.models import Station
from tasks.models import Instruction
from tasks.services import instruction_add_note, instruction_issue

from .kinds import RECTIFICATION
from .models import Rectification, SpotCheck

CANDIDATES = 40


def may_inspect(user: Any) -> bool:
    """Inspectors are the supervisors (and superusers)."""
    return permissions.is_supervisor(user)


def candidates(*, station: Station | None = None) -> QuerySet[Instruction]:
    """Instructions with feedback, newest feedback first, with how often they were checked already."""
    qs = Instruction.objects.filter(feedback_at__isnull=False).exclude(kind=RECTIFICATION)
    if station is not None:
        qs = qs.filter(station=station)
    return (
        qs.select_related("station", "officer", "dispatch__incident", "dispatch__category")
        .annotate(checks=Count("spot_checks"))
        .order_by("-feedback_at", "-pk")[:CANDIDATES]
    )


def recent_checks(limit: int = 20) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.select_related("instruction__station", "inspector__officer").order_by("-at", "-pk")[:limit]


def open_rectifications() -> QuerySet[Rectification]:
    return (
        Rectification.objects.filter(instruction__status__in=Instruction.OPEN_STATUSES)
        .select_related("instruction__station", "issued_by", "spot_check")
        .order_by("instruction__station__kind", "instruction__station__code", "due_at", "pk")
    )


@transaction.atomic
def spot_check_record(
    *, instruction: Instruction, inspector: Any, adequate: bool, findings: str = "", now: datetime | None = None
) -> SpotCheck:
    """Record the inspector's judgement of one instruction's feedback, and note it on the instruction's timeline."""
    if not may_inspect(inspector):
        raise PermissionDenied
    if instruction.feedback_at is None:
        raise ValidationError({"instruction": [_("Only an instruction with feedback can be spot-checked.")]})
    findings = (findings or "").strip()
    if not adequate and not findings:
        raise ValidationError({"findings": [_("Say what is wrong with the feedback.")]})
    now = now or timezone.now()
    check = SpotCheck(instruction=instruction, inspector=inspector, adequate=adequate, findings=findings, at=now)
    check.full_clean(exclude=["instruction", "inspector"])
    check.save()
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the district's language
        verdict = _("Spot check: feedback adequate.") if adequate else _("Spot check: feedback inadequate.")
    note = f"{verdict} {findings}".strip()
    instruction_add_note(instruction=instruction, actor=inspector, note=note, notify_officer=False, now=now)
    return check


@transaction.atomic
def rectification_issue(
    *,
    station: Station,
    inspector: Any,
    note: str,
    due_at: datetime,
    spot_check: SpotCheck | None = None,
    now: datetime | None = None,
) -> Rectification:
    """Order a station to rectify by a deadline: a `rectification` instruction of the dispatch engine
    (signed off and answered like any other), and the supervisor's deadline beside it."""
    if not may_inspect(inspector):
        raise PermissionDenied
    now = now or timezone.now()
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = [_("Say what must be rectified.")]
    if due_at is None or due_at <= now:
        errors["due_at"] = [_("The deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Rectify by %(due)s: %(note)s") % {
            "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
            "note": note,
        }
    instruction = instruction_issue(
        kind=RECTIFICATION, actor=inspector, station=station, note=text, due_by=due_at, now=now
    )
    return Rectification.objects.create(
        instruction=instruction, due_at=due_at, issued_by=inspector, spot_check=spot_check
    )
