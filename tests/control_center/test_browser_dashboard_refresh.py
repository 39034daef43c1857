"""The dashboard's 30-second refresh in a real Chromium never erases what the center is typing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser import DESKTOP, log_in
from tests.factories import IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_refresh_keeps_the_reasons_being_typed_and_the_focus(cast, live_server, browser):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(18, 30)))
    picks = [
        IncidentFactory(community=cast.home_community, received_at=received, summary=f"邻居争吵 {i}") for i in range(2)
    ]
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.clock.install()
        log_in(page, live_server.url, "center", lands_on="/center/")
        page.click("[data-testid=run-selection]")
        page.wait_for_selector("[data-testid=pick]")
        remove = page.locator(f"#remove-reason-{picks[0].pk}")
        remove.fill("已由派出所当场调解")
        page.fill("#add-number", "110-2026")
        reason = page.locator("#add-reason")
        reason.click()
        reason.press_sequentially("家暴隐患，需")

        page.evaluate("document.querySelector('[data-testid=incident-total]').dataset.before = 'refresh'")
        with page.expect_response(lambda r: "/center/" in r.url and r.request.headers.get("x-poll") == "1") as polled:
            page.clock.run_for(31_000)  # the 30-second refresh fires
        assert polled.value.status == 200
        page.clock.run_for(1_000)  # htmx settles the swapped fragment
        page.wait_for_function("!document.querySelector('[data-testid=incident-total][data-before]')")  # swapped

        assert reason.input_value() == "家暴隐患，需"
        assert page.evaluate("document.activeElement && document.activeElement.id") == "add-reason"
        reason.press_sequentially("加急")  # typing goes on where it stopped
        assert reason.input_value() == "家暴隐患，需加急"
        assert remove.input_value() == "已由派出所当场调解"
        assert page.locator("#add-number").input_value() == "110-2026"
        assert page.locator("[data-testid=pick]").count() == 2
        assert errors == []
    finally:
        page.close()
