"""Celery entry points of the dispatch engine."""

from __future__ import annotations

import logging

from celery import shared_task

from .sweep import sweep_deadlines as sweep

log = logging.getLogger(__name__)


@shared_task(name="tasks.jobs.sweep_deadlines")
def sweep_deadlines() -> dict[str, int]:
    """Beat runs this every minute; see tasks.sweep."""
    report = sweep()
    if report.total:
        log.info("%s", report)
    return {**report.claimed, "notifications": report.notifications}
