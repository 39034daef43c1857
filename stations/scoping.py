"""The one scoping rule: who sees what.

`scope_of(user)` says how far a user sees; each scoped model's queryset derives
from `ScopedQuerySet`, whose `visible_to(user)` turns that reach into rows, and
every list, detail, API, export and admin page goes through that. Anything
outside scope answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.db import models

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


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows who may see its rows: `visible_to(user)` switches on the user's reach once,
    and each model's queryset says only what a station and an officer see (`for_station`, `for_self`).

    By default the center sees everything and anybody else nothing: a model shows a station or an
    officer its rows only where its queryset says so."""

    officer_sees_station: ClassVar[bool] = False
    """True where an officer in the field sees all his station sees (and `for_self` is not asked)."""

    def visible_to(self, user: Any) -> Self:
        scope = scope_of(user)
        if scope.reach is Reach.DISTRICT:
            return self.for_district()
        officer = scope.officer
        if officer is not None and officer.station_id is not None:  # always so for a station or an officer
            if scope.reach is Reach.STATION or (scope.reach is Reach.SELF and self.officer_sees_station):
                return self.for_station(officer.station_id)
            if scope.reach is Reach.SELF:
                return self.for_self(officer)
        return self.for_nobody()

    def for_district(self) -> Self:
        """What the center sees: everything."""
        return self

    def for_station(self, station_id: int) -> Self:
        """What a station's command room and duty leader see."""
        return self.none()

    def for_self(self, officer: Officer) -> Self:
        """What an officer in the field sees (his station is `officer.station_id`)."""
        return self.none()

    def for_nobody(self) -> Self:
        """What a user without a reach sees: nothing."""
        return self.none()
