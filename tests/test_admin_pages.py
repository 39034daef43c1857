"""Every model the admin offers opens for the superuser, after the models moved between apps: the list, the
add form where adding is allowed, and one object's page where there is one."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import IncidentFactory, issue


@pytest.fixture
def superuser_client(cast):
    user = get_user_model().objects.create_superuser("root_admin", "root@example.org", "Correct-Horse-42")
    client = Client()
    client.force_login(user)
    issue(IncidentFactory(community=cast.home_community), by=cast.center)
    return client


def test_every_admin_page_of_every_model_opens(superuser_client):
    opened = []
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert superuser_client.get(changelist).status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert superuser_client.get(add).status_code in (200, 403), add  # 403: adding is not offered
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert superuser_client.get(change).status_code in (200, 302), change
        opened.append(f"{meta.app_label}.{meta.model_name}")
    assert {"disputes.category", "standard.standardtask", "tasks.heartbeat", "tasks.instruction"} <= set(opened)
