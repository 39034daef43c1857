"""Celery beat schedules the sweep and a real worker runs it, over the real Redis broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tasks.models import Instruction, InstructionEvent
from tests.factories import IncidentFactory, issue

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "control_center", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_beat_and_a_worker_sweep_an_overdue_instruction(cast, tmp_path):
    instruction = issue(
        IncidentFactory(community=cast.home_community), by=cast.center, now=timezone.now() - timedelta(hours=1)
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "control_center.settings.test",
        # The worker must see the test database this test writes to.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SWEEP_EVERY_SECONDS": "1",
        "VAR_DIR": str(tmp_path),
    }
    queue = f"sweep-test-{uuid.uuid4().hex[:8]}"  # keep away from any other worker on this broker
    env["CELERY_TASK_DEFAULT_QUEUE"] = queue
    worker = start(["worker", "-Q", queue, "-l", "INFO", "-P", "solo"], env, tmp_path / "worker.log")
    beat = start(["beat", "-l", "INFO", "-s", str(tmp_path / "schedule")], env, tmp_path / "beat.log")
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if InstructionEvent.objects.filter(instruction=instruction, kind="sign_off_overdue").exists():
                break
            time.sleep(0.5)
    finally:
        for proc in (beat, worker):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in (beat, worker):
            proc.wait(20)
    logs = (tmp_path / "beat.log").read_text() + (tmp_path / "worker.log").read_text()
    assert "tasks.jobs.sweep_deadlines" in logs, logs[-3000:]
    instruction.refresh_from_db()
    assert instruction.sign_off_breached_at == instruction.sign_off_due, logs[-3000:]
    assert InstructionEvent.objects.filter(instruction=instruction, kind="sign_off_overdue").count() == 1
    assert Instruction.objects.get(pk=instruction.pk).status == "issued"
