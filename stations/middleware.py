"""Sessions end after SESSION_IDLE_TIMEOUT without a request, and after
SESSION_ABSOLUTE_TIMEOUT in any case."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .audit import audit
from .models import AuditLog

# Refresh the idle clock at most this often, so that a polling page does not write every request.
TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "_auth_user_id" in request.session:
            now = timezone.now().timestamp()
            login_at = request.session.get("login_at", now)
            seen_at = request.session.get("seen_at", now)
            idle = now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_old = now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_old:
                audit(AuditLog.Kind.SESSION_EXPIRED, request=request, reason="idle" if idle else "absolute")
                logout(request)
            else:
                request.session.setdefault("login_at", login_at)
                # A page refreshing itself (X-Poll) is not the user at work: it keeps no session alive.
                polling = request.headers.get("X-Poll") == "1"
                if not polling and (now - seen_at >= TOUCH_EVERY_SECONDS or "seen_at" not in request.session):
                    request.session["seen_at"] = now
        return self.get_response(request)


# Responses of these kinds to a signed-in user may show personal data (pages, API answers, exports).
PRIVATE_TYPES = ("text/html", "application/json", "text/csv", "application/vnd.openxmlformats")


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every page, API answer and export served to a signed-in user
    (token or session): incident and instruction pages and details, the reveal, exports. Nothing personal
    stays in a browser's or a proxy's cache. Photos and static files keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF writes the token's user back onto the request
        if user is not None and user.is_authenticated and response.get("Content-Type", "").startswith(PRIVATE_TYPES):
            response["Cache-Control"] = "no-store, private"
        return response
