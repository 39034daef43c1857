"""Pages of patrol posts: the desk's units page, the center's board, and the one-tap status form that the
patrol officer's phone (and the desk's page) posts. Every write goes through `services.unit_set_status`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations.models import PatrolUnit, Station
from stations.scoping import Reach, scope_of

from . import selectors, services
from .models import UnitStatus
from .transitions import StatusNotAllowed, next_statuses

REFRESH_SECONDS = 15


def _rows(user: Any, units: list[PatrolUnit]) -> list[dict[str, Any]]:
    rows = []
    for unit in units:
        status = selectors.status_of(unit)
        may_set = selectors.may_set_status(user, unit)
        rows.append(
            {
                "unit": unit,
                "status": status,
                "label": UnitStatus(status).label,
                "since": selectors.since_of(unit),
                "shift": unit.coming_shifts[0] if unit.coming_shifts else None,  # type: ignore[attr-defined]
                "members": unit.members,  # type: ignore[attr-defined]
                "moves": [(s, UnitStatus(s).label) for s in next_statuses(status)] if may_set else [],
            }
        )
    return rows


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    fragment = request.headers.get("HX-Request") == "true"
    response = TemplateResponse(request, f"{template}#units" if fragment else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    if request.headers.get("HX-Request") == "true":  # a refresh after the session ended: reload, then log in
        return HttpResponse(headers={"HX-Refresh": "true"})
    return redirect_to_login(request.get_full_path())


def post_units(request: HttpRequest, code: str) -> HttpResponse:
    """A post's units for its desk and chief (and the center): members, status and since when, live."""
    if answer := _signed_in(request):
        return answer
    post = selectors.post_for(request.user, code)
    if scope_of(request.user).reach not in (Reach.DISTRICT, Reach.STATION):
        raise Http404
    now = timezone.now()
    units = list(selectors.units_for(request.user, post=post, now=now))
    context = {"post": post, "rows": _rows(request.user, units), "now": now, "refresh": REFRESH_SECONDS}
    return _page(request, "patrol/post_units.html", context)


def units_board(request: HttpRequest) -> HttpResponse:
    """The center's board: every post's units and their statuses, live."""
    if answer := _signed_in(request):
        return answer
    if not scope_of(request.user).is_district:
        raise Http404
    now = timezone.now()
    units = list(selectors.units_for(request.user, now=now))
    rows = _rows(request.user, units)
    posts: dict[Station, list[dict[str, Any]]] = {}
    for row in rows:
        posts.setdefault(row["unit"].station, []).append(row)
    context = {"posts": list(posts.items()), "now": now, "refresh": REFRESH_SECONDS}
    return _page(request, "patrol/units_board.html", context)


def _back(request: HttpRequest) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("field:mobile-inbox")


@login_required
@require_POST
def unit_status(request: HttpRequest, code: str) -> HttpResponse:
    """One tap: the unit's next status (a plain form POST, no script needed); back to where it came from."""
    unit = get_object_or_404(PatrolUnit.objects.visible_to(request.user), code=code)
    try:
        state = services.unit_set_status(
            unit=unit,
            actor=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except PatrolUnit.DoesNotExist:
        raise Http404 from None
    except StatusNotAllowed as refused:
        messages.error(request, refused.message)
        return redirect(_back(request))
    messages.success(request, _("%(unit)s: %(status)s") % {"unit": unit.name, "status": UnitStatus(state.status).label})
    return redirect(_back(request))
