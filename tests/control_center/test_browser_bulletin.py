"""A station's command room reads the published weekly bulletin in a real Chromium, from its navigation."""

from __future__ import annotations

import pytest

from control_center.rankings import snapshot_week
from tests.browser import DESKTOP, log_in
from tests.control_center.rankings_world import SNAPSHOT_AT, WEEK, world  # noqa: F401  (the known week)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_station_login_reads_the_bulletin_and_its_own_drill_down(cast, world, live_server, browser):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server.url, "home_cmd")
        page.locator("nav.topnav a", has_text="每周通报").first.click()
        page.wait_for_url(f"{live_server.url}/rankings/**")
        page.goto(f"{live_server.url}/rankings/?week={WEEK}")
        rows = page.locator("[data-testid=rank-row]")
        assert rows.count() == 3
        assert page.locator("[data-testid=revision]").get_attribute("data-revision") == "1"
        home = page.locator("[data-testid=rank-row][data-station=home]")
        assert home.locator("[data-metric=rank]").inner_text().strip() == "1"
        assert page.locator("[data-testid=rank-row][data-station=neighbour] [data-testid=unit-link]").count() == 0
        assert page.locator("[data-testid=recompute]").count() == 0
        assert "下达给本单位的指令" in page.locator("[data-testid=definitions]").inner_text()
        home.locator("[data-testid=unit-link]").click()
        page.wait_for_url(f"{live_server.url}/rankings/{WEEK}/home/**")
        assert page.locator("[data-testid=received-row]").count() == 4
        assert errors == []
    finally:
        page.close()
