"""/healthz: the process answers. /readyz: the database and the broker are reachable, and the deadline sweep
is not late (its last success is at most SWEEP_LATE_AFTER_SECONDS old; see sweepwatch)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from tasks import sweepwatch
from tasks.models import Heartbeat


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> dict[str, object]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # report, never raise: this page says what is wrong
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_broker() -> dict[str, object]:
    started = time.perf_counter()
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel  # noqa: B018  (opens a channel: the broker really answers)
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}
    return {"ok": True, "transport": transport, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "broker": _check_broker()}
    sweep = sweepwatch.sweep_state() if checks["database"]["ok"] else None  # noticing it may raise the alarm
    ready = all(c["ok"] for c in checks.values()) and not (sweep and sweep.late)
    if not (request.user.is_authenticated and request.user.is_active):
        # Anonymous probes learn up or down, nothing about the database, the broker or their errors.
        return JsonResponse({"status": "ok" if ready else "unavailable"}, status=200 if ready else 503)
    body: dict[str, object] = {"status": "ok" if ready else "unavailable", **checks}
    if sweep is not None:
        body["sweep"] = sweep.label
        body["sweep_last_success"] = sweep.last_success.isoformat() if sweep.last_success else None
        body["sweep_late_after_seconds"] = settings.SWEEP_LATE_AFTER_SECONDS
        # Informational: when the worker last ran beat's heartbeat job.
        beat = Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first()
        body["beat_last_seen"] = beat.isoformat() if beat else None
    return JsonResponse(body, status=200 if ready else 503)
