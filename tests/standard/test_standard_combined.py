"""One answer sheet for many subjects: an officer's open items for one target on one sheet, shared
questions asked once, each item storing the answers to its own questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from standard import catalogue
from standard.combined import combined_sheet, combined_submit, combined_targets, open_items
from standard.selectors import catalogue_tasks
from standard.services import standard_task_issue, subject_key
from tasks.answer_sheets import InvalidAnswers
from tasks.models import Instruction
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

KEY = "community-home-c"


@pytest.fixture
def tasks(db):
    catalogue.load()
    return {t.code: t for t in catalogue_tasks()}


@pytest.fixture
def three(cast, tasks):
    """Rental-house visits, fire checks of rental houses and dispute screening, all for 大兴社区."""
    now = timezone.now() - timedelta(hours=1)
    for code in ("RK03", "XF09", "ZA06"):
        standard_task_issue(task=tasks[code], actor=cast.center.user, scope="officer", officer=cast.officer, now=now)
    # and one for a person: another target
    standard_task_issue(
        task=tasks["RK05"],
        actor=cast.center.user,
        scope="officer",
        officer=cast.officer,
        subject="张某（重点人员）",
        now=now,
    )
    return {o.task.code: o.instruction for o in open_items(cast.officer)}


ANSWERS = {
    "visited_on": "2026-11-20",
    "met_in_person": "yes",
    "tenants": "5",
    "tenants_registered": "yes",
    "contract_signed": "no",
    "found_problems": "yes",
    "problems": "楼道堆放杂物，电动车入户充电",
    "rectified": "ordered",
    "extinguishers_ok": "no",
    "exits_clear": "yes",
    "fire_hazards": ["ebike_indoor", "blocked"],
    "disputes_found": "2",
    "disputes_settled": "1",
    "risk_level": "medium",
    "note": "已告知房东限期整改",
}


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def test_a_combined_sheet_asks_a_shared_question_once(cast, three):
    sheet = combined_sheet(cast.officer, KEY)
    assert sorted(i.occurrence.task.code for i in sheet.items) == ["RK03", "XF09", "ZA06"]
    names = [f["name"] for f in sheet.fields]
    assert len(names) == len(set(names))
    shared = {f["name"]: f["shared_by"] for f in sheet.fields}
    assert shared["visited_on"] == 3
    assert shared["note"] == 3
    assert shared["found_problems"] == 2  # rental visit and fire check
    assert shared["tenants"] == 1
    assert shared["extinguishers_ok"] == 1
    sum_of_sheets = sum(len(i.fields) for i in sheet.items)
    assert len(names) < sum_of_sheets
    assert combined_targets(cast.officer) == [
        {"key": KEY, "label": "大兴社区", "items": 3},
        {"key": subject_key("张某（重点人员）"), "label": "张某（重点人员）", "items": 1},
    ]


def test_the_combined_page_stores_each_items_own_answers(cast, three):
    client = signed_in(cast.officer)
    page = client.get(f"/m/combined/{KEY}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="q-visited_on"') == 1
    assert html.count('data-testid="combined-item"') == 3

    response = client.post(f"/m/combined/{KEY}/", ANSWERS)
    assert response.status_code == 302
    rental, fire, disputes = (Instruction.objects.get(pk=three[c].pk) for c in ("RK03", "XF09", "ZA06"))
    for item in (rental, fire, disputes):
        assert item.status == Instruction.Status.FEEDBACK_SUBMITTED
        assert item.answers["visited_on"] == "2026-11-20"  # asked once, stored for each
        assert item.answers["note"] == "已告知房东限期整改"
        assert set(item.answers) <= {f["name"] for f in item.answer_sheet.fields}
    assert rental.answers["tenants"] == 5
    assert "extinguishers_ok" not in rental.answers
    assert fire.answers["fire_hazards"] == ["ebike_indoor", "blocked"]
    assert "tenants" not in fire.answers
    assert disputes.answers == {
        "visited_on": "2026-11-20",
        "disputes_found": 2,
        "disputes_settled": 1,
        "risk_level": "medium",
        "note": "已告知房东限期整改",
    }
    assert rental.answers["found_problems"] is True
    assert fire.answers["found_problems"] is True
    # What is left for that target: nothing; the other target is untouched.
    assert "nothing-left" in client.get(f"/m/combined/{KEY}/").content.decode()
    assert three["RK05"].__class__.objects.get(pk=three["RK05"].pk).status == Instruction.Status.ASSIGNED


def test_a_missing_answer_stores_nothing_and_says_where(cast, three):
    client = signed_in(cast.officer)
    answers = {k: v for k, v in ANSWERS.items() if k not in ("visited_on", "extinguishers_ok")}
    response = client.post(f"/m/combined/{KEY}/", answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="err-visited_on">' in html  # shown, not hidden
    assert 'data-testid="err-extinguishers_ok">' in html
    assert 'value="5"' in html  # what was entered is kept
    assert not Instruction.objects.filter(status=Instruction.Status.FEEDBACK_SUBMITTED).exists()


def test_one_name_asked_two_ways_is_asked_per_item(cast, three):
    fire = three["XF09"]
    sheet = fire.answer_sheet
    sheet.fields = [*sheet.fields[:-2], {"name": "note", "label": "隐患编号", "type": "number", "required": True}]
    sheet.save(update_fields=["fields"])
    combined = combined_sheet(cast.officer, KEY)
    names = [f["name"] for f in combined.fields]
    assert f"note__{fire.pk}" in names
    assert "note" not in names
    with pytest.raises(InvalidAnswers) as caught:
        combined_submit(actor=cast.officer.user, target_key=KEY, answers={**ANSWERS, "met_in_person": True})
    assert f"note__{fire.pk}" in caught.value.errors


def test_nobody_answers_another_officers_sheet(cast, three, api):
    assert signed_in(cast.neighbour_officer).get(f"/m/combined/{KEY}/").status_code == 200  # empty: nothing of his
    assert api(cast.neighbour_officer).get(f"/api/v1/standard-tasks/combined/{KEY}/").status_code == 404
    response = api(cast.neighbour_officer).post(
        f"/api/v1/standard-tasks/combined/{KEY}/", {"answers": ANSWERS}, format="json"
    )
    assert response.status_code == 404
    assert signed_in(cast.center).get(f"/m/combined/{KEY}/").status_code == 200  # no items of the center's
    assert Client().get(f"/m/combined/{KEY}/").status_code == 302  # to the login


def test_the_api_serves_and_takes_the_combined_sheet(cast, three, api):
    client = api(cast.officer)
    sheet = client.get(f"/api/v1/standard-tasks/combined/{KEY}/").data
    assert [f["name"] for f in sheet["fields"]].count("visited_on") == 1
    assert len(sheet["items"]) == 3
    answers = {
        **ANSWERS,
        "met_in_person": True,
        "tenants_registered": True,
        "contract_signed": False,
        "found_problems": True,
        "extinguishers_ok": False,
        "exits_clear": True,
    }
    bad = client.post(f"/api/v1/standard-tasks/combined/{KEY}/", {"answers": {"bogus": 1}}, format="json")
    assert bad.status_code == 400
    assert "visited_on" in bad.data["answers"]
    done = client.post(
        f"/api/v1/standard-tasks/combined/{KEY}/",
        {"answers": answers},
        format="json",
        headers={"Idempotency-Key": "c0ffee00-0000-4000-8000-000000000001"},
    )
    assert done.status_code == 200
    assert sorted(done.data["answered"]) == sorted(three[c].pk for c in ("RK03", "XF09", "ZA06"))
    again = client.post(
        f"/api/v1/standard-tasks/combined/{KEY}/",
        {"answers": answers},
        format="json",
        headers={"Idempotency-Key": "c0ffee00-0000-4000-8000-000000000001"},
    )
    assert again.status_code == 200
    assert again.data == done.data
