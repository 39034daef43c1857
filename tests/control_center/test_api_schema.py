"""The OpenAPI schema describes every v1 endpoint of the contract, with the request of each action."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_contract(cast):
    client = Client()
    client.force_login(cast.center.user)
    response = client.get("/api/schema/", headers={"accept": "application/json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/stations/",
        "/api/v1/communities/",
        "/api/v1/categories/",
        "/api/v1/officers/",
        "/api/v1/incidents/",
        "/api/v1/incidents/batch/",
        "/api/v1/instructions/",
        "/api/v1/instructions/{id}/sign-off/",
        "/api/v1/instructions/{id}/feedback/",
        "/api/v1/instructions/{id}/accept/",
        "/api/v1/instructions/{id}/return/",
        "/api/v1/instructions/{id}/cancel/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
    ]:
        assert path in paths, path
    sign_off = paths["/api/v1/instructions/{id}/sign-off/"]["post"]
    assert "requestBody" in sign_off


def test_the_api_docs_page_loads_without_the_internet(cast):
    client = Client()
    client.force_login(cast.center.user)
    page = client.get("/api/docs/").text
    assert "/static/drf_spectacular_sidecar/" in page
    assert "jsdelivr" not in page
    assert "unpkg" not in page
