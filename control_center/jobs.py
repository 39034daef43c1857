"""Celery entry points of the control center."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.time import Week, yesterday
from tasks.models import Heartbeat

from . import rankings, services


@shared_task(name="control_center.jobs.heartbeat")
def heartbeat() -> str:
    """Beat's proof of life: the worker stamps it, the dashboard and /readyz show it."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": now})
    return now.isoformat()


@shared_task(name="control_center.jobs.daily_selection")
def daily_selection() -> str:
    """At SELECTION_RUN_AT: select yesterday's key disputes."""
    return str(services.selection_run(day=yesterday()).date)


@shared_task(name="control_center.jobs.selection_clock")
def selection_clock() -> dict[str, object]:
    result = services.selection_clock()
    return {"made": str(result["made"]), "auto_dispatched": [str(d) for d in result["auto_dispatched"]]}


@shared_task(name="control_center.jobs.weekly_rankings")
def weekly_rankings() -> dict[str, dict[str, object]]:
    """Monday morning: store last week's ranking; re-check the week before for late data (a new
    revision only if a figure changed; stored revisions are never touched)."""
    now = timezone.now()
    last = Week.of(now).shift(-1)
    done: dict[str, dict[str, object]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        runs = [(last.shift(-1), _("Weekly re-check for late data")), (last, _("Weekly run"))]
    for week, reason in runs:
        snapshot, created = rankings.snapshot_week(week=week, reason=str(reason), now=now)
        done[week.label] = {"revision": snapshot.revision, "new": created}
    return done
