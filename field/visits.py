"""One visit, one sheet (no 多头反馈): when an officer holds several open items about the same incident or the
same person (a dispute instruction and the revisit of its incident; calls of one repeat group, one caller),
the phone offers one combined sheet, answered once, feeding each item.

- Items belong together when their incidents are the same, share a repeat group (same caller or same place,
  as the disputes app links them) or share the caller's normalised phone. Standard tasks have their own
  combined sheet (by target, `standard.combined_sheet`) and are left out here.
- A visit is named by the lowest incident id in it (`incident-<id>`): stable while its items are open.
- The sheet is the standard tasks' mechanism (`combining.merge`, `combining.submit`): shared questions asked
  once, every error reported at once, each instruction's feedback through the engine's verb, all in one
  transaction. The officer confirms which items he answers (`expected`): if they changed meanwhile (a new
  revisit arrived, one was answered elsewhere), nothing is stored and the sheet is shown again.
- Answering twice stores nothing twice: items already answered are no longer open, so they are not on the
  sheet; the engine's verb refuses an item that no longer takes feedback (row lock and transition check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.selectors import incident_of, repeat_links_of
from standard.kinds import STANDARD_TASK
from stations.models import Officer
from stations.scoping import scope_of
from tasks import combining
from tasks.answer_sheets import InvalidAnswers
from tasks.models import Instruction

KEY_PREFIX = "incident-"


@dataclass
class VisitItem:
    instruction: Instruction
    names: dict[str, str] = field(default_factory=dict)

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.instruction.answer_sheet.fields

    @property
    def label(self) -> str:
        link = self.instruction.dispatch  # type: ignore[attr-defined]  (items about an incident)
        category = link.category.name if link.category else ""
        return " ".join(p for p in (self.instruction.get_kind_display(), category, f"#{self.instruction.pk}") if p)


@dataclass
class Visit:
    key: str
    label: str  # the address of its first incident
    items: list[VisitItem]
    fields: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pks(self) -> list[int]:
        return [i.instruction.pk for i in self.items]


def _open_items(officer: Officer) -> list[Instruction]:
    """The officer's items waiting for an answer that are about an incident, oldest first (the lock order)."""
    return list(
        Instruction.objects.filter(
            officer=officer, status__in=Instruction.FEEDBACK_OPEN, dispatch__incident__isnull=False
        )
        .exclude(kind=STANDARD_TASK)
        .select_related("dispatch__incident", "dispatch__category", "answer_sheet")
        .order_by("pk")
    )


def visits_of(officer: Officer) -> list[Visit]:
    """The officer's open items grouped by visit; only visits of two items or more (two queries)."""
    items = _open_items(officer)
    if len(items) < 2:
        return []
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    for item in items:
        node = f"i{item.dispatch.incident_id}"
        root(node)
        phone = item.dispatch.incident.caller_phone_norm  # type: ignore[union-attr]  (incident__isnull=False)
        if phone:
            join(node, f"p{phone}")
    for group_id, incident_id in repeat_links_of(sorted({i.dispatch.incident_id for i in items})):  # type: ignore[misc]
        join(f"i{incident_id}", f"g{group_id}")
    grouped: dict[str, list[Instruction]] = {}
    for item in items:
        grouped.setdefault(root(f"i{item.dispatch.incident_id}"), []).append(item)
    visits = []
    for members in grouped.values():
        if len(members) < 2:
            continue
        first = min(members, key=lambda i: i.dispatch.incident_id)  # type: ignore[arg-type, return-value]
        visits.append(
            Visit(
                f"{KEY_PREFIX}{first.dispatch.incident_id}",
                first.dispatch.incident.address,
                [VisitItem(i) for i in members],
            )  # type: ignore[union-attr]
        )
    return sorted(visits, key=lambda v: min(i.instruction.feedback_due or timezone.now() for i in v.items))


def visit_of(instruction: Instruction) -> Visit | None:
    """The visit an item is part of, if it shares one with other open items of its officer."""
    if instruction.officer is None or incident_of(instruction) is None:
        return None
    return next((v for v in visits_of(instruction.officer) if instruction.pk in v.pks), None)


def visit_sheet(officer: Officer, key: str) -> Visit:
    """One sheet for the visit named `key`. Raises Instruction.DoesNotExist if it has nothing left to answer."""
    visit = next((v for v in visits_of(officer) if v.key == key), None)
    if visit is None:
        raise Instruction.DoesNotExist
    visit.fields = combining.merge(visit.items, lambda item: item.label)
    return visit


def visit_submit(
    *, actor: Any, key: str, answers: Any, expected: list[int] | None = None, now: datetime | None = None
) -> list[Instruction]:
    """Answer all the items of one visit at once: each gets the answers to its own questions through the
    engine's feedback verb, in one transaction (all or none)."""
    officer = scope_of(actor).officer
    if officer is None:
        raise Instruction.DoesNotExist
    now = now or timezone.now()
    with transaction.atomic():
        visit = visit_sheet(officer, key)
        if expected is not None and sorted(expected) != sorted(visit.pks):
            raise InvalidAnswers({"answers": [_("The items of this visit changed: check them and send again.")]})
        return combining.submit(visit.items, visit.fields, actor=actor, answers=answers, now=now)
