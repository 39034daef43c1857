"""One visit, one sheet: an officer's open items about the same incident or person (a dispute instruction and
the revisit of its incident; one repeat group; one caller) are offered as one combined sheet, answered once,
feeding each item through the engine's feedback verb in one transaction."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from disputes.models import RepeatGroup, RepeatLink
from field import visits
from tasks import services
from tasks.models import Instruction, InstructionEvent
from tests.factories import PASSWORD, CategoryFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db

DV_ANSWERS = {
    "met_in_person": "yes",
    "mood": "agitated",
    "subject": ["beating", "threats"],
    "actions": ["warning_letter", "visited"],
    "outcome": "partly",
    "risk_level": "high",
    "revisit_needed": "no",
    "note": "已出具告诫书，女方暂住娘家",
}


@pytest.fixture
def dv(cast):
    return CategoryFactory(
        code="domestic_violence",
        name="家庭暴力",
        feedback_hours=3,
        is_severe=True,
        answer_sheet_code="dispute-domestic_violence",
    )


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def to_officer(cast, instruction: Instruction, officer=None) -> Instruction:
    return services.instruction_sign_off(
        instruction=instruction, actor=cast.command_room.user, officer=officer or cast.officer
    )


@pytest.fixture
def dispute_and_revisit(cast, dv):
    """Ms Chen's call: the center's dispute instruction and the revisit raised by her repeat calls."""
    incident = IncidentFactory(community=cast.home_community, category=dv, summary="报警人称被丈夫殴打")
    dispute = to_officer(cast, issue(incident, by=cast.center))
    revisit = to_officer(cast, issue(incident, kind="revisit"))
    return dispute, revisit


def feedbacks(instruction: Instruction) -> int:
    return InstructionEvent.objects.filter(instruction=instruction, kind=InstructionEvent.Kind.FEEDBACK).count()


def post(client, key, answers, items):
    return client.post(f"/m/visit/{key}/", {**answers, "items": [i.pk for i in items]})


def test_a_dispute_and_its_revisit_are_offered_as_one_visit(cast, dispute_and_revisit):
    dispute, revisit = dispute_and_revisit
    key = f"incident-{dispute.dispatch.incident_id}"
    client = signed_in(cast.officer)
    inbox = client.get("/m/").content.decode()
    assert inbox.count('data-testid="visit-link"') == 1
    assert f'href="/m/visit/{key}/"' in inbox
    assert f'href="/m/visit/{key}/"' in client.get(f"/m/i/{dispute.pk}/").content.decode()  # offered on the item too
    html = client.get(f"/m/visit/{key}/").content.decode()
    assert re.findall(r'data-testid="visit-item" data-instruction="(\d+)"', html) == [str(dispute.pk), str(revisit.pk)]
    # The same sheet on both: every question once, for both items
    assert html.count('data-testid="q-subject"') == 1
    asked = [f for f in dispute.answer_sheet.fields if f["type"] != "photo"]  # photos: on the item's own page
    assert html.count('data-testid="shared"') == len(asked)
    assert "侵害方式" in html


def test_one_sheet_feeds_each_item_through_the_engine_once(cast, dispute_and_revisit):
    dispute, revisit = dispute_and_revisit
    key = f"incident-{dispute.dispatch.incident_id}"
    client = signed_in(cast.officer)
    response = post(client, key, DV_ANSWERS, [dispute, revisit])
    assert response.status_code == 302
    for item in (dispute, revisit):
        item.refresh_from_db()
        assert item.status == Instruction.Status.FEEDBACK_SUBMITTED
        assert item.answers["subject"] == ["beating", "threats"]
        assert item.answers["met_in_person"] is True
        assert feedbacks(item) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="message-success"' in page
    assert 'data-testid="nothing-left"' in page

    # A second tap (the same form again) stores nothing twice
    assert post(client, key, DV_ANSWERS, [dispute, revisit]).status_code == 302
    assert [feedbacks(dispute), feedbacks(revisit)] == [1, 1]

    # Accepted by the center, both close
    for item in (dispute, revisit):
        services.instruction_accept(instruction=item, actor=cast.center.user)
    assert set(Instruction.objects.filter(pk__in=[dispute.pk, revisit.pk]).values_list("status", flat=True)) == {
        "closed"
    }


def test_every_gap_is_marked_at_once_and_nothing_is_stored(cast, dispute_and_revisit):
    dispute, revisit = dispute_and_revisit
    partial = {k: v for k, v in DV_ANSWERS.items() if k not in ("mood", "actions", "outcome", "risk_level")}
    response = post(signed_in(cast.officer), f"incident-{dispute.dispatch.incident_id}", partial, [dispute, revisit])
    assert response.status_code == 400
    html = response.content.decode()
    shown = set(re.findall(r'data-testid="err-(\w+)">', html))  # shown (not hidden)
    assert shown == {"mood", "actions", "outcome", "risk_level"}
    assert "已出具告诫书" in html  # what was entered is kept
    assert [feedbacks(dispute), feedbacks(revisit)] == [0, 0]


def test_items_that_changed_since_the_sheet_was_drawn_store_nothing(cast, dispute_and_revisit, dv):
    dispute, revisit = dispute_and_revisit
    response = post(signed_in(cast.officer), f"incident-{dispute.dispatch.incident_id}", DV_ANSWERS, [dispute])
    assert response.status_code == 400
    assert "本次走访的事项有变化" in response.content.decode()
    assert [feedbacks(dispute), feedbacks(revisit)] == [0, 0]


def test_a_nul_byte_is_a_field_error_not_a_server_error(cast, dispute_and_revisit):
    dispute, revisit = dispute_and_revisit
    answers = {**DV_ANSWERS, "note": "告诫书\x00"}
    response = post(signed_in(cast.officer), f"incident-{dispute.dispatch.incident_id}", answers, [dispute, revisit])
    assert response.status_code == 400
    assert 'data-testid="err-note">' in response.content.decode()
    assert [feedbacks(dispute), feedbacks(revisit)] == [0, 0]


def test_calls_of_one_caller_or_one_repeat_group_are_one_visit_and_others_are_not(cast, dv):
    family = CategoryFactory(code="family")
    family.answer_sheet_code = "dispute-family"
    family.save(update_fields=["answer_sheet_code"])
    phone = {"caller_phone": "13912345678", "caller_phone_norm": "13912345678"}
    first = to_officer(
        cast, issue(IncidentFactory(community=cast.home_community, category=dv, **phone), by=cast.center)
    )
    second = to_officer(
        cast, issue(IncidentFactory(community=cast.home_community, category=family, **phone), by=cast.center)
    )
    grouped_a = to_officer(cast, issue(IncidentFactory(community=cast.home_community, address="A"), by=cast.center))
    grouped_b = to_officer(cast, issue(IncidentFactory(community=cast.home_community, address="A"), by=cast.center))
    alone = to_officer(cast, issue(IncidentFactory(community=cast.home_community), by=cast.center))
    group = RepeatGroup.objects.create(
        kind="place",
        key="A",
        station=cast.home,
        community=cast.home_community,
        first_at=grouped_a.dispatch.incident.received_at,
        last_at=grouped_b.dispatch.incident.received_at,
    )
    for item in (grouped_a, grouped_b):
        RepeatLink.objects.create(group=group, incident=item.dispatch.incident)
    found = sorted(sorted(v.pks) for v in visits.visits_of(cast.officer))
    assert found == sorted([sorted([first.pk, second.pk]), sorted([grouped_a.pk, grouped_b.pk])])
    assert all(alone.pk not in v.pks for v in visits.visits_of(cast.officer))
    # Two sheets asking the same question two ways: asked for each item alone
    sheet = visits.visit_sheet(cast.officer, f"incident-{first.dispatch.incident_id}")
    assert f"subject__{first.pk}" in {f["name"] for f in sheet.fields}


def test_another_officers_visit_is_nothing_to_answer_here(cast, dispute_and_revisit):
    dispute, revisit = dispute_and_revisit
    client = signed_in(cast.neighbour_officer)
    key = f"incident-{dispute.dispatch.incident_id}"
    html = client.get(f"/m/visit/{key}/").content.decode()
    assert 'data-testid="nothing-left"' in html
    assert "报警人称" not in html
    assert post(client, key, DV_ANSWERS, [dispute, revisit]).status_code == 302
    assert [feedbacks(dispute), feedbacks(revisit)] == [0, 0]


def test_finding_the_visits_costs_the_same_queries_however_many_items(cast, dv, django_assert_num_queries):
    def add_pair():
        incident = IncidentFactory(community=cast.home_community, category=dv)
        to_officer(cast, issue(incident, by=cast.center))
        to_officer(cast, issue(incident, kind="revisit"))

    add_pair()
    with django_assert_num_queries(2):
        assert len(visits.visits_of(cast.officer)) == 1
    for _ in range(5):
        add_pair()
    with django_assert_num_queries(2):
        assert len(visits.visits_of(cast.officer)) == 6


def test_a_visit_asking_to_come_back_schedules_one_follow_up_not_one_per_item(cast, dispute_and_revisit):
    from disputes.models import FollowUp

    dispute, revisit = dispute_and_revisit
    answers = {**DV_ANSWERS, "revisit_needed": "yes", "revisit_on": "2026-12-05"}
    response = post(signed_in(cast.officer), f"incident-{dispute.dispatch.incident_id}", answers, [dispute, revisit])
    assert response.status_code == 302
    for item in (dispute, revisit):
        services.instruction_accept(instruction=item, actor=cast.center.user)
    assert FollowUp.objects.filter(incident_id=dispute.dispatch.incident_id).count() == 1
