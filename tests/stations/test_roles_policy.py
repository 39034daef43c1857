"""Roles no broader than the work (issue 11, §5; the table is docs/access.md): departments issue only
through the standard-task flow and only their own tasks, the caller's name is masked for roles that do
not act on the incident, and a sign-off does not tell whether a username exists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from disputes.models import Incident
from standard import catalogue
from standard.selectors import catalogue_tasks
from standard.services import standard_task_issue
from stations.models import Department
from stations.roles import Role
from tasks.models import Instruction
from tasks.services import instruction_sign_off
from tests.factories import PASSWORD, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db

CALLER = "陈女士"
MASKED = "陈**"


def department(code: str, name: str) -> Department:
    return Department.objects.get_or_create(code=code, defaults={"name": name})[0]


@pytest.fixture
def staff(cast):
    return make_officer(Role.DEPARTMENT_STAFF, department=department("population", "人口管理大队"), name="人口大队")


@pytest.fixture
def brigade(cast):
    return make_officer(Role.INTERNAL_SECURITY, department=department("internal_security", "内保大队"), name="内保大队")


@pytest.fixture
def auditor(cast):
    return make_officer(Role.AUDITOR, name="审计")


@pytest.fixture
def incident(cast):
    return IncidentFactory(community=cast.home_community, caller_name=CALLER)


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


# --- departments issue through the standard-task flow only ---------------------------------------


@pytest.mark.parametrize("who", ["staff", "brigade"])
def test_a_department_cannot_post_a_free_text_standard_task_into_a_stations_queue(cast, api, who, request):
    person = request.getfixturevalue(who)
    body = {"kind": "standard_task", "station": cast.neighbour.code, "note": "自由文本任务"}
    response = api(person).post("/api/v1/instructions/", body, format="json")
    assert response.status_code == 403
    assert not Instruction.objects.exists()
    # The center still may.
    assert api(cast.center).post("/api/v1/instructions/", body, format="json").status_code == 201


def test_a_department_issues_only_the_tasks_it_leads_or_co_leads(cast, api, staff, brigade):
    catalogue.load()
    # RK01: led by population (public order co-leads); NB01: led by the internal-security brigade.
    ok = api(staff).post("/api/v1/standard-tasks/issues/", {"task": "RK01", "scope": "all"}, format="json")
    assert ok.status_code == 201
    refused = api(staff).post("/api/v1/standard-tasks/issues/", {"task": "NB01", "scope": "all"}, format="json")
    assert refused.status_code == 400
    assert "task" in refused.json()
    assert api(brigade).post(
        "/api/v1/standard-tasks/issues/", {"task": "NB01", "scope": "all"}, format="json"
    ).status_code == (201)
    with pytest.raises(ValidationError) as caught:
        standard_task_issue(task=catalogue_tasks().get(code="RK01"), actor=brigade.user, scope="all")
    assert "task" in caught.value.message_dict
    # The center issues any task.
    assert (
        api(cast.center).post("/api/v1/standard-tasks/issues/", {"task": "NB01", "scope": "all"}, format="json")
    ).status_code == 201


def test_the_issue_form_tells_a_department_the_task_is_not_its_own(cast, staff):
    catalogue.load()
    task = catalogue_tasks().get(code="NB01")
    response = signed_in(staff).post("/standard-tasks/issue/", {"task": task.pk, "scope": "all", "recurrence": "once"})
    assert response.status_code == 400
    assert not Instruction.objects.exists()


# --- the caller's name ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "staff", "brigade", "auditor"])
def test_roles_that_do_not_act_on_the_incident_see_the_callers_name_masked(cast, api, incident, who, request):
    person = getattr(cast, who) if hasattr(cast, who) else request.getfixturevalue(who)
    detail = api(person).get(f"/api/v1/incidents/{incident.pk}/").json()
    assert detail["caller_name"] == MASKED
    listed = api(person).get("/api/v1/incidents/").json()["results"]
    assert [row["caller_name"] for row in listed] == [MASKED]
    html = signed_in(person).get(f"/incidents/{incident.pk}/").content.decode()
    assert CALLER not in html
    assert MASKED in html


@pytest.mark.parametrize("who", ["center", "command_room", "duty_leader"])
def test_roles_that_act_on_the_incident_see_the_callers_name(cast, api, incident, who):
    person = getattr(cast, who)
    assert api(person).get(f"/api/v1/incidents/{incident.pk}/").json()["caller_name"] == CALLER
    assert CALLER in signed_in(person).get(f"/incidents/{incident.pk}/").content.decode()


def test_an_officer_sees_the_callers_name_on_his_own_items_only(cast, api, incident):
    other = IncidentFactory(community=cast.home_community, caller_name="王先生")
    instruction = issue(incident, by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    listed = {row["id"]: row["caller_name"] for row in api(cast.officer).get("/api/v1/incidents/").json()["results"]}
    assert listed == {incident.pk: CALLER, other.pk: "王**"}
    item = api(cast.officer).get(f"/api/v1/instructions/{instruction.pk}/").json()
    assert item["incident"]["caller_name"] == CALLER
    assert CALLER in signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    # The supervisor reads the same instruction with the name masked, in the API and on the page.
    seen = api(cast.supervisor).get(f"/api/v1/instructions/{instruction.pk}/").json()
    assert seen["incident"]["caller_name"] == MASKED
    listed = api(cast.supervisor).get("/api/v1/instructions/").json()["results"]
    assert [row["incident"]["caller_name"] for row in listed] == [MASKED]
    html = signed_in(cast.supervisor).get(f"/instructions/{instruction.pk}/").content.decode()
    assert CALLER not in html


def test_the_incident_list_masks_in_a_constant_number_of_queries(cast, api, django_assert_max_num_queries):
    for _ in range(3):
        IncidentFactory(community=cast.home_community)
    with django_assert_max_num_queries(12) as few:
        api(cast.officer).get("/api/v1/incidents/")
    for _ in range(10):
        IncidentFactory(community=cast.home_community)
    with django_assert_max_num_queries(len(few.captured_queries)):
        api(cast.officer).get("/api/v1/incidents/")
    assert Incident.objects.count() == 13


# --- sign-off -------------------------------------------------------------------------------------


def test_signing_off_to_an_unknown_username_or_a_neighbours_officer_gets_the_same_answer(cast, api):
    instruction = issue(None, by=cast.center, station=cast.home)
    url = f"/api/v1/instructions/{instruction.pk}/sign-off/"
    client = api(cast.command_room)
    unknown = client.post(url, {"officer": "nobody_here"}, format="json")
    neighbour = client.post(url, {"officer": cast.neighbour_officer.user.username}, format="json")
    assert unknown.status_code == neighbour.status_code == 400
    assert unknown.json() == neighbour.json()
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ISSUED
