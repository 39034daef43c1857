"""Django's own 400, 403 and 404 answers (a path no route matches, a request Django cannot read) in
the API's shape: JSON {detail} under /api/, the usual pages elsewhere. A client of the API never gets
an HTML page it did not ask for."""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


DATABASE_RETRY_AFTER = "30"  # seconds: a restart or a failover of PostgreSQL takes about that long

_UNAVAILABLE_PAGE = """<!doctype html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>服务暂不可用</title><link rel="stylesheet" href="/static/css/app.css"></head>
<body><header class="topbar"><a class="brand" href="/">基础管控中心</a></header>
<main class="content"><section class="card" data-testid="error-page" data-status="503"><h1>服务暂不可用</h1>
<p>数据库暂时无法连接，您的操作没有保存。请稍候片刻再试；如果问题持续，请联系管控中心值班技术人员。</p>
<p><a href="/">返回首页</a></p></section></main>
</body>
</html>
"""


def server_error(request: HttpRequest) -> HttpResponse:
    """An uncaught exception. If the database is unreachable (wherever it was noticed: a middleware, the
    authentication, the view), that is an outage, not a bug: 503 with Retry-After, JSON {detail} under /api/
    and a plain Chinese page elsewhere, both written without touching the database. Else the 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        if _api(request):
            response: HttpResponse = JsonResponse(
                {"detail": "The database is unavailable; retry later.", "code": "database_unavailable"}, status=503
            )
        else:
            response = HttpResponse(_UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = DATABASE_RETRY_AFTER
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)
