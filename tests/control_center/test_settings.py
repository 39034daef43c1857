"""The suite runs on what DATABASE_URL and REDIS_URL say; the embedded default needs no server;
production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DROPPED_ENV = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=False
    )


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_says_so():
    url = os.environ.get("DATABASE_URL", "")
    assert url.startswith(("postgres://", "postgresql://")), "bin/test points the suite at PostgreSQL"
    assert connection.vendor == "postgresql"


def test_the_broker_is_redis_when_redis_url_says_so():
    assert os.environ.get("REDIS_URL", "").startswith("redis://")
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL


def test_with_nothing_set_the_embedded_default_is_sqlite_and_a_file_broker(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='control_center.settings.dev'; django.setup();"
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL)"
    )
    out = run_python(code, VAR_DIR=str(tmp_path))
    assert out.returncode == 0, out.stderr
    engine, broker = out.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"


def test_time_and_language_defaults():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_production_settings_pass_the_deployment_check():
    out = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_SETTINGS_MODULE="control_center.settings.prod",
        SECRET_KEY="k" * 20 + "x7Y!q9#Lm2@pR5$wZ8^nB1&cV4*tH6(jF3)sD0",
        ALLOWED_HOSTS="control.example.gov.cn",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/unused.sqlite3"),
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNINGS" not in out.stdout + out.stderr
