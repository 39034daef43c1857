"""The combined answer sheet of standard tasks: an officer's open items for one target on one sheet,
shared questions (same name, type and choices) asked once (`tasks.combining`); on submit each item's
answers go through the engine's feedback verb."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from stations.models import Officer
from stations.scoping import scope_of
from tasks import combining
from tasks.models import Instruction

from .models import StandardTaskOccurrence


@dataclass
class CombinedItem:
    occurrence: StandardTaskOccurrence
    names: dict[str, str] = field(default_factory=dict)  # the item's field name -> the combined sheet's

    @property
    def instruction(self) -> Instruction:
        return self.occurrence.instruction

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.occurrence.instruction.answer_sheet.fields


@dataclass
class CombinedSheet:
    target_key: str
    target_label: str
    items: list[CombinedItem]
    fields: list[dict[str, Any]]  # each with "shared_by": how many items it answers


def open_items(officer: Officer) -> QuerySet[StandardTaskOccurrence]:
    """The officer's standard-task items waiting for an answer, oldest instruction first (the lock order)."""
    return (
        StandardTaskOccurrence.objects.filter(
            officer=officer,
            instruction__status__in=Instruction.FEEDBACK_OPEN,
        )
        .select_related("instruction__answer_sheet", "version__lead_department", "task")
        .order_by("instruction_id")
    )


def combined_targets(officer: Officer) -> list[dict[str, Any]]:
    """The officer's targets with open items: where the inbox can offer one sheet for several items."""
    found: dict[str, dict[str, Any]] = {}
    for occurrence in open_items(officer):
        entry = found.setdefault(
            occurrence.target_key, {"key": occurrence.target_key, "label": occurrence.target_label, "items": 0}
        )
        entry["items"] += 1
    return list(found.values())


def combined_sheet(officer: Officer, target_key: str) -> CombinedSheet:
    """One sheet for all the officer's open items of one target. Raises Instruction.DoesNotExist if none."""
    items = [CombinedItem(o) for o in open_items(officer).filter(target_key=target_key)]
    if not items:
        raise Instruction.DoesNotExist
    fields = combining.merge(items, lambda item: item.occurrence.version.name)
    first = items[0].occurrence
    return CombinedSheet(target_key, first.target_label, items, fields)


def combined_submit(*, actor: Any, target_key: str, answers: Any, now: datetime | None = None) -> list[Instruction]:
    """Answer all of an officer's open items of one target at once: each item stores the answers to its
    own questions, through the engine's feedback verb, in one transaction (all or none)."""
    officer = scope_of(actor).officer
    if officer is None:
        raise Instruction.DoesNotExist
    now = now or timezone.now()
    with transaction.atomic():
        sheet = combined_sheet(officer, target_key)
        return combining.submit(sheet.items, sheet.fields, actor=actor, answers=answers, now=now)
