"""The community officer's phone in a real Chromium at 390×844: the inbox in deadline order, an item and its
answer sheet (refused while incomplete, then stored), a submit without signal delivered once when the
signal returns, a double tap and a lost answer that still store one feedback, and a new item announced."""

from __future__ import annotations

import io
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from core.models import IdempotencyRecord
from stations.models import AuditLog
from tasks import services
from tasks.models import FeedbackPhoto, Instruction, InstructionEvent, Notification
from tests.browser import PHONE
from tests.factories import PASSWORD, IncidentFactory, issue, run_data_migration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The README's phone screenshots are refreshed when SCREENSHOTS=1 (bin/test with it set); otherwise to tmp.
DOCS = (
    Path(__file__).resolve().parents[2] / "docs"
    if os.environ.get("SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir())
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def dispute_sheets(cast):
    """The shipped sheets, again: a transactional test empties every table, migration data included."""
    run_data_migration("tasks", "0007_dispute_answer_sheets")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="allow")
    yield context
    context.close()


def assigned(cast, *, due_in: timedelta | None = None, **incident) -> Instruction:
    instruction = issue(IncidentFactory(community=cast.home_community, **incident), by=cast.center)
    instruction = services.instruction_sign_off(
        instruction=instruction, actor=cast.command_room.user, officer=cast.officer
    )
    if due_in is not None:
        Instruction.objects.filter(pk=instruction.pk).update(feedback_due=timezone.now() + due_in)
    return instruction


def log_in(page, base: str) -> None:
    page.goto(f"{base}/m/")
    page.fill("input[name=username]", "home_officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/m/")


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def csp_problems(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "Refused" in p]


def answer_all_but_mood(page) -> None:
    page.check("[data-q=met_in_person] input[value=yes]")
    page.check("[data-q=subject] input[value=chores]")
    page.check("[data-q=subject] input[value=money]")
    page.check("[data-q=actions] input[value=mediated]")
    page.check("[data-q=outcome] input[value=partly]")
    page.check("[data-q=risk_level] input[value=medium]")
    page.check("[data-q=revisit_needed] input[value=yes]")
    page.fill("[data-q=revisit_on] input", "2026-12-05")
    page.fill("[data-q=note] textarea", "双方已当面调解，约定一周后回访")


def feedback_events(instruction: Instruction) -> int:
    return InstructionEvent.objects.filter(instruction=instruction, kind=InstructionEvent.Kind.FEEDBACK).count()


def wait_until(check, timeout: float = 30.0) -> None:
    """Wait for a condition on the server side (Playwright waits for those in the page)."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.1)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_the_officer_answers_an_item_from_the_inbox(cast, live_server, phone):
    later = assigned(cast, due_in=timedelta(hours=5), summary="报警人称邻居装修噪音扰民")
    sooner = assigned(cast, due_in=timedelta(hours=2), summary="报警人称与丈夫因家庭琐事发生争吵，双方情绪激动")
    overdue = assigned(cast, due_in=timedelta(minutes=-12), summary="报警人称儿子酗酒后在家中摔砸物品")
    Instruction.objects.filter(pk=later.pk).update(signed_at=timezone.now() - timedelta(hours=1))
    Notification.objects.filter(instruction=later).update(read_at=timezone.now())  # seen an hour ago
    page = phone.new_page()
    problems = watch(page)
    log_in(page, live_server.url)

    cards = page.locator("[data-testid=inbox-item]")
    assert [int(x) for x in cards.evaluate_all("cs => cs.map(c => c.dataset.id)")] == [overdue.pk, sooner.pk, later.pk]
    second_clock = cards.nth(1).locator("[data-testid=clock]")
    page.wait_for_function("el => el.textContent === '1小时59分'", arg=second_clock.element_handle())
    assert "clock-red" in cards.first.locator("[data-testid=clock]").get_attribute("class")
    assert cards.first.locator("[data-testid=new]").is_visible()  # just assigned
    assert cards.last.locator("[data-testid=new]").count() == 0
    assert page.inner_text("[data-testid=unread]") == "2"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "mobile-inbox.png"))

    page.click(f"[data-testid=inbox-item][data-id='{sooner.pk}']")
    page.wait_for_url(f"{live_server.url}/m/i/{sooner.pk}/")
    assert "家庭琐事" in page.inner_text("[data-testid=summary]")
    assert page.inner_text("[data-testid=caller-phone]") == "138****8000"
    page.select_option("[data-testid=reveal-purpose]", "visit")
    page.click("[data-testid=reveal]")
    page.wait_for_function("() => document.querySelector('[data-testid=caller-phone]').textContent === '13800138000'")
    assert AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL, actor=cast.officer.user).count() == 1

    # Incomplete: the server's message next to the item, nothing stored
    answer_all_but_mood(page)
    page.set_input_files(
        "[data-q=photos] input[type=file]", {"name": "scene.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.wait_for_selector("[data-q=photos] figure img[src^='blob:']")
    page.locator("[data-q=mood]").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.querySelector('[data-testid=sheet]').offsetTop - 56)")
    page.screenshot(path=str(DOCS / "mobile-sheet.png"))
    page.click("[data-testid=submit]")
    error = page.locator("[data-testid=err-mood]")
    error.wait_for(state="visible")
    assert error.inner_text() == "此题为必答题。"
    assert page.get_attribute("[data-testid=state]", "data-kind") == "rejected"
    assert feedback_events(sooner) == 0
    assert Instruction.objects.get(pk=sooner.pk).status == "assigned"

    # Complete: stored, with the photo re-encoded on the server
    page.check("[data-q=mood] input[value=agitated]")
    assert not error.is_visible()
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state][data-kind=delivered]")
    stored = Instruction.objects.get(pk=sooner.pk)
    assert stored.status == "feedback_submitted"
    assert stored.answers["mood"] == "agitated"
    assert stored.answers["subject"] == ["chores", "money"]
    assert stored.answers["revisit_on"] == "2026-12-05"
    assert len(stored.answers["photos"]) == 1
    assert FeedbackPhoto.objects.filter(pk=stored.answers["photos"][0], instruction=stored).exists()
    assert feedback_events(stored) == 1
    assert page.evaluate(f"localStorage.getItem('cc:draft:home_officer:{sooner.pk}')") is None

    page.click("[data-testid=back]")
    page.wait_for_url(f"{live_server.url}/m/")
    assert [int(x) for x in cards.evaluate_all("cs => cs.map(c => c.dataset.id)")] == [overdue.pk, later.pk]
    assert page.locator(f"[data-testid=submitted-item][data-id='{sooner.pk}']").is_visible()
    assert not csp_problems(problems), problems


def test_a_submit_without_signal_waits_on_the_phone_and_is_delivered_once(cast, live_server, phone):
    instruction = assigned(cast, due_in=timedelta(hours=3))
    page = phone.new_page()
    problems = watch(page)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    page.wait_for_selector("body[data-kept]", state="attached")  # the page says it is kept for no signal
    assert page.evaluate("caches.match(location.pathname).then(r => !!r)")

    # A draft survives closing the tab
    page.check("[data-q=met_in_person] input[value=no]")
    page.fill("[data-q=note] textarea", "楼道里没有信号")
    page.close()
    page = phone.new_page()
    problems += watch(page)
    page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    assert page.is_checked("[data-q=met_in_person] input[value=no]")
    assert page.input_value("[data-q=note] textarea") == "楼道里没有信号"

    # No signal: the page says it is kept on the phone only
    phone.set_offline(True)
    page.wait_for_selector("[data-net]:not([hidden])")
    answer_all_but_mood(page)
    page.check("[data-q=met_in_person] input[value=yes]")
    page.check("[data-q=mood] input[value=calm]")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state][data-kind=queued]")
    assert page.locator("[data-queue-bar]").is_visible()
    page.wait_for_timeout(500)
    assert feedback_events(instruction) == 0

    # Still no signal: the page loads from the service worker, the answers still queued
    assert page.reload().from_service_worker
    page.wait_for_selector("[data-testid=state][data-kind=queued]")
    assert page.is_checked("[data-q=mood] input[value=calm]")
    page.click("[data-testid=submit]")  # pressing again queues no second copy
    assert len(page.evaluate("ccMobile.queue()")) == 1

    # Signal again: delivered, once
    phone.set_offline(False)
    page.wait_for_selector("[data-testid=state][data-kind=delivered]")
    stored = Instruction.objects.get(pk=instruction.pk)
    assert stored.status == "feedback_submitted"
    assert stored.answers["met_in_person"] is True
    assert stored.answers["note"] == "双方已当面调解，约定一周后回访"
    assert feedback_events(instruction) == 1
    assert page.evaluate("ccMobile.queue()") == []
    assert not page.locator("[data-queue-bar]").is_visible()
    assert not csp_problems(problems), problems


def test_a_double_tap_and_a_lost_answer_store_one_feedback(cast, live_server, phone):
    double = assigned(cast, due_in=timedelta(hours=2))
    lost = assigned(cast, due_in=timedelta(hours=3))
    page = phone.new_page()
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/m/i/{double.pk}/")
    answer_all_but_mood(page)
    page.check("[data-q=mood] input[value=calm]")
    page.locator("[data-testid=submit]").dblclick()
    page.wait_for_selector("[data-testid=state][data-kind=delivered]")
    page.wait_for_timeout(300)
    assert feedback_events(double) == 1

    # The answer is stored but its reply never reaches the phone: the resend carries the same key
    keys: list[str] = []

    def lose_the_reply(route):
        keys.append(route.request.headers["idempotency-key"])
        route.fetch()
        route.abort()

    page.goto(f"{live_server.url}/m/i/{lost.pk}/")
    answer_all_but_mood(page)
    page.check("[data-q=mood] input[value=hostile]")
    page.route("**/api/v1/instructions/*/feedback/", lose_the_reply)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state][data-kind=queued]")
    wait_until(lambda: feedback_events(lost) == 1)
    page.unroute("**/api/v1/instructions/*/feedback/")
    with page.expect_response("**/api/v1/instructions/*/feedback/") as reply:
        page.evaluate("ccMobile.flush()")
    assert reply.value.headers.get("idempotent-replayed") == "true"
    assert reply.value.request.headers["idempotency-key"] == keys[0]
    page.wait_for_selector("[data-testid=state][data-kind=delivered]")
    assert feedback_events(lost) == 1
    assert IdempotencyRecord.objects.filter(user=cast.officer.user).count() == 2


def test_a_new_instruction_pops_up_on_an_open_inbox(cast, live_server, phone):
    assigned(cast, due_in=timedelta(hours=2))
    page = phone.new_page()
    problems = watch(page)
    page.add_init_script("navigator.vibrate = pattern => { window.vibrated = pattern; return true; }")
    log_in(page, live_server.url)
    page.clock.install()
    page.reload()
    assert page.locator("[data-testid=inbox-item]").count() == 1

    fresh = assigned(cast, due_in=timedelta(hours=1), summary="报警人称楼上漏水，双方发生争执")
    page.clock.fast_forward(21_000)  # the inbox polls every 20 seconds
    page.wait_for_selector("[data-toast]:not([hidden])")
    assert "楼上漏水" in page.inner_text("[data-toast]")
    assert page.evaluate("window.vibrated") == [200, 100, 200]
    assert page.locator("[data-testid=inbox-item]").first.get_attribute("data-id") == str(fresh.pk)
    assert page.inner_text("[data-testid=unread]") == "2"
    page.click("[data-testid=toast-link]")
    page.wait_for_url(f"{live_server.url}/m/i/{fresh.pk}/")  # opening the item reads its notice
    assert page.inner_text("[data-testid=unread]") == "1"
    page.click("[data-testid=unread]")  # the bell opens the notification list, which marks all read
    page.wait_for_url(f"{live_server.url}/m/notifications/")
    page.click("[data-testid=read-all] button")
    page.wait_for_function("() => document.querySelector('[data-testid=unread]').textContent === '0'")
    assert not Notification.objects.filter(recipient=cast.officer.user, read_at__isnull=True).exists()
    assert not csp_problems(problems), problems
