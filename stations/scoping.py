"""The one scoping rule: who sees what.

`scope_of(user)` says how far a user sees; each scoped model's queryset has a
`visible_to(user)` built on it, and every list, detail, API, export and admin
page goes through that. Anything outside scope answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .roles import DISTRICT_ROLES, FIELD_ROLES, STATION_ROLES

if TYPE_CHECKING:
    from .models import Officer


class Reach(StrEnum):
    NOTHING = "nothing"
    SELF = "self"  # an officer's own work
    STATION = "station"  # a station's people: their station
    DISTRICT = "district"  # the center: everything


@dataclass(frozen=True)
class Scope:
    reach: Reach
    officer: Officer | None = None

    @property
    def station_id(self) -> int | None:
        return self.officer.station_id if self.officer else None

    @property
    def officer_id(self) -> int | None:
        return self.officer.pk if self.officer else None

    @property
    def is_district(self) -> bool:
        return self.reach is Reach.DISTRICT


NO_SCOPE = Scope(Reach.NOTHING)


def scope_of(user: Any) -> Scope:
    """How far `user` sees. Cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    if officer is None or not officer.is_active:
        scope = Scope(Reach.DISTRICT) if user.is_superuser else NO_SCOPE
    elif officer.role in DISTRICT_ROLES:
        scope = Scope(Reach.DISTRICT, officer)
    elif officer.role in STATION_ROLES and officer.station_id:
        scope = Scope(Reach.STATION, officer)
    elif officer.role in FIELD_ROLES and officer.station_id:
        scope = Scope(Reach.SELF, officer)
    else:
        scope = NO_SCOPE
    user._scope_cache = scope
    return scope
