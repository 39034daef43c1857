"""Celery entry points of the disputes app."""

from __future__ import annotations

from celery import shared_task

from . import imports
from .services import issue_due_follow_ups


@shared_task(name="disputes.jobs.issue_follow_ups")
def issue_follow_ups() -> int:
    """Beat runs this every few minutes: issue the follow-up revisits whose date has come."""
    return len(issue_due_follow_ups())


@shared_task(name="disputes.jobs.import_incidents")
def import_incidents(job_id: int) -> str | None:
    """Read an uploaded incident file through the intake; a job another worker holds is left alone."""
    job = imports.run_import(job_id)
    return job.status if job else None


@shared_task(name="disputes.jobs.resume_imports")
def resume_imports() -> list[int]:
    """Beat runs this every minute: send again the imports whose message was lost or whose worker died."""
    return imports.resume()
