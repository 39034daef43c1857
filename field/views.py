"""The community officer's phone: the inbox, the item page with its answer sheet, the sheets that answer several
items at once (a visit; a standard-task target: `sheets.py`), and the service worker.

Pages are server-rendered and small; `static/mobile/app.js` keeps drafts and a queue of submissions on the
phone and sends answers through the API (`POST /api/v1/instructions/{id}/feedback/` with an
Idempotency-Key), so the rules stay in one place: the dispatch engine.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition

from disputes.reveal import Purpose
from disputes.selectors import history_of, incident_of, may_reveal, scheduled_for
from patrol.selectors import phone_unit
from standard import combined as standard  # the inbox offers a combined sheet
from stations.masking import mask_name, mask_phone
from stations.scoping import scope_of
from tasks import policy, services
from tasks.answer_sheets import DEFAULT_TEXT_LENGTH, answer_rows
from tasks.models import Instruction, InstructionEvent, Notification
from tasks.notification_views import notification_context

from . import sheets, visits
from .countdowns import countdown_label, moment_label, unit_formats

S = Instruction.Status
NEW_FOR = timedelta(minutes=10)  # an item assigned this recently counts as new, read or not
SUBMITTED_SHOWN = 10

# The app shell the service worker keeps for offline use (static paths).
SHELL = [
    "mobile/app.css",
    "mobile/app.js",
    "js/clock.js",
    "js/reveal.js",
    "mobile/icon.svg",
    "mobile/manifest.webmanifest",
]


def _strings() -> dict[str, str]:
    """What app.js says, in the user's language."""
    return {
        "draft": _("Draft saved on this phone"),
        "queued": _("Saved on this phone only: it will be sent when there is signal."),
        "sending": _("Sending…"),
        "delivered": _("Delivered to the server."),
        "rejected": _("The server did not accept the answers: see the items marked below."),
        "conflict": _("This instruction no longer takes feedback."),
        "login": _("Your session has ended: log in again to send what is saved on this phone."),
        "required": _("This item is required."),
        "missing": _("Some required items are empty."),
        "offline": _("No signal: working from this phone"),
        "waiting": _("answers waiting for signal"),
        "new": _("New instruction"),
        "newItem": _("New instruction: {what}"),
        "units": unit_formats(),
        "photoType": _("Only JPEG or PNG photos."),
        "photoMax": _("At most 6 photos."),
        "photoLocal": _("on this phone"),
        "photoSent": _("uploaded"),
        "remove": _("Remove"),
    }


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    """None if the user may go on; else what to answer (a poll gets a bare 401, a page the login)."""
    if request.user.is_authenticated:
        return None
    if request.headers.get("X-Poll") == "1":
        return HttpResponse(status=401)
    return redirect_to_login(request.get_full_path())


def inbox_items(user: Any, now: Any) -> tuple[list[Instruction], list[Instruction]]:
    """(what the officer must answer, soonest deadline first; what he delivered that awaits review)."""
    officer_id = scope_of(user).officer_id
    mine = (
        Instruction.objects.visible_to(user)
        .filter(officer_id=officer_id)
        .select_related("dispatch__category", "dispatch__incident")
    )
    unread = Notification.objects.filter(recipient=user, instruction=OuterRef("pk"), read_at__isnull=True)
    todo = (
        mine.filter(status__in=Instruction.FEEDBACK_OPEN)
        .annotate(is_new=ExpressionWrapper(Q(Exists(unread)) | Q(signed_at__gte=now - NEW_FOR), BooleanField()))
        .order_by("feedback_due", "pk")
    )
    submitted = mine.filter(status=S.FEEDBACK_SUBMITTED).order_by("-feedback_at", "-pk")[:SUBMITTED_SHOWN]
    return list(todo), list(submitted)


@gzip_page
def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's inbox; `?fragment=items` is the list alone, which the page polls (with X-Poll: 1)."""
    if answer := _signed_in(request):
        return answer
    now = timezone.now()
    todo, submitted = inbox_items(request.user, now)
    for i in todo:
        i.left_label = countdown_label(i.feedback_due, now)
    for i in submitted:
        i.feedback_label = moment_label(i.feedback_at, now)
    officer = scope_of(request.user).officer
    # Several open standard tasks about one target: offer them as one combined sheet.
    combined = [t for t in standard.combined_targets(officer) if t["items"] > 1] if officer else []
    # Several open items about one incident or person: one visit, one sheet.
    visit_list = visits.visits_of(officer) if officer else []
    scheduled = list(scheduled_for(officer.pk)) if officer else []
    context = {
        "todo": todo,
        "submitted": submitted,
        "combined": combined,
        "visits": visit_list,
        "scheduled": scheduled,
        "now": now,
        "strings": _strings(),
    }
    fragment = request.GET.get("fragment") == "items"
    if not fragment:  # a patrol officer's unit and its one-tap statuses (no query for anybody else)
        context["unit"] = phone_unit(request.user)
    response = TemplateResponse(request, "mobile/inbox.html#items" if fragment else "mobile/inbox.html", context)
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


def _sheet(instruction: Instruction) -> list[dict[str, Any]]:
    """The items of the sheet the instruction was issued with, as the template draws them."""
    items = []
    for field in instruction.answer_sheet.fields:
        limit = int(field.get("max_length", DEFAULT_TEXT_LENGTH))
        items.append({**field, "required": bool(field.get("required")), "max_length": limit, "long": limit > 100})
    return items


def _photos(instruction: Instruction) -> list[str]:
    """The ids of the photos in the stored answers."""
    answers = instruction.answers or {}
    kinds = {f["name"]: f["type"] for f in instruction.answer_sheet.fields}
    return [ref for name, value in answers.items() if kinds.get(name) == "photo" for ref in value]


def _caller_name(user: Any, instruction: Instruction) -> str:
    incident = incident_of(instruction)
    if incident is None:
        return ""
    return incident.caller_name if policy.sees_caller(user, instruction.officer_id) else mask_name(incident.caller_name)


@gzip_page
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One instruction: what happened, who called (masked), earlier calls, what is asked, the deadline,
    and the answer sheet while feedback is open. Opening it reads its notifications."""
    if answer := _signed_in(request):
        return answer
    qs = Instruction.objects.visible_to(request.user).select_related(
        "dispatch__category", "dispatch__incident__category", "answer_sheet"
    )
    instruction = get_object_or_404(qs, pk=pk)
    user = request.user
    now = timezone.now()
    officer_id = scope_of(user).officer_id
    answering = instruction.officer_id == officer_id and instruction.status in Instruction.FEEDBACK_OPEN
    incident = incident_of(instruction)
    returned = None
    if instruction.status == S.RETURNED:
        returned = instruction.events.filter(kind=InstructionEvent.Kind.RETURNED).order_by("-at", "-pk").first()
    services.notifications_read_for(user=user, instruction_id=instruction.pk)
    context = {
        "instruction": instruction,
        "incident": incident,
        "caller_name": _caller_name(user, instruction),
        "caller_phone": mask_phone(incident.caller_phone) if incident else "",
        "history": history_of(incident, user, limit=10) if incident else [],
        "may_reveal": bool(incident and instruction.is_open and may_reveal(user, incident)),
        "reveal_purposes": Purpose.choices,
        "returned": returned,
        "answering": answering,
        "sheet": _sheet(instruction) if answering else [],
        "previous": instruction.answers if answering and returned else None,  # returned: start from them
        "answers": [] if answering else answer_rows(instruction.answer_sheet.fields, instruction.answers),
        "photos": [] if answering else _photos(instruction),
        "visit": visits.visit_of(instruction) if answering else None,
        "now": now,
        "due_label": moment_label(instruction.feedback_due, now),
        "left_label": countdown_label(instruction.feedback_due, now),
        "feedback_label": moment_label(instruction.feedback_at, now),
        "strings": _strings(),
    }
    response = TemplateResponse(request, "mobile/item.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


def _visit_submit(request: HttpRequest, key: str, answers: dict[str, Any], now: datetime) -> list[Instruction]:
    # The items the officer saw on the sheet: if they changed meanwhile, nothing is stored.
    expected = [int(pk) for pk in request.POST.getlist("items") if pk.isascii() and pk.isdigit()]
    return visits.visit_submit(actor=request.user, key=key, answers=answers, expected=expected, now=now)


def _visit_items(sheet: visits.Visit | None, now: datetime) -> dict[str, Any]:
    items = [
        {
            "instruction": i.instruction,
            "label": i.label,
            "due_label": moment_label(i.instruction.feedback_due, now),
            "note": i.instruction.note,
        }
        for i in (sheet.items if sheet else [])
    ]
    return {"items": items}


VISIT = sheets.Kind(
    url_name="field:mobile-visit",
    template="mobile/visit.html",
    load=visits.visit_sheet,
    submit=_visit_submit,
    context=_visit_items,
)

# Standard tasks: all of an officer's open items for one target.
COMBINED = sheets.Kind(
    url_name="field:standard-combined",
    template="standard/combined.html",
    load=standard.combined_sheet,
    submit=lambda request, key, answers, now: standard.combined_submit(
        actor=request.user, target_key=key, answers=answers, now=now
    ),
)


def visit(request: HttpRequest, key: str) -> HttpResponse:
    """One sheet for the officer's open items about one incident or person, answered once (`visits.py`)."""
    if answer := _signed_in(request):
        return answer
    return sheets.page(request, key, VISIT, strings=_strings())


def combined(request: HttpRequest, key: str) -> HttpResponse:
    """All of an officer's open standard-task items for one target, on one sheet: shared questions once."""
    if answer := _signed_in(request):
        return answer
    return sheets.page(request, key, COMBINED, strings=_strings())


def _max_age_ms() -> int:
    """How long a kept page may be served without signal: the session's absolute lifetime."""
    return int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() * 1000)


@cache
def _service_worker(max_age_ms: int) -> tuple[str, str]:
    """(script, version): sw.js with the shell's URLs, the kept pages' maximum age, and a version that changes
    with any shell file or that age."""
    digest = hashlib.sha256(str(max_age_ms).encode())
    for name in ["mobile/sw.js", *SHELL]:
        path = finders.find(name)
        if path is None:
            raise Http404(name)
        digest.update(Path(path).read_bytes())
    version = digest.hexdigest()[:12]
    source = Path(finders.find("mobile/sw.js")).read_text(encoding="utf-8")  # type: ignore[arg-type]
    script = (
        source.replace("__VERSION__", version)
        .replace("__SHELL__", json.dumps([static(n) for n in SHELL]))
        .replace("__MAX_AGE_MS__", str(max_age_ms))
    )
    return script, version


@gzip_page
@condition(etag_func=lambda request: _service_worker(_max_age_ms())[1])
def service_worker(request: HttpRequest) -> HttpResponse:
    """/m/sw.js: served under /m/ so that its scope covers the phone pages. Revalidated on every check."""
    response = HttpResponse(_service_worker(_max_age_ms())[0], content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The officer's notices on the phone: the engine's list, in the phone's page."""
    response = TemplateResponse(request, "mobile/notifications.html", notification_context(request))
    response["Cache-Control"] = "private, no-cache"
    return response
