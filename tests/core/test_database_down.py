"""With the database down, the API answers JSON 503 with Retry-After and pages a plain Chinese 503 page, not the
500 page (issue 19 §4). A real failure: a Django process whose DATABASE_URL points at a port where nothing
listens, so psycopg's own connection attempt raises OperationalError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
out = {}
def keep(name, response):
    out[name] = {"status": response.status_code, "type": response.get("Content-Type", ""),
                 "retry_after": response.get("Retry-After"), "body": response.content.decode()}
keep("api_token", client.get("/api/v1/instructions/", headers={"Authorization": "Token " + "a" * 40}))
login = {"username": "x", "password": "y"}
keep("api_login", client.post("/api/v1/auth/token/", login, content_type="application/json"))
keep("page", client.post("/accounts/login/", login))
keep("healthz", client.get("/healthz"))
print("RESULT " + json.dumps(out))
"""


def run_with_database_down() -> dict[str, dict[str, object]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "control_center.settings.test",
        # Port 1: nothing listens there, every connection is refused.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/cc_nothing_listens?connect_timeout=2",
    }
    done = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stderr[-3000:]
    return json.loads(line.removeprefix("RESULT "))


def test_with_the_database_down_the_api_and_the_pages_answer_503_with_retry_after():
    result = run_with_database_down()

    for name in ("api_token", "api_login"):
        answer = result[name]
        assert answer["status"] == 503, (name, answer)
        assert answer["type"].startswith("application/json")
        assert answer["retry_after"] == "30"
        assert json.loads(answer["body"])["code"] == "database_unavailable"

    page = result["page"]
    assert page["status"] == 503
    assert page["type"].startswith("text/html")
    assert page["retry_after"] == "30"
    assert "服务暂不可用" in page["body"]
    assert 'data-status="503"' in page["body"]

    assert result["healthz"]["status"] == 200  # the process itself is alive
