"""What other apps do when an instruction of theirs closes.

Apps that depend on the engine (disputes, enterprises, ...) register a handler per
instruction kind from their AppConfig.ready(); the engine calls it inside the
transaction that closes the instruction, so both commit or neither does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Instruction

Handler = Callable[["Instruction", Any, datetime], None]
_on_close: dict[str, list[Handler]] = defaultdict(list)


def on_close(*kinds: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for kind in kinds:
            if handler not in _on_close[kind]:
                _on_close[kind].append(handler)
        return handler

    return register


def closed(instruction: Instruction, actor: Any, now: datetime) -> None:
    for handler in _on_close[instruction.kind]:
        handler(instruction, actor, now)
