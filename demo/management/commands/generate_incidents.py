"""Realistic incidents for the demo communities, in bulk, for benchmarks and demos.

    manage.py generate_incidents --count 100000 --days 90 [--seed 1] [--repeat-share 0.05]
                                 [--batch 5000] [--through-intake | --direct] [--until-days-ago 0]

Calls are spread over the last D days (or D days ending N days ago) with the 110 hour profile and the demo's category
proportions (the seed's tables; other categories get a small share). A share of the calls come in
series: the same caller (by phone, often with a resident ID) at home or at several places, or the
same door with different callers, 2 to 6 calls within a few weeks. Series callers are drawn from a
pool shared by every run, so a later run also repeats callers of earlier ones.

Numbers are SIM, a run id (one more than the last run stored) and a sequence, so they never
collide with the seed's (J420103...) or an earlier run's. For a given --seed, the rows depend only
on the moment of the run and the categories and communities present.

By default the rows go through `disputes.intake.intake` batch by batch (validation, repeat counts
and links; no revisit instructions). --direct validates each row the same way (`clean_row`) and
bulk-inserts it with the repeat counts at their defaults, to build a large base quickly.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.time import day_at, day_of
from demo.district import (
    CRIMINAL_CATEGORIES,
    DISPUTE_CATEGORIES,
    HOUR_WEIGHTS,
    MONEY,
    OTHER_CATEGORIES,
    PLACES,
    POLICE_STATIONS,
    SUMMARIES,
    community_code,
    make_id_number,
    make_name,
    make_phone,
)
from disputes.intake import Refs, clean_row, intake
from disputes.models import Category, Incident
from stations.models import Community

PREFIX = "SIM"
POOL = 10_000  # repeat callers shared by every run
KNOWN = (*DISPUTE_CATEGORIES, *OTHER_CATEGORIES, *CRIMINAL_CATEGORIES)
SHARES = {row[0]: row[-2] for row in KNOWN}
AT_HOME = {row[0]: row[-1] for row in KNOWN}
ROADS = {
    community_code(spec, i): spec.roads[i % len(spec.roads)]
    for spec in POLICE_STATIONS
    for i in range(len(spec.communities))
}
ALL_ROADS = sorted({road for spec in POLICE_STATIONS for road in spec.roads})
HOURS_CUM = list(accumulate(HOUR_WEIGHTS))
# What repeat series are about: a caller at home, a caller at several places, one door.
SERIES_AT_HOME = ("family", "domestic_violence", "neighbour", "noise", "support", "marriage", "loan")
SERIES_ELSEWHERE = ("labour", "economic", "consumer", "enterprise", "loan")
SERIES_PLACE = ("noise", "neighbour", "property_management", "family")


@dataclass(frozen=True)
class Caller:
    name: str
    phone: str
    id_number: str


class Maker:
    """Rows in the shape `intake` takes, from one seeded random stream."""

    def __init__(self, *, seed: int, days: int, now: dt.datetime, categories: list[Category], communities: list[str]):
        if not categories or not communities:
            raise CommandError("No categories or communities: run `manage.py seed_demo` first.")
        self.rng = random.Random(f"generate_incidents:{seed}")  # noqa: S311 - demo data, not secrets
        self.now, self.since = now, now - dt.timedelta(days=days)
        self.categories = {c.code: c for c in categories}
        self.codes = sorted(self.categories)
        self.weights = list(accumulate(SHARES.get(code, 1.0) for code in self.codes))
        self.places = [(code, ROADS.get(code, ALL_ROADS[i % len(ALL_ROADS)])) for i, code in enumerate(communities)]

    # Pieces -------------------------------------------------------------------------------------------------

    def moment(self, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
        """A moment in (lo, hi] on a random day, at an hour drawn from the 110 profile."""
        rng, first = self.rng, day_of(lo)
        span = (day_of(hi) - first).days
        while True:
            day = first + dt.timedelta(days=rng.randint(0, span))
            hour = rng.choices(range(24), cum_weights=HOURS_CUM)[0]
            at = day_at(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
            if lo < at <= hi:
                return at

    def pick(self, among: tuple[str, ...] = ()) -> str:
        wanted = [code for code in among if code in self.categories]
        if wanted:
            return self.rng.choice(wanted)
        return self.rng.choices(self.codes, cum_weights=self.weights)[0]

    def caller(self, code: str, rng: random.Random | None = None) -> Caller:
        rng = rng or self.rng
        male = rng.random() < 0.5
        name = make_name(rng, male=male)
        if rng.random() < 0.15:
            name = name[0] + ("先生" if male else "女士")
        id_share = 0.5 if code in {"family", "domestic_violence"} else 0.25
        return Caller(name, make_phone(rng), make_id_number(rng, male=male) if rng.random() < id_share else "")

    def home(self, road: str, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        return (
            f"江汉区{road}{rng.randint(1, 420)}号{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        )

    def outside(self, road: str) -> str:
        return f"江汉区{road}{self.rng.randint(1, 420)}号{self.rng.choice(PLACES)}"

    def regular(self, i: int) -> tuple[Caller, tuple[str, str], str]:
        """Caller number i of the shared pool: the same person, home and community in every run."""
        rng = random.Random(f"generate_incidents:pool:{i}")  # noqa: S311
        caller = self.caller("family", rng)
        place = self.places[rng.randrange(len(self.places))]
        return caller, place, self.home(place[1], rng)

    def row(self, at: dt.datetime, code: str, caller: Caller, place: tuple[str, str], address: str) -> dict[str, Any]:
        category = self.categories[code]
        if category.is_criminal:
            resolved = self.rng.random() < 0.15
        else:
            resolved = self.rng.random() < (0.6 if category.is_severe else 0.85)
        templates = SUMMARIES.get(code) or [f"报警人称发生{category.name}，请求民警到场处理"]
        summary = self.rng.choice(templates).format(road=place[1], money=self.rng.choice(MONEY))
        return {
            "received_at": at,
            "category": code,
            "caller_name": caller.name,
            "caller_phone": caller.phone,
            "caller_id_number": caller.id_number,
            "address": address,
            "community": place[0],
            "summary": summary,
            "resolved_at_scene": resolved,
        }

    # Rows ---------------------------------------------------------------------------------------------------

    def single(self) -> dict[str, Any]:
        code = self.pick()
        place = self.rng.choice(self.places)
        at_home = AT_HOME.get(code, self.categories[code].is_dispute)
        address = self.home(place[1]) if at_home else self.outside(place[1])
        return self.row(self.moment(self.since, self.now), code, self.caller(code), place, address)

    def series(self, calls: int) -> list[dict[str, Any]]:
        """2 to 6 calls of one caller or at one door, within a few weeks."""
        rng = self.rng
        caller, place, home = self.regular(rng.randrange(POOL))
        span = min(self.now - self.since, dt.timedelta(days=rng.randint(7, 42)))
        start = self.since + (self.now - self.since - span) * rng.random()
        times = sorted(self.moment(start, start + span) for _ in range(calls))
        kind = rng.random()
        if kind < 0.5:  # the same caller at home: a family or a neighbour matter
            code = self.pick(SERIES_AT_HOME)
            return [
                self.row(at, self.pick((code, code, code, "domestic_violence")), caller, place, home) for at in times
            ]
        if kind < 0.7:  # the same caller at several places: unpaid wages, a debt
            code = self.pick(SERIES_ELSEWHERE)
            out = []
            for at in times:
                where = rng.choice(self.places)
                out.append(self.row(at, code, caller, where, self.outside(where[1])))
            return out
        code = self.pick(SERIES_PLACE)  # one door, different neighbours calling
        return [self.row(at, code, self.caller(code), place, home) for at in times]

    def rows(self, count: int, repeat_share: float, run: int) -> list[dict[str, Any]]:
        wanted = round(count * repeat_share)
        out: list[dict[str, Any]] = []
        while len(out) < wanted:
            out += self.series(min(self.rng.randint(2, 6), wanted - len(out)))
        out += [self.single() for _ in range(count - len(out))]
        out.sort(key=lambda r: r["received_at"])
        for seq, row in enumerate(out, start=1):
            row["number"] = f"{PREFIX}{run:04d}{seq:08d}"
        return out


def next_run() -> int:
    """One more than the run id of the last generated number."""
    last = (
        Incident.objects.filter(number__startswith=PREFIX).order_by("-number").values_list("number", flat=True).first()
    )
    run = (last or "")[len(PREFIX) : len(PREFIX) + 4]
    return int(run) + 1 if run.isdigit() else 1


def generate_rows(
    *, count: int, days: int, seed: int, now: dt.datetime, repeat_share: float = 0.05, run: int = 1
) -> list[dict[str, Any]]:
    """The rows of a run, over the `days` before `now`, without writing anything."""
    maker = Maker(
        seed=seed,
        days=days,
        now=now,
        categories=list(Category.objects.all()),
        communities=list(Community.objects.order_by("code").values_list("code", flat=True)),
    )
    return maker.rows(count, repeat_share, run)


class Command(BaseCommand):
    help = "Generate realistic incidents for the demo communities, through the intake or bulk-inserted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="number of incidents")
        parser.add_argument("--days", type=int, required=True, help="spread over the last D days")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat-share", type=float, default=0.05, help="share of calls in repeat series")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--until-days-ago", type=int, default=0, help="the period ends N days ago")
        path = parser.add_mutually_exclusive_group()
        path.add_argument(
            "--through-intake", dest="direct", action="store_false", default=False, help="validate and link (default)"
        )
        path.add_argument("--direct", dest="direct", action="store_true", help="bulk-insert, repeats not counted")

    def handle(self, *args: Any, **options: Any) -> None:
        count, days, batch = options["count"], options["days"], options["batch"]
        if count < 1 or days < 1 or batch < 1 or options["until_days_ago"] < 0 or not 0 <= options["repeat_share"] <= 1:
            raise CommandError(
                "--count, --days and --batch must be positive, --until-days-ago not negative, "
                "--repeat-share between 0 and 1."
            )
        now = timezone.now()
        run = next_run()
        started = time.monotonic()
        rows = generate_rows(
            count=count,
            days=days,
            seed=options["seed"],
            now=now - dt.timedelta(days=options["until_days_ago"]),
            repeat_share=options["repeat_share"],
            run=run,
        )
        self.stdout.write(f"run {run}: {count:,} rows generated in {time.monotonic() - started:.1f} s")
        refs = Refs.load()
        stored = duplicates = repeats = flagged = 0
        started = time.monotonic()
        for i in range(0, count, batch):
            chunk = rows[i : i + batch]
            if options["direct"]:
                incidents = []
                for n, raw in enumerate(chunk, start=i):
                    incident, errors = clean_row(raw, refs, now)
                    if errors:
                        raise CommandError(f"generated row {n} does not validate: {errors}")
                    incidents.append(incident)
                stored += len(Incident.objects.bulk_create(incidents))
            else:
                result = intake(chunk, now=now, refs=refs)
                if result.errors:
                    raise CommandError(f"generated rows do not validate: {result.errors[:3]}")
                stored += len(result.created)
                duplicates += len(result.duplicates)
                repeats += sum(1 for x in result.created if x.repeat_caller_count > 1 or x.repeat_address_count > 1)
                flagged += sum(1 for x in result.created if x.repeat_flagged)
            rate = (i + len(chunk)) / (time.monotonic() - started)
            self.stdout.write(f"  {i + len(chunk):,}/{count:,} stored, {rate:,.0f} rows/s")
        seconds = time.monotonic() - started
        how = "bulk-inserted" if options["direct"] else "through the intake"
        self.stdout.write(
            self.style.SUCCESS(
                f"{stored:,} incidents {how} in {seconds:.1f} s ({stored / seconds:,.0f} rows/s), "
                f"numbers {rows[0]['number']}..{rows[-1]['number']}"
            )
        )
        if not options["direct"]:
            self.stdout.write(f"  duplicates {duplicates:,}; repeat calls {repeats:,}; flagged as risks {flagged:,}")
