"""Center staff on the dashboard in a real Chromium: clocks running, the selection dispatched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser import DESKTOP, log_in
from tests.factories import IncidentFactory, issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_center_staff_see_the_clocks_and_dispatch_the_selection(cast, live_server, browser):
    now = timezone.now()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(18, 30)))
    picks = [
        IncidentFactory(community=cast.home_community, received_at=received, summary=f"邻居争吵 {i}") for i in range(3)
    ]
    late = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=now - dt.timedelta(minutes=40))
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server.url, "center", lands_on="/center/")

        overdue_clock = page.locator(f"[data-testid=open-row][data-instruction='{late.pk}'] [data-testid=clock]")
        assert "clock-red" in overdue_clock.get_attribute("class")
        assert page.locator("[data-testid=overdue-total]").inner_text() == "1"

        page.click("[data-testid=run-selection]")
        page.wait_for_selector("[data-testid=pick]")
        assert sorted(
            int(x) for x in page.locator("[data-testid=pick]").evaluate_all("els => els.map(e => e.dataset.incident)")
        ) == sorted(p.pk for p in picks)
        countdown = page.locator("[data-testid=selection] [data-testid=clock]")
        before = countdown.inner_text()
        # the auto-dispatch countdown runs
        page.wait_for_function("([el, was]) => el.textContent !== was", arg=[countdown.element_handle(), before])

        page.click("[data-testid=dispatch]")
        page.wait_for_selector("[data-testid=selection-status].ok")
        assert page.locator("[data-testid=pick] a.tag.ok").count() == 3
        rows = page.locator("[data-testid=open-row]")
        assert rows.count() == 4
        assert rows.first.get_attribute("data-instruction") == str(late.pk)  # overdue first
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        assert errors == []
    finally:
        page.close()
