"""A center-staff login reaches the dashboard in a real Chromium, at desktop and phone sizes."""

from __future__ import annotations

import pytest

from tests.browser import DESKTOP, PHONE
from tests.factories import PASSWORD, IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_center_staff_log_in_and_see_the_dashboard(cast, live_server, browser, viewport):
    IncidentFactory.create_batch(2, community=cast.home_community)
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert "登录" in page.title()
        page.fill("input[name=username]", "center")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/center/")
        assert page.inner_text("[data-testid=incident-total]") == "2"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        page.close()


def test_a_wrong_password_keeps_the_user_on_the_login_page(cast, live_server, browser):
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "center")
        page.fill("input[name=password]", "not-the-password")
        page.click("main button[type=submit]")
        assert page.locator("[role=alert]").is_visible()
        assert page.url.startswith(f"{live_server.url}/accounts/login/")
    finally:
        page.close()
