"""Login lockout, session lifetimes, password rules, token auth."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from stations.auth import active_lock, release_lock
from stations.models import AccountLock, AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def error_text(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_the_login_page_answers_in_chinese_by_default(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.text


def test_a_good_login_reaches_home_and_is_audited(cast):
    client = Client()
    response = login(client, "center", PASSWORD)
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/center/"
    assert AuditLog.objects.filter(kind="login", username="center").count() == 1


def test_five_failures_within_fifteen_minutes_lock_the_account(cast):
    client = Client()
    for _ in range(5):
        login(client, "center", "wrong-password")
    assert AccountLock.objects.filter(username="center").count() == 1
    response = login(client, "center", PASSWORD)
    assert response.status_code == 200  # the right password no longer works
    assert "锁定" in error_text(response)
    assert AuditLog.objects.filter(kind="locked", username="center").exists()


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(cast):
    client = Client()
    unknown = error_text(login(client, "nobody-here", "wrong-password"))
    wrong = error_text(login(client, "center", "wrong-password"))
    assert unknown == wrong
    for _ in range(4):
        login(client, "nobody-here", "x")
        login(client, "center", "x")
    assert error_text(login(client, "nobody-here", "x")) == error_text(login(client, "center", "x"))


def test_failures_spread_over_more_than_the_window_do_not_lock(cast):
    start = timezone.now()
    client = Client()
    for i in range(6):
        with time_machine.travel(start + timedelta(minutes=4 * i), tick=False):
            login(client, "center", "wrong-password")
    assert not AccountLock.objects.exists()


def test_a_lock_ends_after_the_configured_time(cast, settings):
    settings.LOGIN_LOCKOUT = timedelta(minutes=20)
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login(client, "center", "wrong-password")
        assert login(client, "center", PASSWORD).status_code == 200
    with time_machine.travel(start + timedelta(minutes=21), tick=False):
        assert login(client, "center", PASSWORD).status_code == 302


def test_an_administrator_can_release_a_lock(cast, admin_user):
    client = Client()
    for _ in range(5):
        login(client, "center", "wrong-password")
    release_lock(active_lock("center"), actor=admin_user)
    assert login(client, "center", PASSWORD).status_code == 302
    assert AuditLog.objects.filter(kind="unlocked", target="center").exists()


def test_the_admin_release_action_unlocks(cast, admin_client):
    for _ in range(5):
        login(Client(), "center", "wrong-password")
    lock = AccountLock.objects.get()
    admin_client.post("/admin/stations/accountlock/", {"action": "release", "_selected_action": [lock.pk]}, follow=True)
    lock.refresh_from_db()
    assert lock.released_at is not None


def test_a_session_ends_after_thirty_idle_minutes(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "center", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/center/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/center/").status_code == 200  # 29 idle minutes again
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/center/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_twelve_hours_even_when_busy(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "center", PASSWORD)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/center/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/center/").status_code == 302
    assert AuditLog.objects.filter(kind="session_expired", detail__reason="absolute").exists()


@pytest.mark.parametrize("password", ["short7!", "password123", "12345678901"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_token_is_issued_for_good_credentials_and_works(cast, api):
    response = api().post("/api/v1/auth/token/", {"username": "center", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/stations/").status_code == 200


def test_wrong_credentials_for_a_token_are_400_and_a_locked_account_429(cast, api):
    client = api()
    for _ in range(4):
        response = client.post("/api/v1/auth/token/", {"username": "center", "password": "nope"}, format="json")
        assert response.status_code == 400
    response = client.post("/api/v1/auth/token/", {"username": "center", "password": "nope"}, format="json")
    assert response.status_code == 429  # the fifth failure locks
    response = client.post("/api/v1/auth/token/", {"username": "center", "password": PASSWORD}, format="json")
    assert response.status_code == 429


def test_a_token_request_without_fields_names_them(db, api):
    response = api().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_a_page_polling_by_itself_does_not_keep_an_idle_session_alive(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "center", PASSWORD)
    for minutes in range(5, 35, 5):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            client.get("/center/", headers={"X-Poll": "1", "HX-Request": "true"})
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/center/").status_code == 302
