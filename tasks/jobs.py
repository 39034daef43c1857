"""Celery entry points of the dispatch engine."""

from __future__ import annotations

import logging

from celery import shared_task

from .standard import run_due_issues
from .sweep import sweep_deadlines as sweep

log = logging.getLogger(__name__)


@shared_task(name="tasks.jobs.sweep_deadlines")
def sweep_deadlines() -> dict[str, int]:
    """Beat runs this every minute; see tasks.sweep."""
    report = sweep()
    if report.total:
        log.info("%s", report)
    return {**report.claimed, "notifications": report.notifications}


@shared_task(name="tasks.jobs.run_standard_tasks")
def run_standard_tasks() -> dict[str, int]:
    """Beat runs this every minute: recurring standard tasks whose next period began; see tasks.standard."""
    return run_due_issues()
