"""The one transition table of a patrol unit's status, and the refusal of anything else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import UnitStatus

S = UnitStatus

# From each status, the statuses a unit may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OFF_DUTY: (S.ON_DUTY,),
    S.ON_DUTY: (S.EN_ROUTE, S.BUSY, S.OFF_DUTY),
    S.EN_ROUTE: (S.ON_SCENE, S.ON_DUTY),
    S.ON_SCENE: (S.BUSY, S.ON_DUTY),
    S.BUSY: (S.ON_DUTY,),
}


class StatusNotAllowed(Exception):
    """A move the transition table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        self.current, self.target = current, target
        self.message = _("A unit that is “%(current)s” cannot become “%(target)s”.") % {
            "current": UnitStatus(current).label,
            "target": UnitStatus(target).label if target in UnitStatus.values else target,
        }
        super().__init__(self.message)


def next_statuses(current: str) -> tuple[str, ...]:
    """The legal next statuses, in the table's order."""
    return TRANSITIONS.get(current, ())


def check(current: str, target: str) -> None:
    if target not in next_statuses(current):
        raise StatusNotAllowed(current, target)
