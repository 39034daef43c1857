"""HTML pages of the disputes app: the incident page, the area workers' pushes and the center's view of them.

Anything outside the user's scope answers 404; every write goes through a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations import permissions
from stations.masking import mask_id_number, mask_phone
from stations.models import Subdistrict
from stations.scoping import scope_of
from tasks.models import Instruction
from tasks.policy import may_issue
from tasks.services import notifications_read_kind

from . import search, selectors, services
from .kinds import PUSH_NOTICE
from .models import Incident, Push, RepeatLink, RepeatRule
from .reveal import Purpose

STATUS_LABELS = dict(Instruction.Status.choices)
AREA_LIST_LIMIT = 200
ACKNOWLEDGED_DAYS = 7


_member_count = (
    RepeatLink.objects.filter(group=OuterRef("pk")).order_by().values("group").annotate(n=Count("pk")).values("n")
)


def _timeline(instructions: list[Instruction]) -> list[dict[str, Any]]:
    """Every event of every instruction about the incident, in one chronological list."""
    rows = [
        {
            "instruction": instruction,
            "event": event,
            "from": STATUS_LABELS.get(event.from_status, event.from_status),
            "to": STATUS_LABELS.get(event.to_status, event.to_status),
        }
        for instruction in instructions
        for event in instruction.events.all()
    ]
    rows.sort(key=lambda row: (row["event"].at, row["event"].pk))
    return rows


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident with its repeat flags, repeat groups and everything that followed it."""
    user = request.user
    incident = get_object_or_404(selectors.incidents_for(user).select_related("community__subdistrict"), pk=pk)
    # Group members are shown only as far as the user's scope goes; the count tells how many there are.
    members = selectors.incidents_for(user).order_by("received_at", "pk")
    groups = list(
        selectors.groups_of(incident)
        .prefetch_related(None)
        .prefetch_related(Prefetch("incidents", queryset=members, to_attr="visible_members"))
        .annotate(member_count=Subquery(_member_count))
    )
    instructions = list(selectors.instructions_of(incident, user))
    context = {
        "incident": incident,
        "caller_name": selectors.caller_name_for(user, incident),
        "caller_phone": mask_phone(incident.caller_phone_norm or incident.caller_phone),
        "caller_id_number": mask_id_number(incident.caller_id_number),
        "may_reveal": selectors.may_reveal(user, incident),
        "reveal_purposes": Purpose.choices,
        "may_dispatch": may_issue(user),
        "window_days": RepeatRule.current().window_days,
        "groups": groups,
        "instructions": instructions,
        "follow_ups": list(selectors.follow_ups_of(incident)),
        "timeline": _timeline(instructions),
    }
    return TemplateResponse(request, "disputes/incident_detail.html", context)


def _pushes(user: Any) -> QuerySet[Push]:
    return selectors.pushes_for(user).select_related("acknowledged_by__officer")


@login_required
def push_list(request: HttpRequest) -> HttpResponse:
    """The pushes of the worker's area, unacknowledged first; the center sees them all, read-only."""
    user = request.user
    acknowledges = permissions.is_area_worker(user)
    if not acknowledges and not scope_of(user).is_district:
        raise Http404
    pushes = list(
        _pushes(user).order_by(F("acknowledged_at").desc(nulls_first=True), "-created_at", "-pk")[:AREA_LIST_LIMIT]
    )
    if acknowledges:  # the worker has the pushes before him: their notices are read
        notifications_read_kind(user=user, kind=PUSH_NOTICE)
    context = {
        "pushes": pushes,
        "pending": sum(1 for p in pushes if p.acknowledged_at is None),
        "acknowledges": acknowledges,
        "limit": AREA_LIST_LIMIT,
    }
    return TemplateResponse(request, "disputes/push_list.html", context)


@login_required
@require_POST
def push_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The area worker acknowledges a push of his area; anyone else (the center included) gets 404."""
    if not permissions.is_area_worker(request.user):
        raise Http404
    push = get_object_or_404(Push.objects.visible_to(request.user), pk=pk)
    already = push.acknowledged_at is not None
    services.push_acknowledge(push=push, actor=request.user)
    if not already:
        messages.success(request, _("Acknowledged: %(number)s.") % {"number": push.incident.number})
    return redirect("disputes:pushes")


@login_required
def center_pushes(request: HttpRequest) -> HttpResponse:
    """Pushes the areas have not acknowledged, oldest first, by subdistrict; those acknowledged this week below."""
    if not scope_of(request.user).is_district:
        raise Http404
    now = timezone.now()
    code = request.GET.get("subdistrict", "")
    subdistrict = get_object_or_404(Subdistrict, code=code) if code else None
    pending = _pushes(request.user).filter(acknowledged_at__isnull=True)
    by_subdistrict = list(
        pending.order_by()
        .values("subdistrict__code", "subdistrict__name")
        .annotate(n=Count("pk"))
        .order_by("subdistrict__code")
    )
    done = _pushes(request.user).filter(acknowledged_at__gte=now - dt.timedelta(days=ACKNOWLEDGED_DAYS))
    if subdistrict is not None:
        pending = pending.filter(subdistrict=subdistrict)
        done = done.filter(subdistrict=subdistrict)
    context = {
        "subdistrict": subdistrict,
        "by_subdistrict": by_subdistrict,
        "pending": list(pending.order_by("created_at", "pk")),
        "done": list(done.order_by("-acknowledged_at", "-pk")),
        "days": ACKNOWLEDGED_DAYS,
        "now": now,
    }
    return TemplateResponse(request, "disputes/center_pushes.html", context)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Find any incident in the user's scope by number, dates, category, station, community, address
    text, caller phone (the normalised number; never shown in full), repeat risk and open instruction;
    center staff dispatch from the result. Keyset pages: the same queries on every page."""
    user = request.user
    if not search.may_search(user):
        raise Http404
    form = search.IncidentSearchForm(request.GET, user=user)
    page = search.search_page(user, form.cleaned_data) if form.is_valid() else None
    rows = [
        {"incident": i, "caller_phone": mask_phone(i.caller_phone_norm or i.caller_phone)}
        for i in (page.incidents if page else [])
    ]
    following = ""
    if page and page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        following = query.urlencode()
    first = request.GET.copy()
    first.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "next_query": following,
        "first_query": first.urlencode(),
        "searched": bool(request.GET),
        "may_dispatch": may_issue(user),
        "count_cap": search.COUNT_CAP,
    }
    return TemplateResponse(request, "disputes/incident_list.html", context, status=200 if page else 400)


@login_required
@require_POST
def incident_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """Ad hoc: dispatch one incident now, from its page."""
    if not scope_of(request.user).is_district:
        raise Http404
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
    if not may_issue(request.user):  # center staff; other district roles only look
        raise Http404
    instruction, created = services.dispatch_incident_now(
        incident=incident, actor=request.user, note=request.POST.get("note", "")[:2000]
    )
    if created:
        messages.success(request, _("Dispatched to %(station)s.") % {"station": incident.station.name})
    else:
        messages.info(request, _("This incident already has an open dispute instruction."))
    return redirect("tasks:instruction-detail", pk=instruction.pk)
