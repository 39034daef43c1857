"""The notification list, for every role with a login (the officer's phone shows the same list: field/).

Each notice says what happened and links to its object as the reader sees it; a digest lists its items.
Queries per page do not grow with the number of notices (see `notices.describe`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notices, selectors, services

PER_PAGE = 30


def notification_context(request: HttpRequest) -> dict[str, object]:
    """A page of the user's notices (`?unread=1`: the unread ones), each described for the reader."""
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user).select_related(None).order_by("-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "rows": notices.describe(request.user, page.object_list), "unread_only": unread_only}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "tasks/notifications.html", notification_context(request))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notice of the user read, and go back to the list it was sent from."""
    services.notifications_mark_all_read(user=request.user)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("tasks:notifications")
