"""NUL characters never make a 500. PostgreSQL cannot store them, and psycopg2 refuses a query with
one (ValueError) before anything is sent.

- In the path: 404, before any view runs.
- Anywhere else, the view's own validation answers first (forms and serializers refuse NUL with a
  field error, in the page's own shape). What gets past them to a query is caught here and answers
  400 naming the query or form field that holds it (JSON under /api/, text elsewhere); the query never
  ran, so nothing was stored.
"""

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


def is_nul_error(exception: BaseException) -> bool:
    return isinstance(exception, ValueError) and "NUL (0x00)" in str(exception)


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_nul_error(exception):
            return None
        field = _field_with_nul(request.GET)
        if field is None and request.method == "POST" and request.content_type in FORM_TYPES:
            field = _field_with_nul(request.POST)
        return self.refuse(request, field or "non_field_errors")

    @staticmethod
    def refuse(request: HttpRequest, field: str) -> HttpResponse:
        message = _("Null characters are not allowed.")
        if request.path_info.startswith("/api/"):
            body = json.dumps({field: [message]}, ensure_ascii=False)
            return HttpResponse(body, status=400, content_type="application/json")
        return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain; charset=utf-8")
