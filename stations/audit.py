"""Writes to the append-only security audit log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    username: str = "",
    target: str = "",
    **detail: Any,
) -> AuditLog:
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if actor is not None and not username:
        username = actor.get_username()
    return AuditLog.objects.create(
        kind=kind, actor=actor, username=username[:150], ip=client_ip(request), target=target[:200], detail=detail
    )
