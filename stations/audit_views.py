"""The auditor's page: the security audit log (logins, lockouts, reveals of personal data, exports), newest
first, filtered by kind, paginated. Auditors (and superusers) only; others 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import AuditLog
from .permissions import may_read_audit_log

PER_PAGE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not may_read_audit_log(request.user):
        raise Http404
    kind = request.GET.get("kind") or ""
    if kind and kind not in AuditLog.Kind.values:
        kind = ""
    entries = AuditLog.objects.select_related("actor__officer").order_by("-at", "-pk")
    if kind:
        entries = entries.filter(kind=kind)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": AuditLog.Kind.choices}
    return TemplateResponse(request, "stations/audit_log.html", context)
