"""The daily selection's score: transparent, each point with a reason a person reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import SelectionPolicy


@dataclass(frozen=True)
class Scored:
    incident_id: int
    score: Decimal
    reasons: list[str]
    received_at: Any


def score(row: dict[str, Any], policy: SelectionPolicy, *, window_days: int) -> Scored:
    """Score one incident given as a dict of its fields (see `SELECTION_FIELDS`). The reasons are
    stored, so they are written in the district's language whoever (or whatever) runs this."""
    with translation.override(settings.LANGUAGE_CODE):
        return _score(row, policy, window_days=window_days)


def _score(row: dict[str, Any], policy: SelectionPolicy, *, window_days: int) -> Scored:
    points = Decimal(0)
    reasons: list[str] = []
    calls = row["repeat_caller_count"]
    if calls > 1:
        points += policy.repeat_weight * (calls - 1)
        reasons.append(_("Call %(n)d from this caller in %(days)d days") % {"n": calls, "days": window_days})
    place = row["repeat_address_count"]
    if place > 1:
        points += policy.repeat_weight * (place - 1) / 2
        reasons.append(_("Call %(n)d from this address in %(days)d days") % {"n": place, "days": window_days})
    summary = row["summary"]
    words = [w for w in policy.risk_word_list if w in summary]
    if words:
        points += policy.risk_word_weight * len(words)
        reasons.append(_("Risk words: %(words)s") % {"words": "、".join(words)})
    if not row["resolved_at_scene"]:
        points += policy.unsettled_weight
        reasons.append(_("Not settled at the scene"))
    vulnerable = [w for w in policy.vulnerable_word_list if w in summary]
    if vulnerable:
        points += policy.vulnerable_weight
        reasons.append(_("Vulnerable parties: %(words)s") % {"words": "、".join(vulnerable)})
    weight = row["category__risk_weight"] * policy.category_weight
    points += weight
    reasons.append(
        _("Category weight %(w)s (%(name)s)") % {"w": f"{weight.normalize():f}", "name": row["category__name"]}
    )
    return Scored(row["pk"], points.quantize(Decimal("0.01")), reasons, row["received_at"])


SELECTION_FIELDS = (
    "pk",
    "received_at",
    "summary",
    "resolved_at_scene",
    "repeat_caller_count",
    "repeat_address_count",
    "category__risk_weight",
    "category__name",
)


def choose(scored: list[Scored], policy: SelectionPolicy) -> list[Scored]:
    """The proposal: everything at or above the threshold up to the maximum, topped up to the minimum
    with the next best; all of them when fewer qualify. Highest score first, earliest call on ties."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.received_at, s.incident_id))
    above = [s for s in ranked if s.score >= policy.threshold][: policy.max_items]
    if len(above) >= policy.min_items:
        return above
    return ranked[: policy.min_items]
