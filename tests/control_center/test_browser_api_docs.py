"""The API documentation in a real Chromium under the site's Content-Security-Policy: no violation, the UI renders."""

from __future__ import annotations

import pytest

from tests.browser import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_csp_without_console_errors(cast, live_server, browser):
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(page, live_server.url, "center", lands_on="/center/")
        response = page.goto(f"{live_server.url}/api/docs/")
        assert "nonce-" in response.headers["content-security-policy"]
        page.wait_for_selector(".swagger-ui .info .title")
        assert "基础管控中心 API" in page.locator(".swagger-ui .info .title").inner_text()
        page.wait_for_selector(".swagger-ui .opblock")  # the operations of the schema are listed
        assert page.locator(".swagger-ui .opblock").count() > 10
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # the nonced inline style applied
        assert errors == []
    finally:
        page.close()
