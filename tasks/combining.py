"""One sheet for several instructions: the mechanism behind the standard tasks' combined sheet
(`standard.combined.combined_sheet`) and the phone's one-visit sheet (`field/visits.py`).

- Merging: a question asked by several items (same name, type and choices) is asked once; the same name asked
  two ways is asked for each item alone, under a name of its own (`<name>__<instruction id>`), labelled with
  the item it belongs to.
- Submitting: every item's answers are checked first and all the errors are reported together (keyed by the
  combined sheet's names); only then does each item get its feedback through the engine's verb
  (`services.instruction_submit_feedback`), inside the caller's transaction: all or none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from django.utils.translation import gettext as _

from . import services
from .answer_sheets import InvalidAnswers, validate_answers
from .models import Instruction


class Part(Protocol):
    """One item of a combined sheet: its instruction, its sheet's questions, and where each goes."""

    names: dict[str, str]  # the item's question name -> the combined sheet's

    @property
    def instruction(self) -> Instruction: ...

    @property
    def fields(self) -> list[dict[str, Any]]: ...


def _signature(question: dict[str, Any]) -> tuple[Any, ...]:
    return question["type"], tuple(str(c["value"]) for c in question.get("choices", []))


def merge(parts: Sequence[Part], label_of: Callable[[Any], str]) -> list[dict[str, Any]]:
    """The combined sheet's questions (each with "shared_by": how many items it answers); fills each part's
    `names`. `label_of(part)` names the item when one of its questions has to be asked for it alone."""
    signatures: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for part in parts:
        for question in part.fields:
            signatures[question["name"]].add(_signature(question))
    fields: dict[str, dict[str, Any]] = {}
    for part in parts:
        for question in part.fields:
            name = question["name"]
            combined = name if len(signatures[name]) == 1 else f"{name}__{part.instruction.pk}"
            part.names[name] = combined
            if combined in fields:
                fields[combined]["required"] = fields[combined]["required"] or bool(question.get("required"))
                fields[combined]["shared_by"] += 1
            else:
                label = question["label"]
                if combined != name:
                    label = f"{label}（{label_of(part)}）"
                fields[combined] = {
                    **question,
                    "name": combined,
                    "label": label,
                    "required": bool(question.get("required")),
                    "choices": question.get("choices", []),
                    "shared_by": 1,
                }
    return list(fields.values())


def submit(
    parts: Sequence[Part], fields: list[dict[str, Any]], *, actor: Any, answers: Any, now: datetime
) -> list[Instruction]:
    """Check every item's answers (all errors at once), then give each item its feedback. Call it inside a
    transaction that holds the items (the engine's verb locks each row and checks it still takes feedback)."""
    if not isinstance(answers, dict):
        raise InvalidAnswers({"answers": [_("Answers must be an object keyed by item name.")]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(answers) - {f["name"] for f in fields})
    if unknown:
        errors["answers"] = [_("Unknown items: %(names)s.") % {"names": ", ".join(unknown)}]
    plans = []
    for part in parts:
        own = {name: answers[combined] for name, combined in part.names.items() if combined in answers}
        try:
            validate_answers(part.fields, own)
        except InvalidAnswers as exc:
            for name, messages in exc.errors.items():
                errors.setdefault(part.names.get(name, name), messages)
        plans.append((part.instruction.pk, own))
    if errors:
        raise InvalidAnswers(errors)
    return [
        services.instruction_submit_feedback(instruction=pk, actor=actor, answers=own, now=now) for pk, own in plans
    ]
