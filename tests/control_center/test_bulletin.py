"""The weekly bulletin as published: a stored revision never changes (every figure from its snapshot), the
stations' command rooms and duty leaders read the published rows of their kind (page, print, workbook, API)
and drill down into their own unit only, and the explanations are in Chinese."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation

from control_center import ranking_pages, rankings, supervision
from control_center.rankings import snapshot_week
from control_center.rankings_views import workbook
from stations.models import Station
from stations.roles import Role
from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
from tests.control_center.rankings_world import SNAPSHOT_AT, WEEK, at, signed_in, world  # noqa: F401
from tests.factories import GOOD_ANSWERS, make_officer

pytestmark = pytest.mark.django_db


def rectify(cast, station: Station, now: dt.datetime, due_in_hours: int = 48):
    return supervision.rectification_issue(
        station=station,
        inspector=cast.supervisor.user,
        note="整改反馈质量",
        due_at=now + dt.timedelta(hours=due_in_hours),
        now=now,
    )


def rect_cell(html: str, code: str) -> str:
    row = re.search(rf'data-station="{code}".*?</tr>', html, re.S)
    assert row is not None, code
    cell = re.search(r'data-metric="rectifications" data-value="(\d+)"', row[0])
    return cell[1]


def test_a_rectification_ordered_after_the_week_never_shows_in_its_stored_revision(world, cast):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    rectify(cast, cast.home, SNAPSHOT_AT + dt.timedelta(days=2))  # ordered in the next week
    stored = {r["station"]: r for r in ranking_pages.board(WEEK).rows}
    assert stored["home"]["rectifications"] == {"open": 0, "overdue": 0}
    html = signed_in(cast.supervisor).get(f"/rankings/?week={WEEK}").content.decode()
    assert rect_cell(html, "home") == "0"


def test_a_stored_revision_keeps_the_rectifications_open_when_it_was_stored(world, cast):  # noqa: F811
    rect = rectify(cast, cast.home, at(3, 9), due_in_hours=24)  # ordered Wednesday, due Thursday: late at the end
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    instruction = rect.instruction
    later = SNAPSHOT_AT + dt.timedelta(days=1)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer, now=later)
    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS, now=later)
    instruction.refresh_from_db()
    instruction_accept(instruction=instruction, actor=cast.supervisor.user, now=later)  # closed after the snapshot
    stored = {r["station"]: r for r in ranking_pages.board(WEEK).rows}
    assert stored["home"]["rectifications"] == {"open": 1, "overdue": 1}
    html = signed_in(cast.supervisor).get(f"/rankings/?week={WEEK}").content.decode()
    assert rect_cell(html, "home") == "1"
    # The same week, not stored, is computed as of its end: the same count.
    rankings.RankingSnapshot.objects.all().delete()
    live = {r["station"]: r for r in ranking_pages.board(WEEK).rows}
    assert live["home"]["rectifications"] == {"open": 1, "overdue": 1}


def test_a_station_command_room_and_duty_leader_read_the_published_rows_of_their_kind(world, cast):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    for who in (cast.command_room, cast.duty_leader):
        client = signed_in(who)
        response = client.get(f"/rankings/?week={WEEK}")
        assert response.status_code == 200
        html = response.content.decode()
        stations = set(re.findall(r'data-testid="rank-row" data-station="([\w-]+)"', html))
        assert stations == {"home", "neighbour", "third"}  # police stations only, no patrol post
        assert f'href="/rankings/{WEEK}/home/?revision=1"' in html  # its own drill-down
        assert f'href="/rankings/{WEEK}/neighbour/' not in html
        assert 'data-testid="recompute"' not in html
        assert "/supervision/" not in html
        assert client.get(f"/rankings/{WEEK}/home/").status_code == 200
        assert client.get(f"/rankings/{WEEK}/neighbour/").status_code == 404
        assert client.get(f"/rankings/{WEEK}/post-p/").status_code == 404
        assert client.post("/rankings/recompute/", {"week": str(WEEK)}).status_code == 404
        assert client.get("/supervision/").status_code == 404
        assert client.get(f"/rankings/print/?week={WEEK}").status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/rankings/export.xlsx?week={WEEK}").content))
        assert len(book.sheetnames) == 2  # police stations and the definitions


def test_a_patrol_posts_command_room_reads_the_posts_bulletin(world, cast):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    room = make_officer(Role.DUTY_LEADER, station=world.p.station)
    html = signed_in(room).get(f"/rankings/?week={WEEK}").content.decode()
    assert set(re.findall(r'data-testid="rank-row" data-station="([\w-]+)"', html)) == {"post-p", "post-q"}


def test_before_the_week_is_stored_a_station_sees_it_is_not_published_and_nothing_live(world, cast, api):  # noqa: F811
    client = signed_in(cast.command_room)
    response = client.get(f"/rankings/?week={WEEK}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="not-published"' in html
    assert 'data-testid="rank-row"' not in html
    assert 'data-testid="export"' not in html
    assert api(cast.command_room).get(f"/api/v1/rankings/weekly/?week={WEEK}").status_code == 404
    assert signed_in(cast.command_room).get("/rankings/").status_code == 200  # the nav's link


def test_the_api_answers_a_station_with_the_published_rows_of_its_kind(world, cast, api):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    for who in (cast.command_room, cast.duty_leader):
        response = api(who).get(f"/api/v1/rankings/weekly/?week={WEEK}")
        assert response.status_code == 200
        data = response.json()
        assert (data["revision"], data["provisional"]) == (1, False)
        assert {r["station"] for r in data["rows"]} == {"home", "neighbour", "third"}
        assert {r["kind"] for r in data["rows"]} == {"police_station"}
    assert api(cast.officer).get(f"/api/v1/rankings/weekly/?week={WEEK}").status_code == 404
    assert api(cast.command_room).get(f"/api/v1/rankings/weekly/?week={WEEK}&revision=2").status_code == 404


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_definitions_the_weights_and_the_workbook_notes_are_in_chinese(world, cast):  # noqa: F811
    snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    with translation.override("zh-hans"):
        for d in ranking_pages.definitions():
            assert HAN.search(d["text"]), d["key"]
            assert not re.search(r"[A-Za-z]{4,}", d["text"].replace("Asia/Shanghai", "")), d["text"]
        book = openpyxl.load_workbook(io.BytesIO(workbook(ranking_pages.board(WEEK))))
    police = book.worksheets[0]
    assert police["A3"].value.startswith("权重：")
    assert "；" in police["A3"].value
    notes = book["指标说明"]
    texts = [row[1] for row in notes.iter_rows(min_row=2, values_only=True) if row[1]]
    assert texts
    assert all(HAN.search(str(t)) for t in texts)
    html = signed_in(cast.supervisor).get(f"/rankings/?week={WEEK}", headers={"accept-language": "zh-hans"})
    assert "下达给本单位的指令" in html.content.decode()
    assert settings.LANGUAGE_CODE.lower().startswith("zh")
