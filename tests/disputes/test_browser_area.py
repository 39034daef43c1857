"""In a real Chromium: a subdistrict worker acknowledges a push on the phone; the center reveals a caller's phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from disputes.models import Push
from disputes.services import incidents_intake
from stations.models import AuditLog
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
from tests.browser import DESKTOP, PHONE
from tests.factories import GOOD_ANSWERS, PASSWORD, CategoryFactory, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALLER_PHONE = "13971234567"


def closed_revisit(cast) -> Instruction:
    """Two calls from one caller, the second domestic violence: a revisit, closed, pushed twice."""
    CategoryFactory(code="domestic_violence", name="家庭暴力", feedback_hours=3, is_severe=True)
    t = timezone.now() - dt.timedelta(hours=1)
    rows = [
        {
            "number": f"J4201{n}",
            "received_at": (t + dt.timedelta(minutes=n)).isoformat(),
            "category": category,
            "caller_name": "陈女士",
            "caller_phone": CALLER_PHONE,
            "address": "前进一路88号3栋2单元501室",
            "community": cast.home_community.code,
            "summary": "家庭纠纷",
        }
        for n, category in enumerate(["family", "domestic_violence"])
    ]
    result = incidents_intake(rows, actor=cast.center.user, now=t + dt.timedelta(minutes=1))
    assert not result.errors, result.errors
    revisit = Instruction.objects.get(kind="revisit")
    at = t + dt.timedelta(minutes=30)
    instruction_sign_off(instruction=revisit, actor=cast.command_room.user, officer=cast.officer, now=at)
    instruction_submit_feedback(instruction=revisit, actor=cast.officer.user, answers=GOOD_ANSWERS, now=at)
    return instruction_accept(instruction=revisit, actor=cast.center.user, now=at)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def csp_problems(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return problems


def test_a_subdistrict_worker_acknowledges_a_push_on_the_phone(cast, live_server, browser):
    revisit = closed_revisit(cast)
    push = Push.objects.get(instruction=revisit, level="subdistrict")
    make_officer(Role.SUBDISTRICT_WORKER, username="street", subdistrict=cast.home_community.subdistrict)
    page = browser.new_page(viewport=PHONE)
    problems = csp_problems(page)
    try:
        log_in(page, live_server, "street")
        page.wait_for_url(f"{live_server.url}/area/pushes/")
        row = f"[data-testid=push][data-push='{push.pk}']"
        assert page.locator("[data-testid=push]").count() == 1
        assert page.get_attribute(row, "data-state") == "pending"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        with page.expect_navigation():
            page.click(f"{row} [data-testid=acknowledge-form] button[type=submit]")
        assert page.url == f"{live_server.url}/area/pushes/"
        assert page.get_attribute(row, "data-state") == "acknowledged"
        assert page.locator(f"{row} [data-testid=acknowledged]").is_visible()
        assert page.locator(f"{row} [data-testid=acknowledge-form]").count() == 0
        assert page.inner_text("[data-testid=pending-count]") == "0"
        push.refresh_from_db()
        assert push.acknowledged_at is not None
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    finally:
        page.close()


def test_the_center_reveals_the_callers_phone_in_place(cast, live_server, browser):
    revisit = closed_revisit(cast)
    page = browser.new_page(viewport=DESKTOP)
    problems = csp_problems(page)
    try:
        log_in(page, live_server, "center")
        page.wait_for_url(f"{live_server.url}/center/")
        page.goto(f"{live_server.url}/incidents/{revisit.dispatch.incident_id}/")
        assert page.inner_text("[data-testid=caller-phone]") == "139****4567"
        page.click("[data-testid=reveal]")  # no purpose chosen: the page asks for one, nothing is revealed
        page.wait_for_selector("[data-testid=reveal-error]:not([hidden])")
        assert AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL).count() == 0
        page.select_option("[data-testid=reveal-purpose]", "contact")
        page.click("[data-testid=reveal]")
        page.wait_for_function(
            "t => document.querySelector('[data-testid=caller-phone]').textContent === t", arg=CALLER_PHONE
        )
        assert page.locator("[data-testid=reveal]").is_hidden()
        assert AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL).count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        assert not problems, problems
    finally:
        page.close()
