"""Weekly rankings of the known week (`world`, from rankings_world.py): the pages, the API, the workbook,
the print layout and the admin."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from control_center import rankings
from control_center.models import RankingSnapshot, RankingWeights
from control_center.ranking_pages import METRIC_LABELS, unit
from control_center.rankings import snapshot_week
from stations.models import AuditLog, Station
from tasks.services import instruction_submit_feedback
from tests.control_center.rankings_world import SNAPSHOT_AT, WEEK, at, rows_by_code, signed_in
from tests.factories import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


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
