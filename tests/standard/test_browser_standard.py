"""A community officer answers standard tasks on the phone (390×844, real Chromium): two departments'
asks for one community arrive in the inbox, and one combined sheet answers them, shared questions once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from standard import catalogue
from standard.selectors import catalogue_tasks
from standard.services import standard_task_issue
from tasks.models import Instruction
from tests.browser import PHONE
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "community-home-c"


def test_the_officer_answers_two_standard_tasks_with_one_sheet_on_the_phone(cast, live_server, browser):
    catalogue.load()  # a transactional test starts from empty tables
    now = timezone.now() - timedelta(minutes=5)
    for code in ("RK03", "XF09"):
        task = catalogue_tasks().get(code=code)
        standard_task_issue(task=task, actor=cast.center.user, scope="officer", officer=cast.officer, now=now)
    items = list(Instruction.objects.filter(officer=cast.officer).order_by("pk"))

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/m/")
        page.fill("input[name=username]", "home_officer")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/m/")
        for item in items:  # both items are in the inbox
            assert page.locator(f"[data-testid=inbox-item][data-id='{item.pk}']").count() == 1

        page.click("[data-testid=combined-link]")  # the inbox offers one sheet for both
        page.wait_for_url(f"{live_server.url}/m/combined/{KEY}/")
        assert page.locator("[data-testid=combined-item]").count() == 2
        assert page.locator("[data-testid=q-visited_on]").count() == 1
        assert page.locator("[data-testid=q-visited_on] [data-testid=shared]").count() == 1

        page.click("[data-testid=submit]")  # nothing filled in: refused, nothing stored
        page.wait_for_selector("[data-testid=err-visited_on]")
        assert not Instruction.objects.filter(status="feedback_submitted").exists()

        page.fill("input[name=visited_on]", "2026-11-20")
        for name, value in (
            ("met_in_person", "yes"),
            ("tenants_registered", "yes"),
            ("contract_signed", "no"),
            ("found_problems", "yes"),
            ("rectified", "ordered"),
            ("extinguishers_ok", "yes"),
            ("exits_clear", "no"),
        ):
            page.check(f"[data-testid=q-{name}] input[value={value}]")
        page.check("[data-testid=q-fire_hazards] input[value=blocked]")
        page.fill("input[name=tenants]", "4")
        page.fill("textarea[name=problems]", "楼道堆放杂物堵塞通道")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        with page.expect_navigation():
            page.click("[data-testid=submit]")
        assert page.locator("[data-testid=message-success]").count() == 1
        assert page.locator("[data-testid=nothing-left]").count() == 1
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p or "Error" in p], problems
    finally:
        context.close()

    rental, fire = (Instruction.objects.get(pk=i.pk) for i in items)
    assert rental.status == fire.status == Instruction.Status.FEEDBACK_SUBMITTED
    assert rental.answers["visited_on"] == fire.answers["visited_on"] == "2026-11-20"
    assert rental.answers["tenants"] == 4
    assert "tenants" not in fire.answers
    assert fire.answers["fire_hazards"] == ["blocked"]
    assert fire.answers["exits_clear"] is False
