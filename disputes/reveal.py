"""Revealing a caller's full phone and resident ID: for a stated purpose, limited per user per hour,
audited (the purpose, never the value), and the center alerted when someone goes over the limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.audit import audit
from stations.masking import mask_text
from stations.models import AuditLog, Officer
from stations.roles import Role
from tasks.models import Notification
from tasks.notify import Notice, send

from .models import Incident

NOTE_MAX = 200
ALERT = "reveal_limit"  # the payload's "alert" of the center's notification


class Purpose(models.TextChoices):
    CONTACT = "contact", _("Call the caller back")
    VISIT = "visit", _("Visit or follow up")
    VERIFY = "verify", _("Verify identity")
    REFERRAL = "referral", _("Hand over to another agency")
    OTHER = "other", _("Other (say why)")


class RevealRefused(Exception):
    def __init__(self, field: str, message: Any, status: int = 400) -> None:
        super().__init__(str(message))
        self.field, self.message, self.status = field, message, status


@dataclass(frozen=True)
class Revealed:
    caller_phone: str
    caller_id_number: str
    caller_name: str


def _hour_ago() -> Any:
    return timezone.now() - timedelta(hours=1)


def reveals_in_the_last_hour(user: Any) -> int:
    return (
        AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL, actor=user, at__gte=_hour_ago())
        .exclude(detail__has_key="refused")
        .count()
    )


def _alert_the_center(user: Any, count: int) -> None:
    """One notification to each center officer, at most once per user per hour."""
    already = Notification.objects.filter(
        kind=Notification.Kind.NOTE, payload__alert=ALERT, payload__user_id=user.pk, created_at__gte=_hour_ago()
    ).exists()
    if already:
        return
    officer = getattr(user, "officer", None)
    name = officer.name if officer is not None else user.get_username()
    center = Officer.objects.filter(role=Role.CENTER_STAFF, is_active=True, user__is_active=True).values_list(
        "user_id", flat=True
    )
    payload = {
        "alert": ALERT,
        "user_id": user.pk,
        "name": name,
        "count": count,
        "limit": settings.REVEAL_LIMIT_PER_HOUR,
        "text": str(
            _("%(name)s asked for more than %(limit)d reveals of personal data within an hour.")
            % {"name": name, "limit": settings.REVEAL_LIMIT_PER_HOUR}
        ),
    }
    send((Notice(uid, Notification.Kind.NOTE, None, payload) for uid in center), now=timezone.now())


def incident_reveal(
    *, incident: Incident, actor: Any, purpose: str, note: str = "", request: HttpRequest | None = None
) -> Revealed:
    """The caller's full data for `actor` (whose right to it the caller has checked), once the purpose is
    given and the hourly limit allows; the audit row names the purpose and the fields, never the values.
    Over the limit the attempt is refused (429), audited, and the center told once per user per hour."""
    note = " ".join((note or "").split())
    if purpose not in Purpose.values:
        raise RevealRefused("purpose", _("Choose why you need the full data."))
    if purpose == Purpose.OTHER and not note:
        raise RevealRefused("note", _("Say why you need the full data."))
    if len(note) > NOTE_MAX:
        raise RevealRefused("note", _("At most %(n)d characters.") % {"n": NOTE_MAX})
    target = f"incident:{incident.number}"
    with transaction.atomic():
        # One user's reveals are counted one at a time: lock the user's row.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        count = reveals_in_the_last_hour(actor)
        over = count >= settings.REVEAL_LIMIT_PER_HOUR
        if over:
            audit(AuditLog.Kind.REVEAL, request=request, actor=actor, target=target, refused=True, purpose=purpose)
            _alert_the_center(actor, count + 1)
        else:
            audit(
                AuditLog.Kind.REVEAL,
                request=request,
                actor=actor,
                target=target,
                fields=["caller_phone", "caller_id_number", "caller_name"],
                purpose=purpose,
                note=mask_text(note),
            )
    if over:
        raise RevealRefused(
            "detail",
            _("You have reached the limit of %(n)d reveals an hour; the control center has been told.")
            % {"n": settings.REVEAL_LIMIT_PER_HOUR},
            status=429,
        )
    return Revealed(incident.caller_phone, incident.caller_id_number, incident.caller_name)
