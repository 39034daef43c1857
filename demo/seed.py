"""Write the demo district through the real services: the organisation, the officers and their
logins, the categories, three weeks of 110 incidents ending now, and the weeks of work behind them.

Idempotent and deterministic: every row is keyed on a code, a username or an
incident number, and all randomness comes from fixed-seed `random.Random`
instances (one per day for incidents), so a second run on the same day changes
no row count. A run on a later day adds that day's incidents.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.time import day_at, day_of
from demo.district import (
    CRIMINAL_CATEGORIES,
    DAYS,
    DEPARTMENTS,
    DISPUTE_CATEGORIES,
    DISTRICT,
    HOUR_WEIGHTS,
    INCIDENT_PREFIX,
    MONEY,
    OTHER_CATEGORIES,
    PATROL_POSTS,
    PLACES,
    POLICE_STATIONS,
    REPEAT_CALLERS,
    SEED,
    SUBDISTRICTS,
    SUMMARIES,
    community_code,
    make_id_number,
    make_name,
    make_phone,
    officer_specs,
)
from demo.history import seed_history
from demo.patrol import seed_patrol
from disputes.models import Category
from disputes.services import incidents_intake
from stations.models import Community, Department, District, Officer, PatrolUnit, Station, Subdistrict
from stations.services import officer_create, officer_sync_groups


class SeedError(Exception):
    """The demo data do not go in (the command reports it as a CommandError)."""


def seed_district(*, password: str, reset_passwords: bool = False) -> int:
    """Seed everything in one transaction; the number of incidents this run added."""
    with transaction.atomic():
        seed_organisation()
        usernames = seed_officers()
        seed_admin()
        seed_patrol(timezone.now())
        # One hash for every demo login: hashing each one would take minutes. A login that already has a
        # password (a real account of the same name, or one changed since) keeps it unless asked.
        logins = get_user_model().objects.filter(username__in=[*usernames, "admin"])
        if not reset_passwords:
            logins = logins.filter(Q(password="") | Q(password__startswith=UNUSABLE_PASSWORD_PREFIX))
        logins.update(password=make_password(password))
        seed_categories()
        added = seed_incidents()
        seed_history(DAYS)
    return added


# The organisation ---------------------------------------------------------------------------------------


def seed_organisation() -> None:
    rng = random.Random(SEED + 1)
    district, _ = District.objects.update_or_create(code=DISTRICT[0], defaults={"name": DISTRICT[1]})
    subdistricts = {
        code: Subdistrict.objects.update_or_create(code=code, defaults={"name": name, "district": district})[0]
        for code, name in SUBDISTRICTS
    }
    for code, name in DEPARTMENTS:
        Department.objects.update_or_create(code=code, defaults={"name": name})
    for kind, specs in ((Station.Kind.POLICE_STATION, POLICE_STATIONS), (Station.Kind.PATROL_POST, PATROL_POSTS)):
        for spec in specs:
            station, _ = Station.objects.update_or_create(
                code=spec.code,
                defaults={
                    "district": district,
                    "name": spec.name,
                    "kind": kind,
                    "address": f"江汉区{spec.roads[0]}{rng.randint(8, 320)}号",
                    "phone": f"027-{rng.randint(82000000, 85999999)}",
                },
            )
            for i, name in enumerate(spec.communities):
                Community.objects.update_or_create(
                    code=community_code(spec, i),
                    defaults={"name": name, "station": station, "subdistrict": subdistricts[spec.subdistrict]},
                )
            if kind == Station.Kind.PATROL_POST:
                for n in (1, 2):
                    PatrolUnit.objects.update_or_create(
                        code=f"{spec.code}-{n}",
                        defaults={
                            "station": station,
                            "name": f"{spec.name.removesuffix('警务站')}巡逻{n}组",
                            "plate_number": f"鄂A·{rng.randint(1000, 9999)}警",
                        },
                    )


def seed_officers() -> list[str]:
    """Create the officers who are missing; existing users keep their data."""
    specs = officer_specs()
    stations = {s.code: s for s in Station.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    communities = {c.code: c for c in Community.objects.all()}
    units = {u.code: u for u in PatrolUnit.objects.all()}
    existing = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[s.username for s in specs]).select_related("officer")
    }
    for spec in specs:
        fields: dict[str, Any] = {
            "name": spec.name,
            "role": spec.role,
            "station": stations[spec.station] if spec.station else None,
            "department": departments[spec.department] if spec.department else None,
            "patrol_unit": units[spec.patrol_unit] if spec.patrol_unit else None,
            "is_auxiliary": spec.is_auxiliary,
            "badge_number": spec.badge_number,
            "phone": spec.phone,
            "subdistrict": communities[spec.subdistrict_of].subdistrict if spec.subdistrict_of else None,
        }
        covered = [communities[code] for code in spec.communities]
        user = existing.get(spec.username)
        if user is None:
            officer_create(username=spec.username, password=None, communities=covered, **fields)
        elif not hasattr(user, "officer"):
            # A user of that name without a profile: give it the demo role.
            officer = Officer.objects.create(user=user, **fields)
            officer.communities.set(covered)
            officer_sync_groups(officer)
    return [s.username for s in specs]


def seed_admin() -> None:
    user, _ = get_user_model().objects.get_or_create(username="admin", defaults={"first_name": "管理员"})
    if not (user.is_staff and user.is_superuser and user.is_active):
        user.is_staff = user.is_superuser = user.is_active = True
        user.save(update_fields=["is_staff", "is_superuser", "is_active"])


# Categories ---------------------------------------------------------------------------------------------


def seed_categories() -> None:
    """The demo's categories, by code: disputes 0010 ships the same ones, and the demo writes its values over
    whatever is there (update_or_create), so a seeded database holds the demo's categories either way."""
    order = 0
    for code, name, hours, weight, _share, _home in DISPUTE_CATEGORIES:
        order += 1
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_dispute": True,
                "is_criminal": False,
                "feedback_hours": hours,
                "risk_weight": Decimal(weight),
                "sort_order": order,
                "is_severe": code == "domestic_violence",
                "answer_sheet_code": f"dispute-{code}",
            },
        )
    for criminal, kinds in ((False, OTHER_CATEGORIES), (True, CRIMINAL_CATEGORIES)):
        for code, name, _share, _home in kinds:
            order += 1
            Category.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "is_dispute": False,
                    "is_criminal": criminal,
                    "feedback_hours": None,
                    "risk_weight": Decimal("2.0" if criminal else "1.0"),
                    "sort_order": order,
                },
            )


# Incidents ----------------------------------------------------------------------------------------------


def seed_incidents() -> int:
    """Three weeks of calls, day by day through the real intake (validation, repeat linking and,
    for calls of the last hours, revisit instructions), so the demo shows what production would."""
    communities = {c.code: c for c in Community.objects.all()}
    roads = {
        community_code(spec, i): spec.roads[i % len(spec.roads)]
        for spec in POLICE_STATIONS
        for i in range(len(spec.communities))
    }
    now = timezone.now()
    today = day_of(now)
    added = 0
    for back in range(DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        rows = []
        for row in day_incidents(day, communities, roads):
            if row["received_at"] > now:
                break
            rows.append(
                {
                    **{k: v for k, v in row.items() if k not in ("category_code", "community", "station_id")},
                    "category": row["category_code"],
                    "community": row["community"].code,
                }
            )
        result = incidents_intake(rows, now=now)
        if result.errors:
            raise SeedError(f"demo incidents of {day} do not validate: {result.errors[:3]}")
        added += len(result.created)
    return added


def day_incidents(day: dt.date, communities: dict[str, Community], roads: dict[str, str]) -> list[dict[str, Any]]:
    """Every incident of one day, in time order and numbered, from a seed fixed by the date."""
    rng = random.Random(f"{SEED}:{day.isoformat()}")
    places = [(communities[code], road) for code, road in roads.items() if code in communities]
    codes = [code for code, *_ in DISPUTE_CATEGORIES + OTHER_CATEGORIES + CRIMINAL_CATEGORIES]
    shares = [row[-2] for row in DISPUTE_CATEGORIES + OTHER_CATEGORIES + CRIMINAL_CATEGORIES]
    at_home = {row[0]: row[-1] for row in DISPUTE_CATEGORIES + OTHER_CATEGORIES + CRIMINAL_CATEGORIES}
    disputes = {row[0] for row in DISPUTE_CATEGORIES}
    criminal = {row[0] for row in CRIMINAL_CATEGORIES}
    count = rng.randint(70, 105) + (10 if day.weekday() >= 5 else 0)
    rows: list[dict[str, Any]] = []
    for _ in range(count):
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        received_at = day_at(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
        code = rng.choices(codes, weights=shares)[0]
        community, road = rng.choice(places)
        male = rng.random() < 0.5
        name = make_name(rng, male=male)
        if rng.random() < 0.15:
            name = name[0] + ("先生" if male else "女士")
        number = rng.randint(1, 420)
        if at_home[code]:
            address = (
                f"江汉区{road}{number}号{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元"
                f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
            )
        else:
            address = f"江汉区{road}{number}号{rng.choice(PLACES)}"
        id_share = 0.5 if code in {"family", "domestic_violence"} else 0.25
        id_number = make_id_number(rng, male=male) if rng.random() < id_share else ""
        summary = rng.choice(SUMMARIES[code]).format(road=road, money=rng.choice(MONEY))
        if code in criminal:
            resolved = rng.random() < 0.15
        elif code == "domestic_violence":
            resolved = rng.random() < 0.6
        else:
            resolved = rng.random() < (0.85 if code in disputes else 0.9)
        rows.append(
            {
                "received_at": received_at,
                "category_code": code,
                "caller_name": name,
                "caller_phone": make_phone(rng),
                "caller_id_number": id_number,
                "address": address,
                "community": community,
                "station_id": community.station_id,
                "summary": summary,
                "resolved_at_scene": resolved,
            }
        )
    ordinal = day.toordinal()
    for caller in REPEAT_CALLERS:
        if ordinal % caller.period != caller.offset:
            continue
        turn = ordinal // caller.period
        code = caller.communities[turn % len(caller.communities)]
        if code not in communities:
            continue
        community = communities[code]
        category, summary = caller.calls[turn % len(caller.calls)]
        address = caller.address or f"江汉区{roads[code]}{(turn % 40) * 7 + 3}号工地门口"
        rows.append(
            {
                "received_at": day_at(day, caller.at),
                "category_code": category,
                "caller_name": caller.name,
                "caller_phone": caller.phone,
                "caller_id_number": caller.id_number,
                "address": address,
                "community": community,
                "station_id": community.station_id,
                "summary": summary,
                "resolved_at_scene": True,
            }
        )
    rows.sort(key=lambda r: r["received_at"])
    for seq, row in enumerate(rows, start=1):
        row["number"] = f"{INCIDENT_PREFIX}{day:%Y%m%d}{seq:05d}"
    return rows
