from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login():
    assert Client().get("/healthz").json() == {"status": "ok"}


def staff() -> Client:
    """Signed in: the details are for logged-in users; anonymous probes learn only up or down."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_user("ops", is_staff=True))
    return client


def test_readyz_reports_the_database_and_the_broker(settings):
    body = staff().get("/readyz").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["broker"]["transport"] == settings.CELERY_BROKER_URL.split("://")[0]


def test_readyz_is_503_and_names_the_broker_when_it_is_unreachable(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = staff().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
