"""The late sweep's banner in a real Chromium: red, in Chinese, on the dashboard and the station queue, gone
once the sweep succeeds again (issue 19 §2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tasks.models import Heartbeat
from tasks.sweep import sweep_deadlines
from tests.browser import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = "rgb(179, 38, 30)"


def test_the_center_and_the_command_room_see_a_red_banner_until_the_sweep_runs_again(cast, live_server, browser):
    Heartbeat.objects.create(name="sweep", at=timezone.now() - dt.timedelta(minutes=5))
    for username, path in (("center", "/center/"), ("home_cmd", "/stations/home/queue/")):
        page = browser.new_page(viewport=DESKTOP)
        try:
            log_in(page, live_server.url, username)
            page.goto(live_server.url + path)
            banner = page.locator("[data-testid=sweep-late]")
            banner.wait_for(state="visible")
            assert "截止时间巡检已停止" in banner.inner_text()
            assert banner.evaluate("el => getComputedStyle(el).backgroundColor") == RED
        finally:
            page.close()

    sweep_deadlines()
    page = browser.new_page(viewport=DESKTOP)
    try:
        log_in(page, live_server.url, "center", lands_on="/center/")
        page.wait_for_selector("[data-testid=live]")
        assert page.locator("[data-testid=sweep-late]").count() == 0
    finally:
        page.close()
