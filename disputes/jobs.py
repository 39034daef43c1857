"""Celery entry points of the disputes app."""

from __future__ import annotations

from celery import shared_task

from .services import issue_due_follow_ups


@shared_task(name="disputes.jobs.issue_follow_ups")
def issue_follow_ups() -> int:
    """Beat runs this every few minutes: issue the follow-up revisits whose date has come."""
    return len(issue_due_follow_ups())
