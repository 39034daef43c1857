"""At phone size (390×844) a patrol officer taps “前往途中” on his inbox and the desk's open units page shows it
by its own refresh."""

from __future__ import annotations

import pytest

from patrol import services
from patrol.models import UnitState, UnitStatus
from tests.browser import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_patrol_officer_taps_en_route_and_the_desk_sees_it(posts, live_server, browser):
    services.unit_set_status(unit=posts.car1, actor=posts.desk.user, status=UnitStatus.ON_DUTY)
    desk = browser.new_context()
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        board = desk.new_page()
        log_in(board, live_server.url, "wuzhan_desk")
        board.goto(f"{live_server.url}/posts/wuzhan/units/")
        board.wait_for_selector("[data-testid=unit-row][data-unit=wuzhan-1][data-status=on_duty]")

        page = phone.new_page()
        log_in(page, live_server.url, "wuzhan_patrol")
        page.goto(f"{live_server.url}/m/")
        page.wait_for_selector("[data-testid=phone-unit][data-status=on_duty]")
        page.get_by_role("button", name="前往途中").tap()
        page.wait_for_selector("[data-testid=phone-unit][data-status=en_route]")
        assert page.inner_text("[data-testid=phone-unit-status]") == "前往途中"
        assert page.locator("[data-testid=unit-set-on_scene]").is_visible()
        assert UnitState.objects.get(unit=posts.car1).status == UnitStatus.EN_ROUTE

        # The desk's page refreshes its rows by itself (htmx, every 15 seconds): wait for the change.
        row = "[data-testid=unit-row][data-unit=wuzhan-1]"
        board.wait_for_selector(f"{row}[data-status=en_route]", timeout=30_000)
        assert "前往途中" in board.inner_text(f"{row} [data-testid=unit-status]")
        assert "周巡警" in board.inner_text(row)
    finally:
        phone.close()
        desk.close()
