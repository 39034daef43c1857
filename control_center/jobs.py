"""Celery entry points of the control center."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Heartbeat


@shared_task(name="control_center.jobs.heartbeat")
def heartbeat() -> str:
    """Beat's proof of life: the worker stamps it, the dashboard and /readyz show it."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": now})
    return now.isoformat()


@shared_task(name="control_center.jobs.daily_selection")
def daily_selection() -> str:
    """At SELECTION_RUN_AT: select yesterday's key disputes."""
    return str(services.selection_run(day=timezone.localdate() - timedelta(days=1)).date)


@shared_task(name="control_center.jobs.selection_clock")
def selection_clock() -> dict[str, object]:
    result = services.selection_clock()
    return {"made": str(result["made"]), "auto_dispatched": [str(d) for d in result["auto_dispatched"]]}
