"""A supervisor on the weekly rankings in a real Chromium: the table, the 12-week charts, a unit's drill-down."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from control_center.models import RankingSnapshot
from control_center.rankings import snapshot_week
from tests.browser import DESKTOP, log_in
from tests.control_center.rankings_world import SNAPSHOT_AT, WEEK, world  # noqa: F401  (the known week)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_opens_the_rankings_a_units_drill_down_and_the_chart(cast, world, live_server, browser):  # noqa: F811
    # Three earlier weeks, as stored by the weekly job, so that the charts have a line to draw.
    for back, score in ((3, 55.0), (2, 61.5), (1, 70.0)):
        RankingSnapshot.objects.create(
            week_start=WEEK.shift(-back).monday,
            revision=1,
            generated_at=SNAPSHOT_AT,
            weights={},
            rows=[{"station": "home", "kind": "police_station", "rank": 2, "score": score, "metrics": {}}],
        )
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server.url, "supervisor")

        page.goto(f"{live_server.url}/rankings/?week={WEEK}")
        assert page.locator("[data-testid=week]").inner_text() == "2026-W10"
        rows = page.locator("[data-testid=rank-row]")
        assert rows.count() == 5
        home = page.locator("[data-testid=rank-row][data-station=home]")
        assert home.locator("[data-metric=rank]").inner_text().strip() == "1"
        assert home.locator("[data-testid=change]").inner_text().strip() == "▲1"
        spark = home.locator("[data-testid=spark]")
        assert spark.is_visible()
        assert spark.locator("circle").count() == 4
        assert spark.locator("polyline").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "rankings.png"), full_page=True)

        home.locator("[data-testid=unit-link]").click()
        page.wait_for_url(f"{live_server.url}/rankings/{WEEK}/home/**")
        chart = page.locator("[data-testid=score-chart]")
        assert chart.is_visible()
        assert chart.locator("[data-testid=chart-dot]").count() == 4
        assert chart.locator("polyline").count() == 1
        late = page.locator("[data-testid=late-sign-offs] tr[data-instruction]")
        assert late.count() == 1
        assert late.locator("[data-testid=minutes-late]").inner_text() == "10"
        assert page.locator("[data-testid=received-row]").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "unit.png"), full_page=True)

        pk = late.get_attribute("data-instruction")
        late.locator("a").first.click()
        page.wait_for_url(f"{live_server.url}/instructions/{pk}/")
        assert page.locator("[data-testid=status]").is_visible()
        assert errors == []
    finally:
        page.close()


def test_a_supervisor_spot_checks_a_feedback_and_orders_a_rectification(cast, live_server, browser):
    from django.utils import timezone

    from control_center.models import Rectification, SpotCheck
    from tasks.services import instruction_sign_off, instruction_submit_feedback
    from tests.factories import GOOD_ANSWERS, IncidentFactory, issue

    now = timezone.now()
    answered = issue(IncidentFactory(community=cast.home_community), by=cast.center, now=now)
    instruction_sign_off(instruction=answered, actor=cast.command_room.user, officer=cast.officer, now=now)
    instruction_submit_feedback(instruction=answered, actor=cast.officer.user, answers=GOOD_ANSWERS, now=now)
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server.url, "supervisor")
        page.goto(f"{live_server.url}/supervision/")
        page.click(f"[data-testid=candidate][data-instruction='{answered.pk}'] a >> nth=-1")
        page.wait_for_url(f"{live_server.url}/supervision/check/{answered.pk}/")
        page.check("input[name=adequate][value='0']")
        page.fill("textarea[name=findings]", "未写明调解结果")
        page.click("[data-testid=record-check]")
        page.wait_for_selector("[data-testid=rectify]")
        assert page.input_value("textarea[name=note]") == "未写明调解结果"
        assert page.input_value("#rectify select[name=station]") == "home"
        page.fill("input[name=due_at]", (timezone.localtime(now) + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
        page.click("[data-testid=send-rectification]")
        page.wait_for_selector("[data-testid=rectification-row][data-station=home]")
        assert SpotCheck.objects.get().adequate is False
        rect = Rectification.objects.get()
        assert (rect.instruction.kind, rect.instruction.station_id) == ("rectification", cast.home.pk)
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "supervision.png"), full_page=True)
        assert errors == []
    finally:
        page.close()
