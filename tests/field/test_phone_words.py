"""What the officer's phone says: countdowns with units, deadlines with their year when it is not this year,
full-width colons, sheet names without version tags, the DV sheet's 侵害方式, and a task text in words (not the
selection's scoring reasons)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from control_center import services as selection_services
from field.countdowns import countdown_label, moment_label
from tasks import services
from tasks.models import AnswerSheet, Instruction
from tests.factories import PASSWORD, CategoryFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=SH)


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def assigned(cast, *, category=None, **incident) -> Instruction:
    extra = {"category": category} if category else {}
    instruction = issue(IncidentFactory(community=cast.home_community, **extra, **incident), by=cast.center)
    return services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)


@pytest.mark.parametrize(
    ("left", "chinese", "english"),
    [
        (timedelta(minutes=27, seconds=30), "27分", "27 min"),
        (timedelta(hours=2, minutes=59, seconds=59), "2小时59分", "2 h 59 min"),
        (timedelta(hours=3), "3小时", "3 h"),
        (timedelta(days=5, hours=4, minutes=10), "5天4小时", "5 d 4 h"),
        (timedelta(days=29, hours=23), "29天", "29 d"),
        (timedelta(seconds=20), "1分", "1 min"),
        (timedelta(minutes=-12), "已超时12分", "overdue 12 min"),
        (timedelta(days=-2, hours=-1), "已超时2天1小时", "overdue 2 d 1 h"),
    ],
)
def test_countdowns_carry_units_in_chinese_and_english(left, chinese, english):
    with translation.override("zh-hans"):
        assert countdown_label(NOW + left, NOW) == chinese
    with translation.override("en"):
        assert countdown_label(NOW + left, NOW) == english


def test_a_deadline_shows_its_year_when_it_is_not_this_year():
    assert moment_label(dt.datetime(2026, 12, 5, 9, 30, tzinfo=SH), NOW) == "12-05 09:30"
    assert moment_label(dt.datetime(2027, 1, 1, 0, 0, tzinfo=SH), NOW) == "2027-01-01 00:00"
    # District time decides the year: 2026-12-31 16:00 UTC is New Year's Day in Wuhan
    assert moment_label(dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC), NOW) == "2027-01-01 00:00"


def test_the_item_page_says_a_next_year_deadline_with_its_year_a_full_width_colon_and_units(cast):
    instruction = assigned(cast)
    due = timezone.localtime().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    due = due.replace(year=due.year + 1)
    Instruction.objects.filter(pk=instruction.pk).update(feedback_due=due)
    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert f"反馈期限：{due.year}-01-01 00:00" in html
    assert "反馈期限 " not in html
    assert 'data-units data-late="已超时{t}"' in html
    assert countdown_label(due, timezone.now()) in html


def test_the_inbox_clock_is_drawn_in_words_before_any_script_runs(cast):
    instruction = assigned(cast)
    Instruction.objects.filter(pk=instruction.pk).update(feedback_due=timezone.now() + timedelta(days=5, hours=4))
    html = signed_in(cast.officer).get("/m/").content.decode()
    assert "5天3小时</time>" in html or "5天4小时</time>" in html
    assert '"units": {"dh": "{d}\\u5929{h}\\u5c0f\\u65f6"' in html  # the live clock's formats, in Chinese


def test_the_sheet_is_named_without_its_version_tag(cast):
    family = CategoryFactory(code="family")
    AnswerSheet.objects.filter(code="dispute-family").update(title="家庭纠纷反馈")
    family.answer_sheet_code = "dispute-family"
    family.save(update_fields=["answer_sheet_code"])
    instruction = assigned(cast, category=family)
    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert '<h2 data-testid="sheet-title">家庭纠纷反馈</h2>' in html
    assert f"v{instruction.answer_sheet.version}<" not in html


def test_the_domestic_violence_sheet_asks_for_the_form_of_violence_and_issued_items_keep_their_version(cast):
    sheets = {s.version: s for s in AnswerSheet.objects.filter(code="dispute-domestic_violence")}
    labels = {v: {f["name"]: f["label"] for f in s.fields} for v, s in sheets.items()}
    assert labels[1]["subject"] == "纠纷起因"  # the shipped version is left as it was
    latest = max(sheets)
    assert latest > 1
    assert labels[latest]["subject"] == "侵害方式"
    assert {n: lab for n, lab in labels[latest].items() if n != "subject"} == {
        n: lab for n, lab in labels[1].items() if n != "subject"
    }
    dv = CategoryFactory(
        code="domestic_violence", name="家庭暴力", is_severe=True, answer_sheet_code="dispute-domestic_violence"
    )
    new = assigned(cast, category=dv)
    old = assigned(cast, category=dv)
    Instruction.objects.filter(pk=old.pk).update(answer_sheet=sheets[1])  # issued before the new version
    assert new.answer_sheet.version == latest
    client = signed_in(cast.officer)
    assert "侵害方式" in client.get(f"/m/i/{new.pk}/").content.decode()
    assert "纠纷起因" in client.get(f"/m/i/{old.pk}/").content.decode()


def test_a_dispatched_selection_tells_the_officer_what_to_do_not_how_it_scored(cast):
    day = dt.date(2026, 11, 20)
    morning_after = dt.datetime(2026, 11, 21, 8, 0, tzinfo=SH)
    CategoryFactory(code="family", name="家庭纠纷")
    scored = IncidentFactory(
        community=cast.home_community, received_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=SH), repeat_caller_count=3
    )
    help_ = CategoryFactory(code="help", name="求助", is_dispute=False, feedback_hours=None)
    by_hand = IncidentFactory(
        community=cast.home_community, category=help_, received_at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=SH)
    )
    selection = selection_services.selection_run(day=day, now=morning_after)
    selection_services.selection_add(selection=selection, incident=by_hand, actor=cast.center.user, reason="领导交办")
    selection_services.selection_dispatch(selection=selection, actor=cast.center.user, now=morning_after)

    for incident in (scored, by_hand):
        note = Instruction.objects.get(dispatch__incident=incident, kind="dispute").note
        assert "请上门核查" in note
        assert "回访当事人" in note
        assert incident.address in note
        assert incident.number in note
        for internal in ("类别权重", "人工添加", "领导交办", "Category weight", "Added by hand"):
            assert internal not in note
    # The center keeps the reasons on its own pages
    reasons = {item.incident_id: " ".join(item.reasons) for item in selection.items.all()}
    assert "类别权重" in reasons[scored.pk]
    assert "人工添加" in reasons[by_hand.pk]
