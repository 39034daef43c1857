"""One page for a sheet that answers several items at once, shared by the standard tasks' combined sheet (by
target, `standard.combined_sheet`) and the one-visit sheet (`visits.py`).

The page parses the posted answers against the merged questions, hands them to its kind's submit (which checks
every item's answers and gives each its feedback through the engine, all or none: `tasks.combining`), and
draws the sheet again with what was entered and every error at once. A sheet with nothing left to answer
(answered already, a second tap) is drawn empty: nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import Officer
from stations.scoping import scope_of
from tasks.answer_sheets import DEFAULT_TEXT_LENGTH, InvalidAnswers
from tasks.models import Instruction
from tasks.transitions import TransitionNotAllowed


def answers_from(fields: list[dict[str, Any]], post: Any) -> dict[str, Any]:
    """The filled-in items of a posted sheet, as the engine takes them (photos come from the phone app)."""
    answers: dict[str, Any] = {}
    for item in fields:
        name, kind = item["name"], item["type"]
        if kind == "multi":
            values = post.getlist(name)
            if values:
                answers[name] = values
            continue
        value = post.get(name, "").strip()
        if kind == "photo" or not value:
            continue
        answers[name] = value == "yes" if kind == "bool" else value
    return answers


def drawn(fields: list[dict[str, Any]], answers: dict[str, Any], errors: dict[str, list[str]]) -> list[dict]:
    """The sheet's items as the template draws them, with what was entered and what is wrong."""
    result = []
    for item in fields:
        if item["type"] == "photo":
            continue
        value = answers.get(item["name"])
        if isinstance(value, bool):
            chosen = {"yes" if value else "no"}
        elif isinstance(value, list):
            chosen = {str(v) for v in value}
        else:
            chosen = set() if value is None else {str(value)}
        result.append(
            {
                **item,
                "value": "" if value is None or isinstance(value, bool | list) else value,
                "options": [
                    {"value": str(c["value"]), "label": c["label"], "checked": str(c["value"]) in chosen}
                    for c in item.get("choices", [])
                ],
                "yes": "yes" in chosen,
                "no": "no" in chosen,
                "long": int(item.get("max_length", DEFAULT_TEXT_LENGTH)) > 100,
                "max_length": item.get("max_length", DEFAULT_TEXT_LENGTH),
                "errors": errors.get(item["name"], []),
            }
        )
    return result


def _nothing_more(sheet: Any, now: datetime) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Kind:
    """A kind of combined sheet: where it lives, how it is drawn, loaded and answered."""

    url_name: str  # the page's URL name, taking `key`
    template: str
    # The sheet named `key` for the officer (it has `fields` and `items`); raises Instruction.DoesNotExist when
    # nothing is left to answer on it.
    load: Callable[[Officer, str], Any]
    # Answer it: (request, key, answers, now) -> the instructions answered; raises InvalidAnswers,
    # TransitionNotAllowed, or Instruction.DoesNotExist when nothing is left.
    submit: Callable[[HttpRequest, str, dict[str, Any], datetime], list[Instruction]]
    # What else the template needs: (sheet or None, now) -> context.
    context: Callable[[Any, datetime], dict[str, Any]] = field(default=_nothing_more)


def page(request: HttpRequest, key: str, kind: Kind, *, strings: dict[str, str]) -> HttpResponse:
    """The sheet `key` of `kind` for the signed-in officer: drawn on GET, answered on POST."""
    officer = scope_of(request.user).officer
    if officer is None:
        raise Http404
    now = timezone.now()
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            sheet = kind.load(officer, key)
            answers = answers_from(sheet.fields, request.POST)
            done = kind.submit(request, key, answers, now)
        except Instruction.DoesNotExist:
            return redirect(kind.url_name, key=key)  # answered already (a second tap): nothing twice
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(kind.url_name, key=key)
        except InvalidAnswers as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, _("Answered %(n)d items at once.") % {"n": len(done)})
            return redirect(kind.url_name, key=key)
    try:
        sheet = kind.load(officer, key)
    except Instruction.DoesNotExist:
        sheet = None
    context = {
        "sheet": sheet,
        "fields": drawn(sheet.fields, answers, errors) if sheet else [],
        "form_errors": errors.get("answers", []),
        "has_photos": bool(sheet and any(f["type"] == "photo" for f in sheet.fields)),
        "strings": strings,
        **kind.context(sheet, now),
    }
    response = TemplateResponse(request, kind.template, context, status=status)
    response["Cache-Control"] = "private, no-cache"
    return response
