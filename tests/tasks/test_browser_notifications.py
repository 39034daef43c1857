"""The duty leader reads an escalation in a real Chromium: the header count, the list, the instruction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Notification
from tasks.sweep import sweep_deadlines
from tests.browser import DESKTOP, log_in
from tests.factories import IncidentFactory, issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duty_leader_opens_an_escalation_from_the_notification_list(cast, live_server, browser):
    now = timezone.now()
    incident = IncidentFactory(community=cast.home_community)
    late = issue(incident, by=cast.center, now=now - timedelta(hours=1))
    sweep_deadlines(now=now)
    escalation = Notification.objects.get(recipient=cast.duty_leader.user, kind="sign_off_overdue")
    page = browser.new_page(viewport=DESKTOP, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-Hans"})
    try:
        log_in(page, live_server.url, "home_leader")
        bell = page.locator("[data-testid=unread-notifications]")
        assert "1" in bell.inner_text()
        bell.click()
        page.wait_for_url(f"{live_server.url}/notifications/")
        notice = page.locator(f"[data-testid=notice][data-notice='{escalation.pk}']")
        assert "升级提醒" in notice.inner_text()
        assert incident.number in notice.inner_text()
        notice.locator("[data-testid=notice-link]").click()
        page.wait_for_url(f"{live_server.url}/instructions/{late.pk}/")
        page.wait_for_selector("[data-testid=status][data-status='issued']")
        assert "0" in page.locator("[data-testid=unread-notifications]").inner_text()
        escalation.refresh_from_db()
        assert escalation.read_at is not None
    finally:
        page.close()
