"""The kinds of work the engine carries, each registered by the app that owns it.

The engine knows the shape of an instruction (its states, its clocks, its answer sheet), never what it
is about. An app that sends work down through the engine registers each of its kinds from its
`AppConfig.ready()`:

    kinds.register(KindOfWork("revisit", _("Revisit"), reviews=..., reviewers=..., describe=...))

and the engine asks the registry, never `if kind == ...`: who besides the center may issue it
(`issuers`, and whether into a station's queue or only through the kind's own flow), which of its
instructions an officer other than the center may accept or return (`reviews`), who is told that
feedback arrived (`reviewers`), the feedback window when the issuer set no deadline
(`feedback_window`), the extra deadlines its instructions run against (`milestones`, e.g. "plan" due five
minutes after the sign-off), and what an instruction is about as pages and notices show it (`describe`). What
happens when one closes, or when its case gets another officer, is registered beside it with
`hooks.on_close` and `hooks.on_sibling`. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Q
from django.utils.functional import Promise

if TYPE_CHECKING:
    from stations.models import Officer

    from .models import Instruction
    from .notify import Recipients


def _nobody(officer: Officer) -> bool:
    return False


@dataclass(frozen=True)
class Subject:
    """What an instruction is about, as the engine's pages and notices show it (its kind fills it in)."""

    title: str  # e.g. the incident's number; else the instruction's own "#id"
    tag: str = ""  # e.g. the category
    summary: str = ""
    community: Any = None  # a stations Community, if any: the officers who cover it come first in pickers
    address: str = ""
    panel: str = ""  # the template of the instruction page's panel about it (rendered with `subject`)
    details: dict[str, Any] = field(default_factory=dict)  # what that panel shows, as the viewer may see it


@dataclass(frozen=True)
class MilestoneDue:
    """A milestone that fell due, as the sweep read it (for `Milestone.overdue_to`; no query per row)."""

    instruction_id: int
    name: str
    station_id: int
    issued_by_id: int | None
    officer_user_id: int | None


@dataclass(frozen=True)
class Milestone:
    """An extra deadline on the instructions of a kind, e.g. the units' plan five minutes after the sign-off.

    The engine writes one row per instruction (`InstructionMilestone`) when it `starts`: "signed_off" (the
    sign-off, a sibling added to the case, an instruction issued straight to an officer) or "issued" (the
    issue; an instruction issued straight to an officer starts both at once). The sweep reminds
    `remind_before` it is due (at most half-way through its window; None: the feedback reminder's lead) the
    assigned officer (else the command room), and escalates it at its due time, once, to
    `overdue_to(due, recipients)` (None: the station's duty leader and the center, like a feedback breach);
    the assigned officer marks it done (`services.instruction_milestone_done`)."""

    name: str  # a slug, unique within the kind
    label: str | Promise
    window: timedelta | Callable[[Instruction], timedelta]
    starts: Literal["signed_off", "issued"] = "signed_off"
    remind_before: timedelta | None = None
    overdue_to: Callable[[MilestoneDue, Recipients], list[int]] | None = None

    def window_for(self, instruction: Instruction) -> timedelta:
        return self.window if isinstance(self.window, timedelta) else self.window(instruction)


@dataclass(frozen=True)
class KindOfWork:
    code: str
    label: str | Promise
    # Who besides the center (which issues every kind) may issue it.
    issuers: Callable[[Officer], bool] = _nobody
    # Whether those issuers may put it into a station's queue (POST /instructions/); False: only through the
    # kind's own flow (e.g. a standard task's issue), which calls `instruction_issue_assigned`.
    issued_directly: bool = True
    # The instructions of this kind an officer (other than the center, who reviews all) may accept or
    # return: a filter on Instruction, or None for none.
    reviews: Callable[[Officer], Q | None] | None = None
    # Who is told that feedback arrived; an empty answer (or None) means the center (its issuer).
    reviewers: Callable[[Instruction, Recipients], list[int]] | None = None
    # The feedback window once signed off, when the issuer set no `due_by`; None: the district default.
    feedback_window: Callable[[Instruction], timedelta | None] | None = None
    # What an instruction of this kind is about, for the viewer (None: a notice or a list row, no personal
    # data); None: its own number and note.
    describe: Callable[[Instruction, Any], Subject] | None = None
    # The related rows describing needs (select_related paths), and those its window and reviewers need.
    subject_related: tuple[str, ...] = ()
    terms_related: tuple[str, ...] = ()
    # Extra deadlines its instructions run against besides sign-off and feedback (see `Milestone`).
    milestones: tuple[Milestone, ...] = ()

    def milestone(self, name: str) -> Milestone | None:
        return next((m for m in self.milestones if m.name == name), None)


_registry: dict[str, KindOfWork] = {}


def register(kind: KindOfWork) -> KindOfWork:
    """Register (or re-register, e.g. on a reload) a kind of work."""
    _registry[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """Forget a kind (a test's own kind, once the test is done)."""
    _registry.pop(code, None)


def get(code: str) -> KindOfWork:
    """The registered kind; an unknown code (a kind whose app is gone) gets the defaults."""
    return _registry.get(code) or KindOfWork(code, code)


def is_registered(code: str) -> bool:
    return code in _registry


def all_kinds() -> Iterator[KindOfWork]:
    return iter(_registry.values())


def choices() -> list[tuple[str, Any]]:
    """The kinds as field choices, in registration order (apps in INSTALLED_APPS order)."""
    return [(k.code, k.label) for k in _registry.values()]


def have_milestones() -> bool:
    """Whether any registered kind declares milestones (else the sweep does not look for them)."""
    return any(k.milestones for k in _registry.values())


def subject_related() -> list[str]:
    """Every registered kind's select_related paths, for pages listing instructions of any kind."""
    return list(dict.fromkeys(path for k in _registry.values() for path in k.subject_related))


def terms_related() -> list[str]:
    """The select_related paths the kinds' windows and reviewers read (the verbs lock with them)."""
    return list(dict.fromkeys(path for k in _registry.values() for path in k.terms_related))


def describe(instruction: Instruction, user: Any = None) -> Subject:
    """What the instruction is about, for `user` (None: no personal data, e.g. a notice's text)."""
    kind = get(instruction.kind)
    if kind.describe is not None:
        return kind.describe(instruction, user)
    return Subject(title=f"#{instruction.pk}", summary=instruction.note)


# --- notices about an app's own objects (not instructions) --------------------------------------------

_notice_kinds: dict[str, str | Promise] = {}


def register_notice_kind(code: str, label: str | Promise) -> None:
    """A kind of notification an app sends about its own objects (e.g. disputes' pushes to an area)."""
    _notice_kinds[code] = label


def notice_choices() -> list[tuple[str, Any]]:
    """The notification kinds: the engine's own, then the registered ones."""
    from .models import Notification

    return [*Notification.Kind.choices, *_notice_kinds.items()]
