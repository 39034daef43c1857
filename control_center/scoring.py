"""The daily selection's score: transparent, each point with a reason a person reads.

`score` is the number alone (it runs over a whole day, tens of thousands of incidents);
`explain` gives the same points as sentences, for the few incidents that are proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import SelectionPolicy

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


@dataclass(frozen=True)
class Scored:
    row: dict[str, Any]
    score: Decimal

    @property
    def incident_id(self) -> int:
        return self.row["pk"]


def _parts(row: dict[str, Any], policy: SelectionPolicy) -> dict[str, Any]:
    summary = row["summary"]
    return {
        "calls": row["repeat_caller_count"],
        "place": row["repeat_address_count"],
        "words": [w for w in policy.risk_word_list if w in summary],
        "unsettled": not row["resolved_at_scene"],
        "vulnerable": [w for w in policy.vulnerable_word_list if w in summary],
        "weight": row["category__risk_weight"] * policy.category_weight,
    }


def score(row: dict[str, Any], policy: SelectionPolicy) -> Scored:
    """The score of one incident given as a dict of `SELECTION_FIELDS`."""
    p = _parts(row, policy)
    points = p["weight"] + policy.repeat_weight * (p["calls"] - 1) + policy.repeat_weight * (p["place"] - 1) / 2
    points += policy.risk_word_weight * len(p["words"])
    if p["unsettled"]:
        points += policy.unsettled_weight
    if p["vulnerable"]:
        points += policy.vulnerable_weight
    return Scored(row, points.quantize(Decimal("0.01")))


def explain(row: dict[str, Any], policy: SelectionPolicy, *, window_days: int) -> list[str]:
    """Why the incident scored what it did, point by point. The reasons are stored, so they are
    written in the district's language whoever (or whatever) runs this."""
    p = _parts(row, policy)
    reasons = []
    with translation.override(settings.LANGUAGE_CODE):
        if p["calls"] > 1:
            reasons.append(_("Call %(n)d from this caller in %(days)d days") % {"n": p["calls"], "days": window_days})
        if p["place"] > 1:
            reasons.append(_("Call %(n)d from this address in %(days)d days") % {"n": p["place"], "days": window_days})
        if p["words"]:
            reasons.append(_("Risk words: %(words)s") % {"words": "、".join(p["words"])})
        if p["unsettled"]:
            reasons.append(_("Not settled at the scene"))
        if p["vulnerable"]:
            reasons.append(_("Vulnerable parties: %(words)s") % {"words": "、".join(p["vulnerable"])})
        weight = f"{p['weight'].normalize():f}"
        reasons.append(_("Category weight %(w)s (%(name)s)") % {"w": weight, "name": row["category__name"]})
    return reasons


def choose(scored: list[Scored], policy: SelectionPolicy) -> list[Scored]:
    """The proposal: everything at or above the threshold up to the maximum, topped up to the minimum
    with the next best; all of them when fewer qualify. Highest score first, earliest call on ties."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.row["received_at"], s.incident_id))
    above = [s for s in ranked if s.score >= policy.threshold][: policy.max_items]
    if len(above) >= policy.min_items:
        return above
    return ranked[: policy.min_items]
