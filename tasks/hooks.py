"""What other apps do when an instruction of theirs closes, or when its case gets another officer.

Apps that depend on the engine (disputes, enterprises, ...) register a handler per
instruction kind from their AppConfig.ready(); the engine calls it inside the
transaction of the change, so both commit or neither does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Instruction

Handler = Callable[["Instruction", Any, datetime], None]
SiblingHandler = Callable[["Instruction", "Instruction"], None]
_on_close: dict[str, list[Handler]] = defaultdict(list)
_on_sibling: dict[str, list[SiblingHandler]] = defaultdict(list)


def on_close(*kinds: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for kind in kinds:
            if handler not in _on_close[kind]:
                _on_close[kind].append(handler)
        return handler

    return register


def on_sibling(*kinds: str) -> Callable[[SiblingHandler], SiblingHandler]:
    """A handler(source, sibling) for when a case of these kinds gets another officer: e.g. the sibling is
    about the same incident as its source."""

    def register(handler: SiblingHandler) -> SiblingHandler:
        for kind in kinds:
            if handler not in _on_sibling[kind]:
                _on_sibling[kind].append(handler)
        return handler

    return register


def closed(instruction: Instruction, actor: Any, now: datetime) -> None:
    for handler in _on_close[instruction.kind]:
        handler(instruction, actor, now)


def sibling_added(source: Instruction, sibling: Instruction) -> None:
    for handler in _on_sibling[source.kind]:
        handler(source, sibling)
