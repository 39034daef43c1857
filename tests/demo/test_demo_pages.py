"""Every page a demo login is shown leads somewhere: each role's navigation links, the start pages the
demo's banner prints, and the site's own Chinese error pages (the demo runs without DEBUG)."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.views import defaults

from demo.district import DEFAULT_PASSWORD, demo_logins
from demo.management.commands.rundemo import START_PAGES, banner, child_env
from stations.models import Officer
from stations.roles import Role

NOW = dt.datetime(2026, 3, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NAV = re.compile(r'<nav class="topnav">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def demo(db):
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", password=DEFAULT_PASSWORD, stdout=io.StringIO())
        yield


def test_every_navigation_link_and_every_start_page_the_banner_prints_answer_for_each_demo_login(demo):
    logins = [u for u, _d in demo_logins()]
    roles = set(Officer.objects.filter(user__username__in=logins).values_list("role", flat=True))
    assert roles == set(Role.values)  # every role is tried
    for username in logins:
        client = signed_in(username)
        start = client.get("/", follow=True)
        assert start.status_code == 200, username
        html = start.content.decode()
        nav = NAV.search(html)
        links = [u for u in HREF.findall(nav[1] if nav else html) if u.startswith("/") and "/static/" not in u]
        for url in links:
            assert client.get(url).status_code < 400, (username, url)

    lines = banner("http://127.0.0.1:8000", DEFAULT_PASSWORD)
    printed = {}
    for u in logins:
        line = next(line for line in lines if line.strip().startswith(u + " "))
        printed[u] = re.search(r"http://127\.0\.0\.1:8000(/\S*)", line)[1]
    assert printed == {u: START_PAGES[u] for u in logins}
    for username, path in printed.items():
        assert signed_in(username).get(path).status_code < 400, (username, path)
    general = {m for line in lines for m in re.findall(r"http://127\.0\.0\.1:8000(/\S*?)[,)]?(?:\s|$)", line)}
    assert general >= {"/", "/accounts/login/", "/admin/", "/api/docs/"}
    admin = signed_in("admin")
    for path in general:
        assert admin.get(path).status_code < 400, path
    assert "--port" in "\n".join(lines)


def test_the_demo_web_server_runs_without_debug_unless_asked():
    assert child_env({})["DEBUG"] == "false"
    assert child_env({"DEBUG": "true"})["DEBUG"] == "true"


@pytest.mark.django_db
def test_a_missing_page_answers_with_the_sites_chinese_404(cast):
    for client in (Client(), signed_in("home_cmd")):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "页面不存在" in html
        assert 'data-testid="error-page"' in html
        assert "Page not found" not in html


@pytest.mark.django_db
def test_the_403_page_is_chinese_and_the_500_page_is_static(cast):
    request = RequestFactory().get("/x/")
    request.user = get_user_model().objects.get(username="home_cmd")
    response = defaults.permission_denied(request, Exception("no"))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()
    response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html
    assert "{%" not in html
    assert "{{" not in html
