"""Celery entry points of the control center."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(name="control_center.jobs.heartbeat")
def heartbeat() -> str:
    """Beat's proof of life: the worker stamps it, the dashboard and /readyz show it."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": now})
    return now.isoformat()
