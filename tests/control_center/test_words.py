"""The article's words and the site's Chinese: the selection's change log names the incident and the person,
durations read "5天4小时", 三有三要, full-width colons, and Django's own strings in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from control_center import services
from control_center.models import SelectionEvent
from standard.catalogue import entries
from stations.durations import compact
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def signed_in(who) -> Client:
    client = Client()
    client.force_login(getattr(who, "user", who))
    return client


def test_the_selection_change_log_names_the_incident_added_or_removed_and_who_by_name(cast):
    now = timezone.now()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(18, 30)))
    picks = [
        IncidentFactory(community=cast.home_community, received_at=received, summary=f"邻居争吵{i}") for i in range(3)
    ]
    extra = IncidentFactory(  # an incident of another day: added by hand
        community=cast.home_community, received_at=received - dt.timedelta(days=1), summary="楼上漏水引发争执"
    )
    selection = services.selection_run(day=yesterday, now=now)
    dropped = next(i for i in picks if selection.items.filter(incident=i, included=True).exists())
    services.selection_add(selection=selection, incident=extra, actor=cast.center.user, reason="领导交办")
    services.selection_remove(selection=selection, incident=dropped, actor=cast.center.user, reason="已化解")
    html = signed_in(cast.center).get("/center/").content.decode()
    changes = re.search(r'data-testid="selection-changes".*?</details>', html, re.S)[0]
    added = re.search(r'data-kind="added">.*?</li>', changes, re.S)[0]
    removed = re.search(r'data-kind="removed">.*?</li>', changes, re.S)[0]
    assert extra.number in added
    assert "楼上漏水引发争执" in added
    assert "王中心（管控中心民警）：领导交办" in added  # the person by name, a full-width colon
    assert dropped.number in removed
    assert dropped.summary in removed
    assert ">center<" not in changes
    assert SelectionEvent.objects.filter(kind="removed", incident=dropped).exists()


def test_the_selection_change_log_costs_the_same_queries_however_long(cast, django_assert_num_queries):
    now = timezone.now()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(18, 30)))
    incidents = [
        IncidentFactory(community=cast.home_community, received_at=received - dt.timedelta(days=1)) for _ in range(6)
    ]
    IncidentFactory(community=cast.home_community, received_at=received)
    selection = services.selection_run(day=yesterday, now=now)
    client = signed_in(cast.center)
    client.get("/center/")
    with CaptureQueriesContext(connection) as few:
        client.get("/center/")
    for incident in incidents:
        services.selection_add(selection=selection, incident=incident, actor=cast.center.user, reason="补充")
    services.selection_remove(selection=selection, incident=incidents[0], actor=cast.center.user, reason="重复")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/center/")


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(days=5, hours=4, minutes=3), "5天4小时"),
        (dt.timedelta(days=29), "29天"),
        (dt.timedelta(hours=2, minutes=59), "2小时59分"),
        (dt.timedelta(minutes=27, seconds=40), "27分"),
    ],
)
def test_durations_read_as_days_and_hours_run_together(delta, text):
    with translation.override("zh-hans"):
        assert compact(delta) == text


def test_an_overdue_clock_says_5天4小时(cast):
    from tests.factories import issue

    now = timezone.now()
    incident = IncidentFactory(community=cast.home_community)
    late = issue(incident, by=cast.center, now=now - dt.timedelta(days=5, hours=5))
    html = signed_in(cast.center).get(f"/instructions/{late.pk}/").content.decode()
    assert re.search(r"已超时 ?5天4小时", html)
    assert "5\xa0日" not in html


def test_the_bank_outlet_check_says_三有三要():
    text = repr(entries())
    assert "三有三要" in text
    assert "三必" not in text
    assert "三有三必" not in text


def test_djangos_own_strings_are_chinese():
    with translation.override("zh-hans"):
        from django.db.models.fields import BLANK_CHOICE_LABEL

        assert str(BLANK_CHOICE_LABEL) == "- 请选择 -"
        assert translation.gettext("Filter by %(field_name)s") % {"field_name": "日期"} == "按日期筛选"
        assert translation.gettext("by") != "确认人"
