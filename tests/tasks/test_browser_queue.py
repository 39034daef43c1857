"""The command room works the station queue in a real Chromium: live clocks, the overdue row, signing off, the
pickers filled from the page's one list of officers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from stations.roles import Role
from tests.browser import DESKTOP, log_in
from tests.factories import IncidentFactory, issue, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTDOWN = re.compile(r"^\d{1,2}(:\d\d){1,2}$")


def test_the_command_room_watches_the_clocks_and_signs_off(cast, live_server, browser):
    now = timezone.now()
    overdue = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=now - timedelta(minutes=45))
    fresh = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=now)
    page = browser.new_page(viewport=DESKTOP)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server.url, "home_cmd", lands_on="/stations/home/")
        page.goto(f"{live_server.url}/stations/home/queue/")

        rows = page.locator("[data-testid=queue-row]")
        assert [int(pk) for pk in rows.evaluate_all("rs => rs.map(r => r.dataset.instruction)")] == [
            overdue.pk,
            fresh.pk,
        ]
        fresh_row = f"[data-testid=queue-row][data-instruction='{fresh.pk}']"
        overdue_row = f"[data-testid=queue-row][data-instruction='{overdue.pk}']"
        clock = page.locator(f"{fresh_row} [data-testid=clock]")
        page.wait_for_function("el => /^\\d+:\\d\\d$/.test(el.textContent)", arg=clock.element_handle())
        before = clock.inner_text()
        page.wait_for_function("([el, was]) => el.textContent !== was", arg=[clock.element_handle(), before])
        after = clock.inner_text()
        assert COUNTDOWN.match(before)
        assert COUNTDOWN.match(after)
        assert before != after
        late = page.locator(f"{overdue_row} [data-testid=clock]")
        assert "clock-red" in late.get_attribute("class")
        assert "16" in late.inner_text()  # 15 minutes and some seconds past the 30-minute sign-off, rounded up
        assert "clock-red" not in clock.get_attribute("class")
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

        # htmx swaps in fresh rows without a reload; the clocks keep running on them
        newer = issue(IncidentFactory(community=cast.home_community), by=cast.center)
        page.evaluate(
            "url => htmx.ajax('GET', url, {target: '[data-testid=queue-rows]', swap: 'innerHTML'})",
            "/stations/home/queue/",
        )
        page.wait_for_selector(f"[data-testid=queue-row][data-instruction='{newer.pk}']")
        assert page.locator("h1").count() == 1
        page.wait_for_function(
            "el => /^\\d+:\\d\\d$/.test(el.textContent)",
            arg=page.locator(f"[data-instruction='{newer.pk}'] [data-testid=clock]").element_handle(),
        )

        page.select_option(f"{fresh_row} select[name=officer]", str(cast.officer.pk))
        with page.expect_navigation():
            page.click(f"{fresh_row} button[type=submit]")
        assert page.url == f"{live_server.url}/stations/home/queue/"
        assert page.locator(".messages li.success").count() == 1
        assert page.get_attribute(fresh_row, "data-status") == "assigned"
        assert page.locator(f"{fresh_row} select").count() == 0
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    finally:
        page.close()


def test_every_picker_offers_the_stations_officers_from_the_one_list_on_the_page(cast, live_server, browser):
    patrol = make_officer(Role.PATROL_OFFICER, station=cast.home, name="巡逻民警")
    first = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    page = browser.new_page(viewport=DESKTOP)
    try:
        log_in(page, live_server.url, "home_cmd", lands_on="/stations/home/")
        page.goto(f"{live_server.url}/stations/home/queue/")
        offered = "sel => Array.from(sel.options).map(o => o.value).filter(Boolean).map(Number)"
        first_picker = f"[data-instruction='{first.pk}'] select[name=officer]"
        page.wait_for_selector(f"{first_picker}[data-filled]", state="attached")
        assert page.eval_on_selector(first_picker, offered) == [cast.officer.pk, patrol.pk]  # who covers it first

        newer = issue(IncidentFactory(community=cast.home_community), by=cast.center)
        page.evaluate(
            "url => htmx.ajax('GET', url, {target: '[data-testid=queue-rows]', swap: 'innerHTML'})",
            "/stations/home/queue/",
        )
        newer_picker = f"[data-instruction='{newer.pk}'] select[name=officer]"
        page.wait_for_selector(f"{newer_picker}[data-filled]", state="attached")
        assert page.eval_on_selector(newer_picker, offered) == [cast.officer.pk, patrol.pk]

        page.select_option(newer_picker, str(patrol.pk))
        with page.expect_navigation():
            page.click(f"[data-instruction='{newer.pk}'] button[type=submit]")
        assert page.get_attribute(f"[data-instruction='{newer.pk}']", "data-status") == "assigned"
        newer.refresh_from_db()
        assert newer.officer == patrol
    finally:
        page.close()
