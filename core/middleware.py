"""NUL characters never reach a view: in the path they answer 404; in a query string or a form,
400 naming the field. PostgreSQL cannot store them, and a query with one would be a 500."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _field_with_nul(query: object) -> str | None:
    for key, values in query.lists():  # type: ignore[attr-defined]
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "\\0")
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404
        field = _field_with_nul(request.GET)
        if field is None and request.method == "POST" and request.content_type in FORM_TYPES:
            field = _field_with_nul(request.POST)
        if field is not None:
            return self.refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, field: str) -> HttpResponse:
        message = _("Null characters are not allowed.")
        if request.path_info.startswith("/api/"):
            body = json.dumps({field: [message]}, ensure_ascii=False)
            return HttpResponse(body, status=400, content_type="application/json")
        return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain; charset=utf-8")
