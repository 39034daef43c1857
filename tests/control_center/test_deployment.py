"""Deployment defaults (issue 11, §8): forwarded headers believed only from the configured proxies, the
login throttle on the real client address in the shared cache, gunicorn's port not published, seed_demo
kept out of production, and the API docs and the readiness details only for signed-in users."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from stations.models import AuditLog
from stations.proxies import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN_URL = "/api/v1/auth/token/"


def failed_login_ips() -> list[str | None]:
    return list(AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED).values_list("ip", flat=True))


# --- forwarded headers ----------------------------------------------------------------------------


def test_forwarded_headers_from_an_unlisted_address_are_ignored(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post(
        "/accounts/login/",
        {"username": "center", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert failed_login_ips() == ["203.0.113.7"]


def test_forwarded_headers_from_a_listed_proxy_name_the_real_client(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(
        "/accounts/login/",
        {"username": "center", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",  # the client forged the first hop
    )
    assert failed_login_ips() == ["203.0.113.9"]


def test_the_right_most_untrusted_hop_is_the_client():
    proxies = ("10.0.0.0/8", "127.0.0.1")
    assert client_address("10.0.0.1", "1.1.1.1, 2.2.2.2, 10.0.0.5", proxies) == "2.2.2.2"
    assert client_address("10.0.0.1", "10.0.0.9", proxies) == "10.0.0.9"
    assert client_address("10.0.0.1", "not-an-ip, 2.2.2.2", proxies) == "2.2.2.2"
    assert client_address("10.0.0.1", "2.2.2.2, junk", proxies) == "10.0.0.1"


def test_https_is_believed_only_from_a_listed_proxy(cast, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    forged = Client(REMOTE_ADDR="203.0.113.7").get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301  # still plain HTTP: redirected to HTTPS
    proxied = Client(REMOTE_ADDR="10.0.0.2").get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


# --- the login throttle ---------------------------------------------------------------------------


def test_the_token_throttle_keys_on_the_real_address_in_the_shared_cache(cast, settings):
    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    settings.TRUSTED_PROXIES = []
    cache.delete_many([f"throttle_anon_{ip}" for ip in ("203.0.113.50", "203.0.113.51")])
    client = APIClient(REMOTE_ADDR="203.0.113.50")
    answers = [
        client.post(TOKEN_URL, {"username": f"u{i}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
        for i in range(31)
    ]
    assert answers[:30] == [400] * 30
    assert answers[30] == 429  # a new forged address every time did not reset the count
    # The count lives in Redis, where every web process reads it.
    raw = redis.Redis.from_url(django_settings.REDIS_URL)
    assert raw.keys("*throttle_anon_203.0.113.50*")
    # Another client is not affected.
    other = APIClient(REMOTE_ADDR="203.0.113.51")
    assert other.post(TOKEN_URL, {"username": "u", "password": "x"}).status_code == 400
    cache.delete_many([f"throttle_anon_{ip}" for ip in ("203.0.113.50", "203.0.113.51")])


# --- docker-compose -------------------------------------------------------------------------------


def test_compose_does_not_publish_gunicorns_port_past_the_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            mapping = str(port)
            assert mapping.startswith(("127.0.0.1:", "[::1]:")), (name, mapping)
    assert "TRUSTED_PROXIES" in compose["x-app"]["environment"]


# --- seed_demo ------------------------------------------------------------------------------------


def test_seed_demo_refuses_to_run_under_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_the_production_settings_say_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    prod = importlib.import_module("control_center.settings.prod")
    assert prod.PRODUCTION is True
    assert prod.API_DOCS_LOGIN_REQUIRED is True


def test_seed_demo_never_resets_an_existing_password():
    User = get_user_model()
    User.objects.create_superuser("admin", password="The-Real-Admin-1")
    User.objects.create_user("center", password="Center-Own-Pass-2")
    call_command("seed_demo", password="Demo-Pass-3", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password("The-Real-Admin-1")
    assert User.objects.get(username="center").check_password("Center-Own-Pass-2")
    assert User.objects.get(username="supervisor").check_password("Demo-Pass-3")  # a new demo login


# --- API docs and readiness -----------------------------------------------------------------------


def test_in_production_the_schema_and_docs_want_a_login(cast, api, settings):
    settings.API_DOCS_LOGIN_REQUIRED = True
    assert Client().get("/api/schema/").status_code in (401, 403)
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302
    assert docs.url.startswith("/accounts/login/")
    assert api(cast.officer).get("/api/schema/").status_code == 200
    signed_in = Client()
    assert signed_in.login(username=cast.officer.user.username, password=PASSWORD)
    assert signed_in.get("/api/docs/").status_code == 200


def test_outside_production_the_schema_stays_open(settings):
    settings.API_DOCS_LOGIN_REQUIRED = False
    assert Client().get("/api/schema/").status_code == 200


def test_readyz_tells_anonymous_callers_only_up_or_down(cast, settings):
    assert Client().get("/readyz").json() == {"status": "ok"}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    down = Client().get("/readyz")
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable"}
    signed_in = Client()
    assert signed_in.login(username=cast.center.user.username, password=PASSWORD)
    body = signed_in.get("/readyz").json()
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True
