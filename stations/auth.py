"""Login lockout: after LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_WINDOW a
login name is locked for LOGIN_LOCKOUT or until an administrator releases it.

The lock is kept per login name whether or not such a user exists, so an unknown
name and a wrong password get the same answer. It covers every way in (login
page, admin, API token, basic session) because it sits in the auth backend.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .audit import audit
from .models import AccountLock, AuditLog


class AccountLocked(PermissionDenied):
    pass


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def active_lock(username: str, *, now: Any = None) -> AccountLock | None:
    now = now or timezone.now()
    return (
        AccountLock.objects.filter(
            username=normalise_username(username), released_at__isnull=True, locked_until__gt=now
        )
        .order_by("-locked_until")
        .first()
    )


def is_locked(username: str) -> bool:
    return active_lock(username) is not None


def release_lock(lock: AccountLock, *, actor: Any, request: HttpRequest | None = None) -> None:
    if lock.released_at is not None:
        return
    lock.released_at = timezone.now()
    lock.released_by = actor
    lock.save(update_fields=["released_at", "released_by"])
    audit(AuditLog.Kind.UNLOCKED, request=request, actor=actor, target=lock.username)


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get("username")
        if username and is_locked(username):
            # Stops the chain; Django reports it as a failed login.
            raise AccountLocked
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="stations.login_failed")
def record_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    username = normalise_username(credentials.get("username"))
    if not username:
        return
    now = timezone.now()
    with transaction.atomic():
        if is_locked(username):
            audit(AuditLog.Kind.LOGIN_FAILED, request=request, actor=None, username=username, locked=True)
            return
        audit(AuditLog.Kind.LOGIN_FAILED, request=request, actor=None, username=username)
        last_lock = (
            AccountLock.objects.filter(username=username)
            .order_by("-locked_at")
            .values_list("locked_at", flat=True)
            .first()
        )
        since = now - settings.LOGIN_FAILURE_WINDOW
        failures = AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED, username=username, at__gte=since)
        if last_lock is not None:
            failures = failures.filter(at__gt=last_lock)
        if failures.count() >= settings.LOGIN_FAILURE_LIMIT:
            AccountLock.objects.create(username=username, locked_at=now, locked_until=now + settings.LOGIN_LOCKOUT)
            audit(AuditLog.Kind.LOCKED, request=request, actor=None, username=username)


@receiver(user_logged_in, dispatch_uid="stations.logged_in")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    audit(AuditLog.Kind.LOGIN, request=request, actor=user)
    if request is not None and hasattr(request, "session"):
        request.session["login_at"] = timezone.now().timestamp()
        request.session["seen_at"] = timezone.now().timestamp()


@receiver(user_logged_out, dispatch_uid="stations.logged_out")
def record_logout(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if user is not None:
        audit(AuditLog.Kind.LOGOUT, request=request, actor=user)
