"""The one transition table of instructions. Services look verbs up here; nobody else sets `status`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Instruction

S = Instruction.Status


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: frozenset[str]
    target: str
    label: str | Promise


TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in (
        Transition("sign_off", frozenset({S.ISSUED}), S.ASSIGNED, _("sign off")),
        Transition("submit_feedback", frozenset({S.ASSIGNED, S.RETURNED}), S.FEEDBACK_SUBMITTED, _("submit feedback")),
        Transition("accept", frozenset({S.FEEDBACK_SUBMITTED}), S.CLOSED, _("accept")),
        Transition("return", frozenset({S.FEEDBACK_SUBMITTED}), S.RETURNED, _("return")),
        Transition("cancel", frozenset(Instruction.OPEN_STATUSES), S.CANCELLED, _("cancel")),
    )
}


class TransitionNotAllowed(Exception):
    """The instruction's current status does not allow this verb."""

    def __init__(self, instruction: Instruction, verb: str) -> None:
        self.instruction, self.verb = instruction, verb
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(
            _("Cannot %(verb)s an instruction that is %(status)s.")
            % {"verb": TRANSITIONS[self.verb].label, "status": self.instruction.get_status_display()}
        )


def check(instruction: Instruction, verb: str) -> Transition:
    transition = TRANSITIONS[verb]
    if instruction.status not in transition.sources:
        raise TransitionNotAllowed(instruction, verb)
    return transition
