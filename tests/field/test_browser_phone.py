"""The officer's phone in a real Chromium at 390×844: every gap of a sheet marked at once, one combined sheet
for a dispute and its revisit, and the service worker's kept pages: forgotten when the session ends (a 401, a
redirect to the login page), never served past their maximum age, never holding a revealed number."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tasks import services
from tasks.models import Instruction, InstructionEvent
from tests.browser import PHONE
from tests.factories import PASSWORD, CategoryFactory, IncidentFactory, issue, run_data_migration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GAPS = ["mood", "actions", "outcome", "risk_level", "revisit_needed"]
KEPT = "async () => { const c = await caches.open('cc-pages'); return (await c.keys()).map(r => r.url); }"


@pytest.fixture(autouse=True)
def dispute_sheets(cast):
    """The shipped sheets, again: a transactional test empties every table, migration data included."""
    run_data_migration("tasks", "0007_dispute_answer_sheets")
    run_data_migration("tasks", "0012_h5_dv_violence_label")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="allow")
    yield context
    context.close()


def assigned(cast, *, incident=None, kind="dispute", **fields) -> Instruction:
    incident = incident or IncidentFactory(community=cast.home_community, **fields)
    instruction = issue(incident, by=cast.center if kind == "dispute" else None, kind=kind)
    return services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)


def log_in(page, base: str, path: str = "/m/") -> None:
    page.goto(f"{base}{path}")
    page.fill("input[name=username]", "home_officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def feedbacks(instruction: Instruction) -> int:
    return InstructionEvent.objects.filter(instruction=instruction, kind=InstructionEvent.Kind.FEEDBACK).count()


def in_view(page, selector: str) -> None:
    """Wait until the element's top is on the screen, below the sticky bar."""
    page.wait_for_function(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.top >= 40 && r.top < 300; }",
        arg=selector,
    )


def shown_errors(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-testid=sheet] [data-q] [data-err]:not([hidden])", "els => els.map(e => e.dataset.err)"
    )


def test_a_sheet_with_five_gaps_marks_all_five_at_once_and_scrolls_to_the_first(cast, live_server, phone):
    instruction = assigned(cast)
    page = phone.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" and "/feedback/" in r.url else None)
    log_in(page, live_server.url, f"/m/i/{instruction.pk}/")
    page.check("[data-q=met_in_person] input[value=yes]")
    page.check("[data-q=subject] input[value=chores]")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    # Checked on the phone: all five marked, the first on screen, nothing sent
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state][data-kind=rejected]")
    assert shown_errors(page) == GAPS
    assert page.locator("[data-q].has-err").count() == 5
    in_view(page, "[data-q=mood]")
    assert sent == []

    # The server's word too: every item it names is marked (a page drawn before an item became required)
    page.evaluate("document.querySelectorAll('[data-required]').forEach(q => q.removeAttribute('data-required'))")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    with page.expect_response("**/feedback/") as reply:
        page.click("[data-testid=submit]")
    assert reply.value.status == 400
    page.wait_for_selector("[data-testid=state][data-kind=rejected]")
    page.wait_for_function("n => document.querySelectorAll('[data-q].has-err').length === n", arg=len(GAPS))
    assert shown_errors(page) == GAPS
    assert page.inner_text("[data-testid=err-risk_level]") == "此题为必答题。"
    in_view(page, "[data-q=mood]")
    assert feedbacks(instruction) == 0


def test_one_combined_sheet_closes_a_dispute_and_its_revisit(cast, live_server, phone):
    dv = CategoryFactory(
        code="domestic_violence",
        name="家庭暴力",
        feedback_hours=3,
        is_severe=True,
        answer_sheet_code="dispute-domestic_violence",
    )
    incident = IncidentFactory(community=cast.home_community, category=dv, summary="报警人称被丈夫殴打")
    dispute = assigned(cast, incident=incident)
    revisit = assigned(cast, incident=incident, kind="revisit")
    page = phone.new_page()
    log_in(page, live_server.url)

    page.click("[data-testid=visit-link]")
    page.wait_for_url(f"{live_server.url}/m/visit/incident-{incident.pk}/")
    assert page.locator("[data-testid=visit-item]").count() == 2
    assert page.locator("[data-testid=q-subject] legend").inner_text().startswith("侵害方式")
    assert page.locator("[data-testid=q-subject]").count() == 1  # asked once, for both

    # A gap is marked before anything is sent
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=err-met_in_person]")
    assert page.locator("[data-q].has-err").count() == 7
    assert feedbacks(dispute) + feedbacks(revisit) == 0

    for name, value in [("met_in_person", "yes"), ("mood", "agitated"), ("subject", "beating"),
                        ("actions", "warning_letter"), ("outcome", "partly"), ("risk_level", "high"),
                        ("revisit_needed", "no")]:  # fmt: skip
        page.check(f"[data-testid=q-{name}] input[value={value}]")
    page.fill("textarea[name=note]", "已出具家庭暴力告诫书")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=message-success]")
    assert page.locator("[data-testid=nothing-left]").is_visible()
    for item in (dispute, revisit):
        item.refresh_from_db()
        assert item.status == Instruction.Status.FEEDBACK_SUBMITTED
        assert item.answers["subject"] == ["beating"]
        assert feedbacks(item) == 1

    # Accepted by the center: both close
    for item in (dispute, revisit):
        services.instruction_accept(instruction=item, actor=cast.center.user)
    assert sorted(Instruction.objects.filter(dispatch__incident=incident).values_list("status", flat=True)) == [
        "closed",
        "closed",
    ]
    page.goto(f"{live_server.url}/m/")
    assert page.locator("[data-testid=visit-link]").count() == 0
    assert page.locator("[data-testid=inbox-item]").count() == 0


def test_the_first_401_forgets_the_kept_pages(cast, live_server, phone):
    instruction = assigned(cast)
    page = phone.new_page()
    log_in(page, live_server.url, f"/m/i/{instruction.pk}/")
    page.wait_for_selector("body[data-kept]", state="attached")
    page.goto(f"{live_server.url}/m/")
    page.wait_for_selector("body[data-kept]", state="attached")
    assert len(page.evaluate(KEPT)) == 2

    Session.objects.all().delete()  # the session ends on the server (timed out, or logged out elsewhere)
    page.evaluate("ccMobile.poll()")  # the inbox's poll gets its 401
    page.wait_for_function("async () => !(await caches.has('cc-pages'))")
    assert page.locator("[data-queue-bar] a").is_visible()  # and says: log in again

    phone.set_offline(True)
    response = page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    assert response.status == 503
    assert "报警人称" not in page.content()


def test_a_redirect_to_the_login_page_forgets_the_kept_pages_and_drafts_stay_with_their_user(cast, live_server, phone):
    instruction = assigned(cast)
    page = phone.new_page()
    log_in(page, live_server.url, f"/m/i/{instruction.pk}/")
    page.wait_for_selector("body[data-kept]", state="attached")
    page.evaluate('localStorage.setItem(\'cc:draft:someone_else:7\', \'{"answers": {"note": "别人的草稿"}}\')')
    page.fill("[data-q=note] textarea", "我的草稿")
    assert len(page.evaluate(KEPT)) == 1

    Session.objects.all().delete()
    page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_function("async () => !(await caches.has('cc-pages'))")

    page.fill("input[name=username]", "home_officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/m/i/{instruction.pk}/")
    assert page.input_value("[data-q=note] textarea") == "我的草稿"  # this user's draft is kept
    assert page.evaluate("localStorage.getItem('cc:draft:someone_else:7')") is None


def test_a_kept_page_past_its_maximum_age_is_not_served(cast, live_server, phone):
    instruction = assigned(cast)
    page = phone.new_page()
    log_in(page, live_server.url)
    page.wait_for_selector("body[data-kept]", state="attached")
    page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    page.wait_for_selector("body[data-kept]", state="attached")
    stamps = page.evaluate(
        "async () => { const c = await caches.open('cc-pages');"
        " return Promise.all((await c.keys()).map(async k => (await c.match(k)).headers.get('X-CC-Kept-At'))); }"
    )
    assert len(stamps) == 2
    assert all(abs(int(s) / 1000 - timezone.now().timestamp()) < 120 for s in stamps)  # when it was kept

    # Twelve hours and a minute later (the session's absolute lifetime): every copy is too old
    page.evaluate(
        """async () => {
          const c = await caches.open('cc-pages');
          for (const k of await c.keys()) {
            const r = await c.match(k);
            const h = new Headers(r.headers);
            h.set('X-CC-Kept-At', String(Date.now() - (12 * 60 + 1) * 60 * 1000));
            await c.put(k, new Response(await r.blob(), { status: r.status, headers: h }));
          }
        }"""
    )
    phone.set_offline(True)
    response = page.goto(f"{live_server.url}/m/i/{instruction.pk}/")
    assert response.status == 503  # neither the page nor the inbox as kept
    assert "报警人称" not in page.content()
    page.wait_for_function(
        f"async () => !(await (await caches.open('cc-pages')).match('{live_server.url}/m/i/{instruction.pk}/'))"
    )


def test_a_revealed_number_is_never_in_the_kept_copy(cast, live_server, phone):
    instruction = assigned(cast)
    page = phone.new_page()
    reveals: list[str] = []
    page.on("response", lambda r: reveals.append(r.url) if "/reveal/" in r.url else None)
    log_in(page, live_server.url, f"/m/i/{instruction.pk}/")
    page.wait_for_selector("body[data-kept]", state="attached")
    page.select_option("[data-testid=reveal-purpose]", "visit")
    page.click("[data-testid=reveal]")
    page.wait_for_function("() => document.querySelector('[data-testid=caller-phone]').textContent === '13800138000'")
    assert len(reveals) == 1

    page.reload()  # kept again, after the reveal
    page.wait_for_selector("body[data-kept]", state="attached")
    urls = page.evaluate(KEPT)
    assert not [u for u in urls if "reveal" in u]
    copy = page.evaluate(
        "async u => await (await (await caches.open('cc-pages')).match(u)).text()",
        f"{live_server.url}/m/i/{instruction.pk}/",
    )
    assert "138****8000" in copy
    assert "13800138000" not in copy

    phone.set_offline(True)
    assert page.reload().from_service_worker
    assert page.inner_text("[data-testid=caller-phone]") == "138****8000"
