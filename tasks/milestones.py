"""Milestones: the extra deadlines a kind of work declares (`kinds.Milestone`), started by the engine.

The verbs call `start_milestones` inside their transaction when an instruction is issued or signed off;
the sweep claims their reminders and breaches (`sweep.py`); the assigned officer marks one done
(`services.instruction_milestone_done`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings

from . import deadlines, kinds
from .models import Instruction, InstructionMilestone


def remind_before(milestone: kinds.Milestone) -> timedelta:
    if milestone.remind_before is not None:
        return milestone.remind_before
    return timedelta(minutes=settings.INSTRUCTION_FEEDBACK_REMINDER_MINUTES)


def start_milestones(instruction: Instruction, starts: Literal["signed_off", "issued"], now: datetime) -> None:
    """Write the rows of the milestones of the instruction's kind that start with this event."""
    rows = []
    for milestone in kinds.get(instruction.kind).milestones:
        if milestone.starts != starts:
            continue
        due = now + milestone.window_for(instruction)
        rows.append(
            InstructionMilestone(
                instruction=instruction,
                name=milestone.name,
                started_at=now,
                due_at=due,
                remind_at=deadlines.remind_at(now, due, remind_before(milestone)),
            )
        )
    if rows:
        InstructionMilestone.objects.bulk_create(rows)
