"""The catalogue of standard tasks: 117 items with every attribute, versions that keep old answers,
Excel out and back in, and the catalogue API."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from standard import catalogue
from standard.models import StandardTask, StandardTaskVersion
from standard.selectors import catalogue_tasks, department_codes, entry_of
from standard.services import catalogue_import, standard_task_issue, standard_task_revise
from stations.models import AuditLog, Department
from stations.roles import Role
from tasks.answer_sheets import validate_definition
from tasks.models import AnswerSheet, Instruction
from tests.factories import PASSWORD, make_officer

pytestmark = pytest.mark.django_db

ANSWERS = {
    "visited_on": "2026-11-20",
    "met_in_person": True,
    "household_members": 4,
    "actual_residents": 3,
    "info_matches": False,
}


@pytest.fixture
def tasks(db):
    catalogue.load()  # the migration shipped it; a transactional test elsewhere may have flushed it
    return {t.code: t for t in catalogue_tasks()}


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def test_the_117_items_load_with_every_attribute(tasks):
    assert len(tasks) == 117
    for task in tasks.values():
        version = task.current
        assert version.version == 1
        assert version.name
        assert version.basis
        assert version.measures
        assert version.work_standard
        assert version.lead_department.name
        assert version.limit_value >= 1
        assert version.limit_unit in StandardTaskVersion.Limit.values
        assert version.answer_sheet.code == catalogue.sheet_code(task.code)
        validate_definition(version.answer_sheet.fields)
        assert list(version.consumers.all())
    leads = {t.current.lead_department.code for t in tasks.values()}
    assert leads == {code for code, _name in catalogue.DEPARTMENTS}
    assert catalogue.load() == 0  # loading again adds nothing


def test_a_shared_question_is_the_same_question_on_every_sheet(tasks):
    seen: dict[str, tuple] = {}
    uses: dict[str, int] = {}
    for task in tasks.values():
        for field in task.current.answer_sheet.fields:
            signature = (field["type"], field["label"], tuple(c["value"] for c in field.get("choices", [])))
            assert seen.setdefault(field["name"], signature) == signature, field["name"]
            uses[field["name"]] = uses.get(field["name"], 0) + 1
    assert uses["visited_on"] > 100
    assert uses["note"] > 100


def test_an_item_edited_after_answers_keeps_their_old_version(cast, tasks):
    task = tasks["RK01"]
    center = cast.center.user
    issued = standard_task_issue(task=task, actor=center, scope="officer", officer=cast.officer)
    instruction = issued.created[0].instruction
    from tasks.services import instruction_submit_feedback

    instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=ANSWERS)
    old_version, old_sheet = task.current, task.current.answer_sheet

    entry = entry_of(task)
    entry["work_standard"] = "每半年逐户核查一次。"
    entry["fields"] = [
        *entry["fields"],
        {"name": "household_heads", "label": "户主人数", "type": "number", "required": True},
    ]
    new = standard_task_revise(code="RK01", entry=entry, actor=center)

    task.refresh_from_db()
    assert task.current == new
    assert new.version == 2
    assert new.answer_sheet.version == 2
    assert new.answer_sheet.code == old_sheet.code
    old_version.refresh_from_db()
    old_sheet.refresh_from_db()
    assert old_version.work_standard != "每半年逐户核查一次。"
    assert "household_heads" not in [f["name"] for f in old_sheet.fields]
    instruction.refresh_from_db()
    assert instruction.answer_sheet == old_sheet
    assert instruction.standard_occurrence.version == old_version
    assert instruction.answers["household_members"] == 4
    # Asking again now uses the new version.
    later = standard_task_issue(
        task=task, actor=center, scope="officer", officer=cast.officer, subject="江汉路1号", now=timezone.now()
    )
    assert later.created[0].version == new
    assert later.created[0].instruction.answer_sheet == new.answer_sheet
    # Nothing changed: no new version.
    assert standard_task_revise(code="RK01", entry=entry_of(task), actor=center) is None


def _workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_catalogue_round_trips_through_excel(cast, tasks):
    client = signed_in(cast.center)
    response = client.get("/standard-tasks/catalogue.xlsx")
    assert response.status_code == 200
    assert AuditLog.objects.filter(kind=AuditLog.Kind.EXPORT, username="center").exists()
    book = _workbook(response)
    assert book["标准件"].max_row == 118
    rows = {row[0].value: row for row in book["标准件"].iter_rows(min_row=2)}
    assert rows["RK01"][2].value == "人口管理大队"
    assert rows["RK11"][6].value == "24小时"

    # Imported as exported: nothing changes.
    entries = catalogue.from_workbook(io.BytesIO(response.content), department_codes())
    assert entries == [entry_of(t) for t in catalogue_tasks()]
    report = catalogue_import(entries=entries, actor=cast.center.user)
    assert (report.created, report.revised, report.unchanged) == ([], [], 117)

    # The center edits a cell and adds a task, then imports through the page.
    sheet = book["标准件"]
    rows["RK01"][6].value = "每月"
    sheet.append(["ZZ01", "新增走访事项", "治安管理大队", "依据", "措施", "标准", "3天", "治安管理大队、巡警大队"])
    book["答题卡"].append(["ZZ01", "visited_on", "走访/检查日期", "日期", "是", None, None, None, None])
    book["答题卡"].append(["ZZ01", "mood", "情绪", "单选", "否", "calm=平稳;upset=激动", None, None, None])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "catalogue.xlsx"
    response = client.post("/standard-tasks/import/", {"file": out})
    assert response.status_code == 302
    assert StandardTask.objects.get(code="RK01").current.limit_unit == "monthly"
    assert StandardTask.objects.get(code="RK01").versions.count() == 2
    added = StandardTask.objects.get(code="ZZ01").current
    assert (added.limit_unit, added.limit_value) == ("days", 3)
    assert sorted(d.code for d in added.consumers.all()) == ["patrol", "public_order"]
    assert added.answer_sheet.fields[1]["choices"] == [
        {"value": "calm", "label": "平稳"},
        {"value": "upset", "label": "激动"},
    ]
    assert AnswerSheet.objects.filter(code="std-rk01").count() == 1  # the sheet did not change


def test_a_broken_workbook_is_refused_row_by_row(cast, tasks):
    book = catalogue.to_workbook([entry_of(tasks["RK01"])], {})
    book["标准件"]["G2"] = "尽快"
    book["标准件"]["C2"] = "不存在的部门"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(catalogue.CatalogueFileError) as caught:
        catalogue.from_workbook(out, department_codes())
    assert any("第2行" in e and "完成时限" in e for e in caught.value.errors)
    with pytest.raises(catalogue.CatalogueFileError):
        catalogue.from_workbook(io.BytesIO(b"not a workbook"), {})
    response = signed_in(cast.center).post("/standard-tasks/import/", {"file": io.BytesIO(b"PK junk")}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_only_the_center_imports_the_catalogue(cast, tasks):
    staff = make_officer(Role.DEPARTMENT_STAFF, department=Department.objects.get(code="population"))
    assert signed_in(staff).post("/standard-tasks/import/", {}).status_code == 404
    assert signed_in(cast.officer).get("/standard-tasks/").status_code == 404
    assert signed_in(staff).get("/standard-tasks/").status_code == 200


def test_the_catalogue_api_lists_the_items_in_the_contracts_shape(cast, tasks, api, django_assert_num_queries):
    client = api(cast.officer)
    with django_assert_num_queries(3):  # count, the page, its consumers
        response = client.get("/api/v1/standard-tasks/")
    assert response.status_code == 200
    assert response.data["count"] == 117
    first = response.data["results"][0]
    assert set(first) >= {
        "code",
        "name",
        "lead_department",
        "basis",
        "measures",
        "work_standard",
        "time_limit",
        "answer_sheet",
    }
    assert first["code"] == "JD01"
    assert first["lead_department"] == "narcotics"
    assert first["time_limit"]["unit"] == "monthly"
    assert first["answer_sheet"]["code"] == "std-jd01"
    assert first["answer_sheet"]["fields"][0]["name"] == "visited_on"
    one = client.get("/api/v1/standard-tasks/RK11/").data
    assert one["time_limit"] == {"unit": "hours", "value": 24, "label": one["time_limit"]["label"]}
    filtered = client.get("/api/v1/standard-tasks/", {"lead_department": "internal_security"}).data
    assert filtered["count"] == 18
    assert api(None).get("/api/v1/standard-tasks/").status_code in (401, 403)


def test_open_items_keep_their_version_when_the_item_is_revised(cast, tasks):
    """A revision does not touch open items: they keep the version they were issued with."""
    issued = standard_task_issue(
        task=tasks["ZA06"],
        actor=cast.center.user,
        scope="officer",
        officer=cast.officer,
        now=timezone.now() - timedelta(hours=1),
    )
    entry = entry_of(tasks["ZA06"])
    entry["name"] = "矛盾纠纷排查化解"
    standard_task_revise(code="ZA06", entry=entry)
    instruction = Instruction.objects.get(pk=issued.created[0].instruction_id)
    assert instruction.standard_occurrence.version.version == 1
    assert instruction.status == Instruction.Status.ASSIGNED
