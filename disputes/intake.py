"""Incident intake: validation with field errors, duplicates by 110 number, repeat counting and
linking, all in bulk so that a batch of thousands costs a handful of queries.

One path for everything: the API's single POST is a batch of one, the batch endpoint and
the file import call `intake` with many rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import day_of
from disputes.models import Category
from stations.models import Community

from .identity import normalise_id_number, normalise_phone, place_key
from .models import ImportAlias, Incident, RepeatGroup, RepeatLink, RepeatRule

NUMBER = re.compile(r"^[A-Za-z0-9-]{4,32}$")
FUTURE_SKEW = dt.timedelta(minutes=5)
MAX_OFFSET = dt.timedelta(hours=14)  # the widest UTC offset in use (Kiribati, UTC+14)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
TRUE = {"true", "1", "yes", "y", "是", "t"}
FALSE = {"false", "0", "no", "n", "否", "f", ""}
FIELDS = (
    "number",
    "received_at",
    "category",
    "caller_name",
    "caller_phone",
    "caller_id_number",
    "address",
    "community",
    "summary",
    "resolved_at_scene",
)


@dataclass
class Refs:
    """Reference data a batch is checked against, loaded once per batch."""

    categories: dict[str, Category]
    communities: dict[str, Community]
    rule: RepeatRule

    @classmethod
    def load(cls) -> Refs:
        """Each category and community under its code, its name and the district's aliases (a code
        wins over a name, a name over an alias); three queries."""
        categories = list(Category.objects.all())
        communities = list(Community.objects.select_related("station", "subdistrict"))
        by_category: dict[str, Category] = {}
        by_community: dict[str, Community] = {}
        aliases = ImportAlias.objects.select_related("category", "community__station", "community__subdistrict")
        for alias in aliases:
            if alias.category is not None:
                by_category[ref_key(alias.alias)] = alias.category
            if alias.community is not None:
                by_community[ref_key(alias.alias)] = alias.community
        by_category |= {ref_key(c.name): c for c in categories} | {ref_key(c.code): c for c in categories}
        by_community |= {ref_key(c.name): c for c in communities} | {ref_key(c.code): c for c in communities}
        return cls(categories=by_category, communities=by_community, rule=RepeatRule.current())


def ref_key(text: str) -> str:
    """The lookup form of a code, name or alias: full-width folded, no spaces, case-insensitive."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


@dataclass
class IntakeResult:
    created: list[Incident] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)  # {index, number}
    errors: list[dict[str, Any]] = field(default_factory=list)  # {index, errors: {field: [messages]}}
    flagged: list[Incident] = field(default_factory=list)


def _text(raw: Mapping[str, Any], name: str, limit: int, errors: dict[str, list[str]], *, required: bool = True) -> str:
    value = raw.get(name)
    value = "" if value is None else str(value).strip()
    if "\x00" in value:
        # PostgreSQL cannot store it: refused here, before anything of the batch is written.
        errors[name] = [_("This text holds a NUL character, which cannot be stored.")]
    elif not value and required:
        errors[name] = [_("This field is required.")]
    elif len(value) > limit:
        errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    return value


def _received_at(value: Any, now: dt.datetime, errors: dict[str, list[str]]) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            errors["received_at"] = [_("This field is required.")]
            return None
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            errors["received_at"] = [_("Enter a date and time in ISO 8601, e.g. 2026-03-15T17:30:00+08:00.")]
            return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        errors["received_at"] = [_("Give the time with its UTC offset, e.g. +08:00.")]
        return None
    if abs(moment.utcoffset()) > MAX_OFFSET:  # type: ignore[arg-type]
        errors["received_at"] = [_("A UTC offset lies between -14:00 and +14:00.")]
        return None
    if moment > now + FUTURE_SKEW:
        errors["received_at"] = [_("This time is in the future.")]
        return None
    if moment < EARLIEST:
        errors["received_at"] = [_("This time is too far in the past.")]
        return None
    return moment


def clean_row(raw: Any, refs: Refs, now: dt.datetime) -> tuple[Incident | None, dict[str, list[str]]]:
    """An unsaved Incident from one row, or the row's errors by field."""
    if not isinstance(raw, Mapping):
        return None, {"non_field_errors": [_("Each incident must be an object.")]}
    errors: dict[str, list[str]] = {}
    number = _text(raw, "number", 32, errors)
    if number and "number" not in errors and not NUMBER.match(number):
        errors["number"] = [_("An incident number holds 4 to 32 letters, digits or dashes.")]
    received_at = _received_at(raw.get("received_at"), now, errors)
    category = refs.categories.get(ref_key(_text(raw, "category", 100, errors)))
    if category is None and "category" not in errors:
        errors["category"] = [_("Unknown category: give its code, its name or an alias.")]
    community = refs.communities.get(ref_key(_text(raw, "community", 100, errors)))
    if community is None and "community" not in errors:
        errors["community"] = [_("Unknown community: give its code, its name or an alias.")]
    caller_name = _text(raw, "caller_name", 50, errors)
    caller_phone = _text(raw, "caller_phone", 20, errors)
    phone_norm = ""
    if caller_phone and "caller_phone" not in errors:
        try:
            phone_norm = normalise_phone(caller_phone)
        except ValidationError as exc:
            errors["caller_phone"] = exc.messages
    id_number = ""
    raw_id = _text(raw, "caller_id_number", 18, errors, required=False)
    if raw_id and "caller_id_number" not in errors:
        try:
            id_number = normalise_id_number(raw_id, today=day_of(now))
        except ValidationError as exc:
            errors["caller_id_number"] = exc.messages
    address = _text(raw, "address", 200, errors)
    summary = _text(raw, "summary", 2000, errors)
    scene = raw.get("resolved_at_scene", False)
    if not isinstance(scene, bool):
        text = str(scene).strip().lower()
        if text not in TRUE | FALSE:
            errors["resolved_at_scene"] = [_("Answer true or false.")]
        scene = text in TRUE
    if errors:
        return None, errors
    incident = Incident(
        number=number,
        received_at=received_at,
        category=category,
        caller_name=caller_name,
        caller_phone=caller_phone,
        caller_phone_norm=phone_norm,
        caller_id_number=id_number,
        address=address,
        address_norm=place_key(address),
        community=community,
        station=community.station,  # type: ignore[union-attr]
        summary=summary,
        resolved_at_scene=scene,
    )
    incident.is_severe = bool(category.is_severe) or any(w in summary for w in refs.rule.words)  # type: ignore[union-attr]
    return incident, {}


@dataclass
class _Seen:
    """Earlier incidents by key, sorted by time: (received_at, pk or a batch marker, severe)."""

    by_key: dict[tuple[str, str], list[tuple[dt.datetime, Any, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, kind: str, key: str, at: dt.datetime, ident: Any, severe: bool) -> None:
        if key:
            self.by_key[(kind, key)].append((at, ident, severe))

    def sort(self) -> None:
        for rows in self.by_key.values():
            rows.sort(key=lambda r: (r[0], str(r[1])))

    def window(self, kind: str, key: str, lo: dt.datetime, hi: dt.datetime) -> list[tuple[dt.datetime, Any, bool]]:
        rows = self.by_key.get((kind, key), [])
        return rows[bisect_right(rows, lo, key=_at) : bisect_right(rows, hi, key=_at)]


def _at(row: tuple[dt.datetime, Any, bool]) -> dt.datetime:
    return row[0]


def _caller_keys(incident: Incident) -> list[tuple[str, str]]:
    keys = [("phone", incident.caller_phone_norm)]
    if incident.caller_id_number:
        keys.append(("id", incident.caller_id_number))
    return keys


def earlier_incidents(batch: list[Incident], window: dt.timedelta) -> QuerySet[Incident]:
    """The stored incidents of the batch's callers (phone, resident ID) and places, from a window
    before its first call to its last: one query, whatever the size of the batch."""
    phones = {i.caller_phone_norm for i in batch}
    ids = {i.caller_id_number for i in batch if i.caller_id_number}
    places = {i.address_norm for i in batch if i.address_norm}
    # The "not empty" conditions repeat those of the partial indexes: PostgreSQL proves a partial
    # index usable for an IN list of at most 100 values only. No ORDER BY: it would add a sort.
    return Incident.objects.filter(
        Q(caller_phone_norm__in=phones)
        | (Q(caller_id_number__in=ids) & ~Q(caller_id_number=""))
        | (Q(address_norm__in=places) & ~Q(address_norm="")),
        received_at__gt=min(i.received_at for i in batch) - window,
        received_at__lte=max(i.received_at for i in batch),
    ).order_by()


def count_repeats(batch: list[Incident], rule: RepeatRule) -> dict[int, dict[str, list[Any]]]:
    """Set each new incident's repeat counts and flag; return, per batch index, the earlier
    incidents (pks, or batch indexes as ("new", i)) it matches by caller and by place."""
    if not batch:
        return {}
    window = dt.timedelta(days=rule.window_days)
    seen = _Seen()
    earlier = earlier_incidents(batch, window).values_list(
        "pk", "caller_phone_norm", "caller_id_number", "address_norm", "received_at", "is_severe"
    )
    for pk, phone, id_number, place, at, severe in earlier:
        seen.add("phone", phone, at, pk, severe)
        seen.add("id", id_number, at, pk, severe)
        seen.add("place", place, at, pk, severe)
    for index, incident in enumerate(batch):
        marker = ("new", index)
        for kind, key in _caller_keys(incident):
            seen.add(kind, key, incident.received_at, marker, incident.is_severe)
        seen.add("place", incident.address_norm, incident.received_at, marker, incident.is_severe)
    seen.sort()

    matches: dict[int, dict[str, list[Any]]] = {}
    for index, incident in enumerate(batch):
        start, end = incident.received_at - window, incident.received_at
        caller = {
            ident: severe
            for kind, key in _caller_keys(incident)
            for _at, ident, severe in seen.window(kind, key, start, end)
        }
        place = {ident: severe for _at, ident, severe in seen.window("place", incident.address_norm, start, end)}
        place = place or {("new", index): incident.is_severe}
        incident.repeat_caller_count = len(caller)
        incident.repeat_address_count = len(place)
        incident.repeat_flagged = any(
            len(group) >= rule.threshold or (len(group) >= rule.severe_threshold and any(group.values()))
            for group in (caller, place)
        )
        matches[index] = {
            "caller": [i for i in caller if i != ("new", index)],
            "place": [i for i in place if i != ("new", index)],
        }
    return matches


def _link_groups(created: list[Incident], matches: dict[int, dict[str, list[Any]]]) -> None:
    """Put every incident with an earlier match into the repeat group of its caller / its place."""
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    owner: dict[tuple[str, str], Incident] = {}
    for index, incident in enumerate(created):
        for kind, key, found in (
            (RepeatGroup.Kind.CALLER, incident.caller_phone_norm, matches[index]["caller"]),
            (RepeatGroup.Kind.PLACE, incident.address_norm, matches[index]["place"]),
        ):
            if not found or not key:
                continue
            members = {created[i[1]].pk if isinstance(i, tuple) else i for i in found} | {incident.pk}
            wanted[(kind, key)] |= members
            if (kind, key) not in owner or owner[(kind, key)].received_at <= incident.received_at:
                owner[(kind, key)] = incident
    if not wanted:
        return
    groups = _groups(wanted)
    missing = [k for k in wanted if k not in groups]
    if missing:
        RepeatGroup.objects.bulk_create(
            [
                RepeatGroup(
                    kind=kind,
                    key=key,
                    station_id=owner[(kind, key)].station_id,
                    community_id=owner[(kind, key)].community_id,
                    first_at=owner[(kind, key)].received_at,
                    last_at=owner[(kind, key)].received_at,
                )
                for kind, key in missing
            ],
            ignore_conflicts=True,
        )
        groups |= _groups(missing)
    touched = []
    for k, group in groups.items():
        latest = owner[k]
        values = (latest.received_at, latest.station_id, latest.community_id)
        if latest.received_at >= group.last_at and values != (group.last_at, group.station_id, group.community_id):
            group.last_at, group.station_id, group.community_id = values
            touched.append(group)
    # The groups exist: this upsert only updates them, in one statement. (bulk_update builds one
    # CASE per row and field, which takes seconds for thousands of groups.)
    RepeatGroup.objects.bulk_create(
        [
            RepeatGroup(
                kind=g.kind,
                key=g.key,
                station_id=g.station_id,
                community_id=g.community_id,
                first_at=g.first_at,
                last_at=g.last_at,
            )
            for g in touched
        ],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["last_at", "station_id", "community_id"],
    )
    RepeatLink.objects.bulk_create(
        [RepeatLink(group_id=groups[k].pk, incident_id=pk) for k, members in wanted.items() for pk in members],
        ignore_conflicts=True,
    )
    if missing:
        # A new group starts at its earliest call, which may be an incident stored before this batch.
        earliest = RepeatLink.objects.filter(group=OuterRef("pk")).order_by("incident__received_at")
        RepeatGroup.objects.filter(pk__in=[groups[k].pk for k in missing]).update(
            first_at=Subquery(earliest.values("incident__received_at")[:1])
        )


def _groups(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], RepeatGroup]:
    """The repeat groups of these (kind, key) pairs, with one IN list per kind (the unique index
    serves it; an OR of thousands of pairs takes the planner longer than the scan)."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, key in pairs:
        by_kind[kind].add(key)
    found = Q()
    for kind, keys in by_kind.items():
        found |= Q(kind=kind, key__in=keys)
    return {(g.kind, g.key): g for g in RepeatGroup.objects.filter(found)}


def intake(
    rows: Iterable[Any], *, actor: Any = None, now: dt.datetime | None = None, refs: Refs | None = None
) -> IntakeResult:
    """Validate, store and link a batch of incidents. Good rows are kept, bad ones reported."""
    now = now or timezone.now()
    refs = refs or Refs.load()
    result = IntakeResult()
    candidates: list[tuple[int, Incident]] = []
    numbers: set[str] = set()
    for index, raw in enumerate(rows):
        incident, errors = clean_row(raw, refs, now)
        if errors:
            result.errors.append({"index": index, "errors": errors})
        elif incident.number in numbers:  # type: ignore[union-attr]
            result.duplicates.append({"index": index, "number": incident.number})  # type: ignore[union-attr]
        else:
            numbers.add(incident.number)  # type: ignore[union-attr]
            candidates.append((index, incident))  # type: ignore[arg-type]
    for attempt in (1, 2):
        existing = set(Incident.objects.filter(number__in=numbers).values_list("number", flat=True))
        fresh = [(index, i) for index, i in candidates if i.number not in existing]
        try:
            with transaction.atomic():
                stored = _store([i for _index, i in fresh], actor, refs.rule)
            break
        except IntegrityError:
            # Another intake stored some of these numbers a moment ago: look again, once.
            if attempt == 2:
                raise
    result.duplicates += [{"index": index, "number": i.number} for index, i in candidates if i.number in existing]
    result.duplicates.sort(key=lambda d: d["index"])
    result.created = stored
    live_since = now - dt.timedelta(hours=refs.rule.live_hours)
    result.flagged = [i for i in stored if i.repeat_flagged and i.received_at >= live_since]
    return result


def _store(fresh: list[Incident], actor: Any, rule: RepeatRule) -> list[Incident]:
    if not fresh:
        return []
    for incident in fresh:
        incident.created_by = actor if getattr(actor, "pk", None) else None
    matches = count_repeats(fresh, rule)
    created = Incident.objects.bulk_create(fresh)
    _link_groups(created, matches)
    return created
