"""HTML pages of the dispatch engine: the station queue and the instruction page with its action forms.

Every write goes through a service; a refused verb answers 404 (not allowed) or 409 (wrong status)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations.scoping import Reach, scope_of
from stations.selectors import station_for
from tasks import sweepwatch

from . import kinds, policy, selectors, services
from .answer_sheets import InvalidAnswers, answer_rows
from .forms import AcceptForm, CancelForm, FeedbackForm, ReturnForm, SignOffForm
from .models import Instruction
from .transitions import TRANSITIONS, TransitionNotAllowed

STATUS_LABELS = dict(Instruction.Status.choices)


def _with_permission(qs: QuerySet[Instruction], user: Any, verb: str) -> QuerySet[Instruction]:
    """Annotate `can_<verb>` from the policy and the transition table, in the same query."""
    allowed = policy.actionable(user, verb) & Q(status__in=TRANSITIONS[verb].sources)
    flag = Case(When(allowed, then=Value(True)), default=Value(False), output_field=BooleanField())
    return qs.annotate(**{f"can_{verb}": flag})


QUEUE_PAGE_SIZE = 30  # ~1.5 KB a row with its sign-off form: the first page stays under 60 KB


def station_queue(request: HttpRequest, code: str) -> HttpResponse:
    """The command room's open instructions, overdue first, a page at a time; the page's rows alone for htmx's
    refresh. The officer picker lists in each row only the officers who cover the item's community; the station's
    other officers are written once per page (a `<template>`) and added to each row's picker by queue.js."""
    fragment = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        # A refresh after the session ended: reload the whole page, which then goes to the login.
        return HttpResponse(headers={"HX-Refresh": "true"}) if fragment else redirect_to_login(request.get_full_path())
    station = station_for(request.user, code)
    if scope_of(request.user).reach not in (Reach.DISTRICT, Reach.STATION):
        raise Http404
    queue = _with_permission(selectors.station_queue(request.user, station.pk), request.user, "sign_off")
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    signs_off = any(row.can_sign_off for row in rows)  # type: ignore[attr-defined]
    officers = selectors.with_community_ids(selectors.assignable_officers(station.pk)) if signs_off else []
    for row in rows:  # what it is about; the officers who cover its community, first in its picker
        row.subject = kinds.describe(row)  # type: ignore[attr-defined]
        community_id = row.subject.community.pk if row.subject.community is not None else None  # type: ignore[attr-defined]
        row.covering = selectors.covering(officers, community_id) if row.can_sign_off else []  # type: ignore[attr-defined]
    here = reverse("tasks:station-queue", args=[station.code])
    context = {
        "station": station,
        "page": page,
        "instructions": rows,
        "officers": officers,
        "here": f"{here}?page={page.number}" if page.number > 1 else here,
        "now": timezone.now(),
        "sweep": None if fragment else sweepwatch.sweep_state(),
    }
    template = "tasks/station_queue.html#rows" if fragment else "tasks/station_queue.html"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _instruction(request: HttpRequest, pk: int, *, timeline: bool = False) -> Instruction:
    """The instruction if the user's scope includes it; else 404, before anything else."""
    qs = selectors.instruction_detail(request.user) if timeline else selectors.instructions_for(request.user)
    return get_object_or_404(qs, pk=pk)


def _answer_rows(instruction: Instruction) -> list[tuple[str, str]]:
    return answer_rows(instruction.answer_sheet.fields, instruction.answers)


def _timeline(instruction: Instruction) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "from": STATUS_LABELS.get(event.from_status, event.from_status),
            "to": STATUS_LABELS.get(event.to_status, event.to_status),
        }
        for event in instruction.events.all()
    ]


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **bound: Any) -> HttpResponse:
    """The instruction page; `bound` holds a submitted form (with its errors) by verb."""
    instruction = _instruction(request, pk, timeline=True)
    user = request.user
    forms: dict[str, Any] = {}
    subject = kinds.describe(instruction, user)
    if selectors.may(user, "sign_off", instruction):
        community_id = subject.community.pk if subject.community is not None else None
        officers = selectors.assignable_officers(instruction.station_id, community_id)
        forms["sign_off"] = bound.get("sign_off") or SignOffForm(officers=officers)
    if selectors.may(user, "submit_feedback", instruction):
        forms["feedback"] = bound.get("feedback") or FeedbackForm(instruction.answer_sheet.fields)
    for verb, form_class in (("accept", AcceptForm), ("return", ReturnForm), ("cancel", CancelForm)):
        if selectors.may(user, verb, instruction):
            forms[verb] = bound.get(verb) or form_class()
    context = {
        "instruction": instruction,
        "subject": subject,
        "answers": _answer_rows(instruction),
        "timeline": _timeline(instruction),
        "case": selectors.case_of(user, instruction),
        "forms": forms,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "tasks/instruction_detail.html", context, status=status)


@login_required
def instruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = _detail(request, pk)  # 404 outside scope, before anything is marked
    services.notifications_read_for(user=request.user, instruction_id=pk)
    return response


def _next_url(request: HttpRequest) -> str | None:
    """Where a form from another page (the queue) wants to go back to."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return None


def _act(request: HttpRequest, pk: int, verb: str, form: Any, run: Callable[[dict[str, Any]], str]) -> HttpResponse:
    """Validate `form`, call `run(cleaned_data)` (a service; returns the success message), and answer:
    a redirect on success; else the page again with the errors (400) or the refusal (409). A form sent
    from another page (`next`) goes back there with the outcome as a message."""
    back = _next_url(request)
    if form.is_valid():
        try:
            done = run(form.cleaned_data)
        except Instruction.DoesNotExist:
            raise Http404 from None
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(back) if back else _detail(request, pk, status=409)
        except InvalidAnswers as exc:
            form.add_sheet_errors(exc.errors)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(back) if back else redirect("tasks:instruction-detail", pk=pk)
    if back:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    return _detail(request, pk, status=400, **{verb: form})


@login_required
@require_POST
def instruction_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = _instruction(request, pk)
    form = SignOffForm(request.POST, officers=selectors.assignable_officers(instruction.station_id))

    def run(data: dict[str, Any]) -> str:
        also = [o for o in data.get("also") or [] if o.pk != data["officer"].pk]
        if also:  # one case, several officers: sibling instructions, each with its own clock
            done = services.instruction_sign_off_to_several(
                instruction=pk, actor=request.user, officers=[data["officer"], *also]
            )
            return _("Signed off and assigned to %(name)s.") % {"name": "、".join(i.officer.name for i in done)}  # type: ignore[union-attr]
        services.instruction_sign_off(instruction=pk, actor=request.user, officer=data["officer"])
        return _("Signed off and assigned to %(name)s.") % {"name": data["officer"].name}

    return _act(request, pk, "sign_off", form, run)


@login_required
@require_POST
def instruction_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = _instruction(request, pk)
    form = FeedbackForm(instruction.answer_sheet.fields, request.POST)

    def run(data: dict[str, Any]) -> str:
        services.instruction_submit_feedback(instruction=pk, actor=request.user, answers=form.answers())
        return _("Feedback submitted.")

    return _act(request, pk, "feedback", form, run)


@login_required
@require_POST
def instruction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    _instruction(request, pk)

    def run(data: dict[str, Any]) -> str:
        services.instruction_accept(instruction=pk, actor=request.user, note=data["note"])
        return _("Feedback accepted; the instruction is closed.")

    return _act(request, pk, "accept", AcceptForm(request.POST), run)


@login_required
@require_POST
def instruction_return(request: HttpRequest, pk: int) -> HttpResponse:
    _instruction(request, pk)

    def run(data: dict[str, Any]) -> str:
        services.instruction_return(instruction=pk, actor=request.user, comment=data["comment"])
        return _("Feedback returned to the officer.")

    return _act(request, pk, "return", ReturnForm(request.POST), run)


@login_required
@require_POST
def instruction_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _instruction(request, pk)

    def run(data: dict[str, Any]) -> str:
        services.instruction_cancel(instruction=pk, actor=request.user, reason=data["reason"])
        return _("Instruction cancelled.")

    return _act(request, pk, "cancel", CancelForm(request.POST), run)
