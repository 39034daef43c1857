"""Seed a realistic demo district: Jianghan (江汉区), Wuhan.

One district, its subdistricts, 19 police stations and 6 patrol posts with their
communities, departments, patrol units and officers (one demo login per role),
the incident categories, and three weeks of 110 incidents ending now.

Idempotent and deterministic: every row is keyed on a code, a username or an
incident number, and all randomness comes from fixed-seed `random.Random`
instances (one per day for incidents), so a second run on the same day changes
no row count. A run on a later day adds that day's incidents.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.district import DEFAULT_PASSWORD, demo_logins
from demo.seed import SeedError, seed_district
from disputes.models import Category, Incident
from stations.models import Community, Officer, Station


class Command(BaseCommand):
    help = "Seed the demo district (Jianghan, Wuhan): organisation, officers, categories, three weeks of incidents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every demo login")
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="also set the password of demo logins that already have one (the embedded demo does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_demo does not run under production settings: it would add demo logins.")
        password = options.get("password") or DEFAULT_PASSWORD
        if not password.strip():
            raise CommandError("The password must not be blank.")
        started = time.monotonic()
        try:
            added = seed_district(password=password, reset_passwords=bool(options.get("reset_passwords")))
        except SeedError as e:
            raise CommandError(str(e)) from e
        self.report(password, added, time.monotonic() - started)

    def report(self, password: str, added: int, seconds: float) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"Seeded the demo district in {seconds:.1f} s."))
        out.write(f"  police stations: {Station.objects.filter(kind=Station.Kind.POLICE_STATION).count()}")
        out.write(f"  patrol posts:    {Station.objects.filter(kind=Station.Kind.PATROL_POST).count()}")
        out.write(f"  communities:     {Community.objects.count()}")
        out.write(f"  officers:        {Officer.objects.count()}")
        out.write(f"  categories:      {Category.objects.count()}")
        out.write(f"  incidents:       {Incident.objects.count()} ({added} added by this run)")
        out.write(f"Demo logins (password for all: {password}):")
        width = max(len(u) for u, _ in demo_logins())
        for username, description in demo_logins():
            out.write(f"  {username.ljust(width)}  {description}")
