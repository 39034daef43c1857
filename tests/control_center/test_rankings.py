"""Weekly rankings: every figure and rank of a known week, checked against values computed by hand;
snapshots and revisions; the pages, the API, the workbook and the print layout."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from control_center import jobs, rankings
from control_center.models import RankingSnapshot, RankingWeights
from control_center.ranking_pages import METRIC_LABELS, unit
from control_center.rankings import Week, compute, snapshot_week
from stations.models import AuditLog, Station
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import (
    instruction_accept,
    instruction_cancel,
    instruction_return,
    instruction_sign_off,
    instruction_submit_feedback,
)
from tests.factories import GOOD_ANSWERS, CategoryFactory, StationFactory, issue, make_officer

pytestmark = pytest.mark.django_db

WEEK = Week.parse("2026-W10")  # Monday 2 March to Sunday 8 March 2026
TZ = timezone.get_default_timezone()
SNAPSHOT_AT = dt.datetime(2026, 3, 9, 6, 0, tzinfo=TZ)  # the beat's Monday 06:00


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment of the week: day 1 is Monday 2 March; day 8 the next Monday."""
    return dt.datetime(2026, 3, 1 + day, hour, minute, second, tzinfo=TZ)


@dataclass
class Unit:
    station: Station
    room: Any
    officer: Any


@dataclass
class World:
    a: Unit
    b: Unit
    c: Unit
    p: Unit
    q: Unit
    center: Any
    late: Instruction  # B's instruction whose 24-hour feedback arrives after the snapshot


def handle(
    u: Unit,
    kind: str,
    issued: dt.datetime,
    *,
    center: Any,
    category: Any = None,
    sign: float | None = None,
    feedback: float | None = None,
    accept: float | None = None,
    back: float | None = None,
    again: float | None = None,
    cancel: float | None = None,
) -> Instruction:
    """Issue to the unit and play its life; each step in minutes after the issue."""
    i = issue(kind=kind, by=center, station=u.station, category=category, now=issued)

    def t(m: float) -> dt.datetime:
        return issued + dt.timedelta(minutes=m)

    if cancel is not None:
        return instruction_cancel(instruction=i, actor=center.user, reason="重复", now=t(cancel))
    if sign is not None:
        instruction_sign_off(instruction=i, actor=u.room.user, officer=u.officer, now=t(sign))
    if feedback is not None:
        instruction_submit_feedback(instruction=i, actor=u.officer.user, answers=GOOD_ANSWERS, now=t(feedback))
    if back is not None:
        instruction_return(instruction=i, actor=center.user, comment="补充走访情况", now=t(back))
        if again is not None:
            instruction_submit_feedback(instruction=i, actor=u.officer.user, answers=GOOD_ANSWERS, now=t(again))
    if accept is not None:
        instruction_accept(instruction=i, actor=center.user, now=t(accept))
    i.refresh_from_db()
    return i


@pytest.fixture
def world(cast) -> World:
    """Three police stations and two patrol posts, a week of known instructions (see each line)."""
    three = CategoryFactory(code="neighbour3", name="邻里纠纷", feedback_hours=3)  # feedback due 3 h after sign-off
    third = StationFactory(code="third", name="前进派出所")
    p_post = StationFactory(code="post-p", name="前进一路警务站", kind=Station.Kind.PATROL_POST)
    q_post = StationFactory(code="post-q", name="汉口站警务站", kind=Station.Kind.PATROL_POST)

    def staff(station: Station, field_role: str = Role.COMMUNITY_OFFICER) -> Unit:
        return Unit(
            station, make_officer(Role.COMMAND_ROOM, station=station), make_officer(field_role, station=station)
        )

    a = Unit(cast.home, cast.command_room, cast.officer)
    b = Unit(cast.neighbour, cast.neighbour_command_room, cast.neighbour_officer)
    c = staff(third)
    p = staff(p_post, Role.PATROL_OFFICER)
    q = staff(q_post, Role.PATROL_OFFICER)
    go = {"center": cast.center}

    # A: four instructions received, and a standard task due in the week.
    handle(a, "dispute", at(1, 9), category=three, sign=10, feedback=120, accept=130, **go)  # all on time
    handle(a, "dispute", at(2, 10), category=three, sign=40, feedback=40 + 200, **go)  # sign 10 late, feedback 20 late
    handle(a, "revisit", at(3, 11), category=three, sign=5, feedback=60, accept=70, **go)  # a revisit done
    handle(a, "dispute", at(5, 14), category=three, sign=15, feedback=90, back=100, again=150, **go)  # returned once
    handle(a, "standard_task", at(4, 12), sign=20, feedback=100, **go)  # due Friday 12:20 (24 h), answered on time
    handle(a, "standard_task", at(7, 20), sign=1, **go)  # due the next Monday: not this week's
    # Outside the week: the Sunday before at 23:59:59 and the next Monday at 00:00:00.
    handle(a, "dispute", at(0, 23, 59, 59), category=three, **go)
    handle(a, "dispute", at(8, 0), category=three, **go)

    # B: five, one cancelled in time, one never signed, one whose feedback is due after the snapshot.
    handle(b, "dispute", at(1, 8), category=three, sign=30, feedback=30 + 170, accept=210, **go)  # at the due minute
    handle(b, "dispute", at(6, 22), category=three, **go)  # never signed off: overdue since Saturday 22:30
    late = handle(b, "dispute", at(7, 23), sign=20, **go)  # 24-hour feedback, due Monday 23:20
    handle(b, "dispute", at(3, 9), category=three, cancel=10, **go)  # cancelled before its sign-off was due
    handle(b, "revisit", at(4, 9), category=three, sign=10, feedback=60, **go)  # awaiting acceptance: not done
    handle(b, "standard_task", at(0, 9), sign=60, **go)  # issued the week before, due Monday 10:00, never answered

    # C: two; the second missed its feedback deadline, was returned and then answered on time.
    handle(c, "dispute", at(2, 9), category=three, sign=35, feedback=100, accept=110, **go)  # sign 5 late
    handle(c, "dispute", at(3, 9), category=three, sign=10, feedback=200, back=210, again=240, **go)

    # Patrol post P: two alerts acknowledged in 2 and 6 minutes, and a late dispute feedback.
    handle(p, "intelligence", at(1, 23, 28), sign=2, feedback=60, accept=70, **go)
    handle(p, "interception", at(3, 10), sign=6, feedback=30, **go)
    handle(p, "dispute", at(4, 10), category=three, sign=10, feedback=10 + 200, **go)  # feedback 20 late
    # Patrol post Q: an alert acknowledged 15 minutes late, one never acknowledged.
    handle(q, "intelligence", at(2, 3), sign=45, feedback=105, **go)
    handle(q, "intelligence", at(5, 20), **go)
    return World(a, b, c, p, q, cast.center, late)


def rows_by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["station"]: r for r in rows}


def test_the_week_runs_from_monday_midnight_to_the_next_in_shanghai_time():
    assert WEEK.start.isoformat() == "2026-03-02T00:00:00+08:00"
    assert WEEK.end.isoformat() == "2026-03-09T00:00:00+08:00"
    assert WEEK.label == "2026-W10"
    assert Week.of(at(7, 23, 59)) == WEEK
    assert Week.of(at(8, 0)) == WEEK.shift(1)
    assert Week.parse("2026-W53").monday == dt.date(2026, 12, 28)
    for wrong in ("2026-48", "2025-W53", "2026-W00"):
        with pytest.raises(ValueError, match=r"."):
            Week.parse(wrong)


def test_every_figure_of_a_police_station_matches_the_hand_count(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    assert rows["home"]["metrics"] == {
        "received": 4,
        "sign_off_due": 4,
        "signed_on_time": 3,
        "sign_off_on_time_pct": 75.0,
        "sign_off_median_minutes": 12.5,  # of 5, 10, 15, 40
        "feedback_due": 4,
        "feedback_on_time": 3,
        "feedback_on_time_pct": 75.0,
        "overdue": 1,
        "feedback_given": 4,
        "returned": 1,
        "revisits": 1,
        "revisits_done": 1,
        "standard_tasks_due": 1,
        "standard_tasks_on_time": 1,
        "standard_tasks_on_time_pct": 100.0,
    }
    assert rows["neighbour"]["metrics"] == {
        "received": 5,
        "sign_off_due": 4,  # the cancelled one is left out
        "signed_on_time": 3,  # signed at the due minute counts as on time
        "sign_off_on_time_pct": 75.0,
        "sign_off_median_minutes": 20.0,  # of 10, 20, 30
        "feedback_due": 2,  # the 24-hour one is not due at the snapshot
        "feedback_on_time": 2,
        "feedback_on_time_pct": 100.0,
        "overdue": 1,  # never signed off
        "feedback_given": 2,
        "returned": 0,
        "revisits": 1,
        "revisits_done": 0,
        "standard_tasks_due": 1,  # issued the week before, due in this one
        "standard_tasks_on_time": 0,
        "standard_tasks_on_time_pct": 0.0,
    }
    third = rows["third"]["metrics"]
    assert (third["sign_off_on_time_pct"], third["sign_off_median_minutes"]) == (50.0, 22.5)
    # The returned one's latest feedback was in time, but it had missed its first deadline.
    assert (third["feedback_due"], third["feedback_on_time"], third["overdue"], third["returned"]) == (2, 1, 2, 1)


def test_patrol_posts_also_count_alerts_and_their_acknowledgement(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    p, q = rows["post-p"]["metrics"], rows["post-q"]["metrics"]
    assert (p["alerts"], p["alerts_acknowledged"], p["alerts_acknowledged_pct"], p["acknowledge_avg_minutes"]) == (
        2,
        2,
        100.0,
        4.0,
    )
    assert (p["received"], p["sign_off_on_time_pct"], p["sign_off_median_minutes"]) == (3, 100.0, 6.0)
    assert (p["feedback_on_time_pct"], p["overdue"]) == (66.7, 1)
    assert (q["alerts"], q["alerts_due"], q["alerts_acknowledged"], q["alerts_acknowledged_pct"]) == (2, 2, 1, 50.0)
    assert (q["acknowledge_avg_minutes"], q["overdue"], q["sign_off_on_time_pct"]) == (45.0, 2, 0.0)
    assert "alerts" not in rows["home"]["metrics"]


def test_scores_and_ranks_within_each_kind_match_the_hand_count(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    # A: (20×75 + 10×58.3 + 20×75 + 15×75 + 10×75 + 10×100 + 15×100) / 100; speed 100 × (1 − 12.5/30)
    assert rows["home"]["components"]["sign_off_speed"] == 58.3
    assert rows["home"]["score"] == 79.6
    # B: (20×75 + 10×33.3 + 20×100 + 15×80 + 10×100 + 10×0 + 15×0) / 100
    assert rows["neighbour"]["score"] == 60.3
    # C: (20×50 + 10×25 + 20×50 + 15×0 + 10×50) / 75; no revisit, no standard task: their weights drop out
    assert rows["third"]["score"] == 36.7
    # P: (20×100 + 10×80 + 20×66.7 + 15×66.7 + 10×100 + 20×100 + 10×86.7) / 105
    assert rows["post-p"]["score"] == 85.7
    # Q: (20×0 + 10×0 + 20×100 + 15×0 + 10×100 + 20×50 + 10×0) / 105
    assert rows["post-q"]["score"] == 38.1
    assert [
        (r["station"], r["rank"]) for r in compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict())
    ] == [
        ("home", 1),
        ("neighbour", 2),
        ("third", 3),
        ("post-p", 1),
        ("post-q", 2),
    ]


def test_the_weights_come_from_the_admin_row(world):
    weights = RankingWeights.current()
    weights.sign_off_speed = weights.revisits = weights.standard_tasks = 0
    weights.save()
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=weights.as_dict()))
    # A: (20×75 + 20×75 + 15×75 + 10×75) / 65
    assert rows["home"]["score"] == 75.0


def test_a_unit_without_instructions_has_no_score_and_no_rank(world):
    StationFactory(code="quiet", name="安静派出所")
    rows = compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict())
    quiet = rows_by_code(rows)["quiet"]
    assert (quiet["score"], quiet["rank"], quiet["metrics"]["received"]) == (None, None, 0)
    assert [r["station"] for r in rows if r["kind"] == "police_station"][-1] == "quiet"


def test_the_ranking_is_three_queries_whatever_the_number_of_instructions(world, django_assert_num_queries):
    weights = RankingWeights.current().as_dict()
    with django_assert_num_queries(3):
        compute(WEEK, as_of=SNAPSHOT_AT, weights=weights)


# --- snapshots and revisions ----------------------------------------------------------------------


def test_a_late_feedback_after_the_snapshot_makes_a_new_revision_and_leaves_the_first_intact(world, cast):
    first, created = snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    assert (created, first.revision, first.generated_by) == (True, 1, None)
    stored = [dict(r) for r in first.rows]
    again, created = snapshot_week(week=WEEK, now=SNAPSHOT_AT + dt.timedelta(hours=1))
    assert (created, again.pk) == (False, first.pk)  # nothing changed: no new revision

    # B's 24-hour feedback was due Monday 23:20; it arrives on Tuesday at 00:00, 40 minutes late.
    instruction_submit_feedback(instruction=world.late, actor=world.b.officer.user, answers=GOOD_ANSWERS, now=at(9, 0))
    second, created = snapshot_week(week=WEEK, actor=cast.supervisor.user, reason="迟到的反馈", now=at(9, 1))
    assert (created, second.revision, second.generated_by, second.reason) == (
        True,
        2,
        cast.supervisor.user,
        "迟到的反馈",
    )

    first.refresh_from_db()
    assert first.rows == stored
    before, after = rows_by_code(first.rows)["neighbour"], rows_by_code(second.rows)["neighbour"]
    assert (before["metrics"]["feedback_due"], before["metrics"]["feedback_on_time_pct"], before["score"]) == (
        2,
        100.0,
        60.3,
    )
    # (20×75 + 10×33.3 + 20×66.7 + 15×60 + 10×100 + 10×0 + 15×0) / 100
    assert (after["metrics"]["feedback_due"], after["metrics"]["feedback_on_time_pct"]) == (3, 66.7)
    assert (after["metrics"]["overdue"], after["score"]) == (2, 50.7)
    assert RankingSnapshot.objects.filter(week_start=WEEK.monday).count() == 2


def test_a_running_week_is_not_stored(world):
    with pytest.raises(ValidationError):
        snapshot_week(week=WEEK, now=at(7, 23, 59))


def test_the_weekly_job_stores_last_week_on_monday_morning_and_rechecks_the_week_before(world, time_machine):
    time_machine.move_to(SNAPSHOT_AT)
    assert jobs.weekly_rankings() == {
        "2026-W09": {"revision": 1, "new": True},
        "2026-W10": {"revision": 1, "new": True},
    }
    time_machine.move_to(SNAPSHOT_AT + dt.timedelta(days=7))
    # W10 is re-checked: B's 24-hour feedback is now missing past its deadline, so W10 gets revision 2.
    assert jobs.weekly_rankings() == {
        "2026-W10": {"revision": 2, "new": True},
        "2026-W11": {"revision": 1, "new": True},
    }


def test_beat_runs_the_rankings_on_monday_at_six(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["weekly-rankings"]["schedule"]
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {6}, {0})


# --- the pages, the workbook, the print layout, the API ---------------------------------------------


class Cells(HTMLParser):
    """{station: {metric: data-value}} from the rankings tables."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.station: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-testid") == "rank-row":
            self.station = a["data-station"]
            self.rows[self.station] = {}
        elif tag == "td" and self.station and "data-metric" in a:
            self.rows[self.station][a["data-metric"]] = a.get("data-value") or ""


def page_cells(html: str) -> dict[str, dict[str, str]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def signed_in(who: Any) -> Client:
    client = Client()
    client.force_login(getattr(who, "user", who))
    return client


def test_the_page_shows_the_stored_week_with_ranks_changes_and_every_unit(world, cast):
    snapshot_week(week=WEEK.shift(-1), now=SNAPSHOT_AT)  # W09: nobody has a score
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    response = signed_in(cast.supervisor).get(f"/rankings/?week={WEEK}")
    assert response.status_code == 200
    html = response.content.decode()
    cells = page_cells(html)
    assert set(cells) == set(Station.objects.values_list("code", flat=True))
    assert {k: v["rank"] for k, v in cells.items()} == {
        "home": "1",
        "neighbour": "2",
        "third": "3",
        "post-p": "1",
        "post-q": "2",
    }
    assert cells["home"]["score"] == "79.6"
    assert cells["home"]["sign_off_median_minutes"] == "12.5"
    assert cells["post-q"]["alerts_acknowledged"] == "1"
    assert "alerts_acknowledged" not in cells["home"]
    assert 'data-testid="revision" data-revision="1"' in html
    assert 'data-testid="provisional"' not in html
    assert html.count('data-testid="spark"') == 5
    assert "79.6" in html
    assert "12.5" in html
    for weight in RankingWeights.COMPONENTS:  # the weights are printed
        assert f'data-weight="{weight}"' in html


def test_the_page_shows_both_revisions_and_what_changed(world, cast):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    instruction_submit_feedback(instruction=world.late, actor=world.b.officer.user, answers=GOOD_ANSWERS, now=at(9, 0))
    snapshot_week(week=WEEK, now=at(9, 1), reason="迟到的反馈")
    client = signed_in(cast.supervisor)
    html = client.get(f"/rankings/?week={WEEK}").content.decode()
    assert 'data-revision="2"' in html
    assert f"?week={WEEK}&amp;revision=1" in html
    assert "迟到的反馈" in html
    assert re.search(r'data-metric="score" data-value="50.7">50.7<span class="was">r1: 60.3</span>', html)
    old = client.get(f"/rankings/?week={WEEK}&revision=1").content.decode()
    assert page_cells(old)["neighbour"]["score"] == "60.3"
    assert 'data-revision="1"' in old
    assert client.get(f"/rankings/?week={WEEK}&revision=7").status_code == 404


def test_the_rank_change_since_last_week_is_shown(world, cast):
    RankingSnapshot.objects.create(
        week_start=WEEK.shift(-1).monday,
        revision=1,
        generated_at=SNAPSHOT_AT,
        weights={},
        rows=[
            {"station": "home", "rank": 3, "score": 50.0, "kind": "police_station", "metrics": {}},
            {"station": "neighbour", "rank": 2, "score": 60.0, "kind": "police_station", "metrics": {}},
            {"station": "third", "rank": 1, "score": 70.0, "kind": "police_station", "metrics": {}},
        ],
    )
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    html = signed_in(cast.center).get(f"/rankings/?week={WEEK}").content.decode()
    changes = dict(re.findall(r'data-station="([\w-]+)">.*?data-testid="change" data-value="(-?\d*)"', html, re.S))
    assert changes == {"home": "2", "neighbour": "0", "third": "-2", "post-p": "", "post-q": ""}
    assert "▲2" in html
    assert "▼2" in html


def test_the_current_week_is_live_and_provisional(world, cast):
    html = signed_in(cast.supervisor).get(f"/rankings/?week={rankings.Week.of(timezone.now())}").content.decode()
    assert 'data-testid="provisional"' in html
    assert 'data-testid="recompute"' not in html
    past = signed_in(cast.supervisor).get(f"/rankings/?week={WEEK}").content.decode()
    assert 'data-testid="provisional"' in past
    assert 'data-testid="recompute"' in past


def test_the_rankings_page_from_a_snapshot_costs_at_most_ten_queries(world, cast, django_assert_max_num_queries):
    for back in range(12):
        snapshot_week(week=WEEK.shift(-back), now=SNAPSHOT_AT)
    client = signed_in(cast.supervisor)
    client.get(f"/rankings/?week={WEEK}")
    with django_assert_max_num_queries(10):
        assert client.get(f"/rankings/?week={WEEK}").status_code == 200


def test_only_supervisors_and_the_center_see_the_whole_rankings(world, cast, api):
    """Stations read the published bulletin of their kind: tests/control_center/test_bulletin.py."""
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    urls = [
        f"/rankings/?week={WEEK}",
        f"/rankings/print/?week={WEEK}",
        f"/rankings/export.xlsx?week={WEEK}",
        f"/rankings/{WEEK}/home/",
        "/supervision/",
    ]
    for who in (cast.officer, cast.neighbour_officer, cast.outsider):
        client = signed_in(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        assert client.post("/rankings/recompute/", {"week": str(WEEK)}).status_code == 404
        assert api(who).get(f"/api/v1/rankings/weekly/?week={WEEK}").status_code == 404
    for who in (cast.supervisor, cast.center):
        client = signed_in(who)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
    assert Client().get(urls[0]).status_code == 302  # to the login


def test_a_supervisor_recomputes_a_week_into_a_new_revision(world, cast):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    client = signed_in(cast.supervisor)
    response = client.post("/rankings/recompute/", {"week": str(WEEK), "reason": "补录"}, follow=True)
    assert response.status_code == 200
    # Since the snapshot, B's 24-hour feedback went past its deadline without an answer.
    latest = RankingSnapshot.objects.filter(week_start=WEEK.monday).order_by("-revision").first()
    assert (latest.revision, latest.reason, latest.generated_by) == (2, "补录", cast.supervisor.user)
    response = client.post("/rankings/recompute/", {"week": str(WEEK)}, follow=True)
    assert RankingSnapshot.objects.filter(week_start=WEEK.monday).count() == 2  # nothing changed since
    this_week = str(rankings.Week.of(timezone.now()))
    client.post("/rankings/recompute/", {"week": this_week})
    assert not RankingSnapshot.objects.filter(week_start=rankings.Week.parse(this_week).monday).exists()


def test_the_excel_export_holds_the_numbers_of_the_page(world, cast):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    client = signed_in(cast.supervisor)
    cells = page_cells(client.get(f"/rankings/?week={WEEK}").content.decode())
    response = client.get(f"/rankings/export.xlsx?week={WEEK}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"rankings-{WEEK}-r1.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3  # police stations, patrol posts, definitions
    seen = {}
    for ws in book.worksheets[:2]:
        header_row = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value and r[3].value)
        assert header_row[0].font.bold
        headers = [c.value for c in header_row]
        for row in ws.iter_rows(min_row=header_row[0].row + 1, values_only=True):
            seen[row[3]] = {"rank": row[0], "score": row[4]} | dict(zip(headers[5:], row[5:], strict=True))
    assert set(seen) == set(cells)
    with translation.override(settings.LANGUAGE_CODE):  # the language the page and the workbook were made in
        labels = {k: str(v) for k, v in METRIC_LABELS.items()} | {"rank": "rank", "score": "score"}

    def same(excel: Any, page: str) -> bool:
        return page == "" if excel is None else float(excel) == float(page)

    compared = 0
    for code, page in cells.items():
        for key, value in page.items():
            if key in labels and labels[key] in seen[code]:
                assert same(seen[code][labels[key]], value), (code, key, seen[code][labels[key]], value)
                compared += 1
    assert compared >= 5 * 10
    pct = next(c for c in book.worksheets[0][6] if c.value == 75.0)
    assert pct.number_format == '0.0"%"'
    assert AuditLog.objects.filter(kind="export", target=f"rankings {WEEK}-r1").exists()


def test_the_print_layout_has_the_tables_the_weights_and_the_definitions(world, cast):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    html = signed_in(cast.supervisor).get(f"/rankings/print/?week={WEEK}").content.decode()
    assert 'data-testid="print-layout"' in html
    assert "print-page" in html
    assert page_cells(html)["home"]["score"] == "79.6"
    assert 'data-testid="definitions"' in html
    assert 'data-testid="spark"' not in html
    css = (settings.BASE_DIR / "static" / "css" / "rankings.css").read_text()
    assert "@media print" in css
    assert "size: A4 landscape" in css


def test_a_units_drill_down_lists_the_very_instructions_behind_each_figure(world):
    for station in Station.objects.all():
        u = unit(WEEK, station, now=SNAPSHOT_AT)
        m = u.live["metrics"]
        assert len(u.instructions) == m["received"]
        assert len(u.late_sign_offs) == m["sign_off_due"] - m["signed_on_time"]
        assert len(u.late_feedback) == m["feedback_due"] - m["feedback_on_time"]
        assert len(u.overdue) == m["overdue"]
        assert len(u.returned) == m["returned"]
        assert len(u.standard_tasks) == m["standard_tasks_due"]
        assert sum(1 for i in u.revisits if i.in_revisit_done) == m["revisits_done"]
    home = unit(WEEK, Station.objects.get(code="home"), now=SNAPSHOT_AT)
    (late,) = home.late_sign_offs
    assert (late.sign_off_late_by, late.issued_at) == (10, at(2, 10))
    (late,) = home.late_feedback
    assert late.feedback_late_by == 20
    never = unit(WEEK, Station.objects.get(code="neighbour"), now=SNAPSHOT_AT).late_sign_offs[0]
    assert (never.signed_at, never.sign_off_late_by) == (None, 31 * 60 + 30)  # Saturday 22:30 to Monday 06:00
    third = unit(WEEK, Station.objects.get(code="third"), now=SNAPSHOT_AT)
    assert [i.in_feedback_breached_before for i in third.late_feedback] == [True]


def test_the_drill_down_page_links_each_instruction_and_flags_late_data(world, cast):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    instruction_submit_feedback(instruction=world.late, actor=world.b.officer.user, answers=GOOD_ANSWERS, now=at(9, 0))
    client = signed_in(cast.supervisor)
    html = client.get(f"/rankings/{WEEK}/neighbour/").content.decode()
    assert f'href="/instructions/{world.late.pk}/"' in html
    assert 'data-testid="differs"' in html  # the stored revision no longer matches the data
    assert 'data-testid="score-chart"' in html
    assert client.get(f"/rankings/{WEEK}/nowhere/").status_code == 404
    assert client.get("/rankings/2026-X10/home/").status_code == 404


def test_the_api_answers_every_unit_of_the_week(world, cast, api):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    response = api(cast.supervisor).get(f"/api/v1/rankings/weekly/?week={WEEK}")
    assert response.status_code == 200
    data = response.json()
    assert (data["week"], data["revision"], data["provisional"], data["revisions"]) == ("2026-W10", 1, False, [1])
    assert {r["station"] for r in data["rows"]} == set(Station.objects.values_list("code", flat=True))
    home = rows_by_code(data["rows"])["home"]
    assert (home["kind"], home["rank"], home["score"], home["metrics"]["received"]) == ("police_station", 1, 79.6, 4)
    assert set(home) == {"station", "name", "kind", "rank", "score", "metrics", "components"}
    live = api(cast.center).get(f"/api/v1/rankings/weekly/?week={rankings.Week.of(timezone.now())}").json()
    assert (live["provisional"], live["revision"]) == (True, None)
    assert api(cast.center).get("/api/v1/rankings/weekly/?week=48").status_code == 400
    assert api(cast.center).get(f"/api/v1/rankings/weekly/?week={WEEK}&revision=9").status_code == 404
    schema = signed_in(cast.center).get("/api/schema/", headers={"accept": "application/json"}).json()
    assert "/api/v1/rankings/weekly/" in schema["paths"]


def test_without_postgresql_the_durations_are_computed_alike_in_python(world):
    from control_center.rankings import _durations_in_python, _minutes

    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    for sid, durations in _durations_in_python(WEEK).items():
        metrics = next(r for r in rows.values() if r["station_id"] == sid)["metrics"]
        assert _minutes(durations["sign_off_median"]) == metrics["sign_off_median_minutes"]
        assert _minutes(durations["acknowledge_avg"]) == metrics.get("acknowledge_avg_minutes")


def test_the_admin_edits_the_weights_and_only_shows_the_snapshots(world, admin_client):
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    weights = RankingWeights.current()
    assert admin_client.get(f"/admin/control_center/rankingweights/{weights.pk}/change/").status_code == 200
    assert admin_client.get("/admin/control_center/rankingweights/add/").status_code == 403  # one row
    snapshot = RankingSnapshot.objects.get()
    assert admin_client.get("/admin/control_center/rankingsnapshot/").status_code == 200
    page = admin_client.get(f"/admin/control_center/rankingsnapshot/{snapshot.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only: a stored week never changes
    assert admin_client.post(f"/admin/control_center/rankingsnapshot/{snapshot.pk}/delete/").status_code == 403
    for model in ("spotcheck", "rectification"):
        assert admin_client.get(f"/admin/control_center/{model}/").status_code == 200
