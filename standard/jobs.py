"""Celery entry points of the standard tasks."""

from __future__ import annotations

from celery import shared_task

from .services import run_due_issues


@shared_task(name="standard.jobs.run_standard_tasks")
def run_standard_tasks() -> dict[str, int]:
    """Beat runs this every minute: recurring standard tasks whose next period began; see standard.services."""
    return run_due_issues()
