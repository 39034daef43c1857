"""Bring the whole system up on this machine: migrate, seed the demo district, then
run the web server, a Celery worker and Celery beat until interrupted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


# Where each demo login starts (what the banner prints beside it; tests/demo/test_demo_pages.py
# checks that each answers for its login).
START_PAGES = {
    "center": "/center/",
    "supervisor": "/rankings/",
    "hlj_command": "/stations/hualoujie/queue/",
    "hlj_leader": "/rankings/",
    "hlj_officer": "/m/",
    "wuzhan_patrol": "/m/",
    "wuzhan_desk": "/stations/wuzhan/queue/",
    "wuzhan_chief": "/stations/wuzhan/",
    "population": "/center/",
    "neibao": "/standard-tasks/",
    "auditor": "/audit/",
    "hlj_street": "/area/pushes/",
    "hlj_community": "/area/pushes/",
    "admin": "/admin/",
}


def child_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the web server, the worker and beat: the demo runs with DEBUG off (the site's own
    error pages, never Django's debug page) unless DEBUG is set explicitly."""
    environ = dict(os.environ if environ is None else environ)
    return {
        **environ,
        "DJANGO_SETTINGS_MODULE": environ.get("DJANGO_SETTINGS_MODULE", ""),
        "DEBUG": environ.get("DEBUG", "false"),
    }


def banner(url: str, password: str) -> list[str]:
    """What the demo prints once it runs: only pages that exist, each login with its start page."""
    from demo.district import demo_logins

    width = max(len(u) for u, _ in demo_logins())
    return [
        "",
        "=" * 64,
        f"  基础管控中心 is running at {url}/",
        f"  log in at {url}/accounts/login/   (admin: {url}/admin/, API: {url}/api/docs/)",
        f"  demo logins (password for all: {password}):",
        *(f"    {u.ljust(width)}  {url}{START_PAGES.get(u, '/')}  {desc}" for u, desc in demo_logins()),
        "  web, Celery worker and Celery beat are running; Ctrl-C stops them all.",
        "  another port: bin/demo --port 8080 (or PORT=8080 bin/demo); a busy port is replaced by a free one.",
        "=" * 64,
        "",
    ]


class Command(BaseCommand):
    help = "Migrate, seed demo data and run web + Celery worker + Celery beat (the embedded demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--password", default=None, help="password of every demo login")
        parser.add_argument("--no-seed", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from demo.district import DEFAULT_PASSWORD

        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        self.stdout.write("==> migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_seed"]:
            self.stdout.write("==> seeding the demo district (idempotent)")
            call_command(  # the embedded demo: its logins take the demo password
                "seed_demo",
                password=password,
                reset_passwords=True,
                verbosity=0,
                stdout=open(os.devnull, "w"),  # noqa: SIM115
            )

        port = free_port(options["port"])
        url = f"http://127.0.0.1:{port}"
        python = sys.executable
        env = child_env()
        schedule = str(settings.CELERY_BEAT_SCHEDULE_FILENAME)
        commands = {
            "web": [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            "worker": [python, "-m", "celery", "-A", "control_center", "worker", "-l", "INFO", "-c", "2"],
            "beat": [python, "-m", "celery", "-A", "control_center", "beat", "-l", "INFO", "-s", schedule],
        }
        procs = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}  # noqa: S603

        def stop(*_: Any) -> None:
            for p in procs.values():
                if p.poll() is None:
                    p.terminate()
            for p in procs.values():
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        time.sleep(2)
        lines = banner(url, password)
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        while True:
            for name, p in procs.items():
                if p.poll() is not None:
                    self.stderr.write(f"{name} exited with {p.returncode}; stopping the demo")
                    stop()
            time.sleep(1)
