"""Follow-ups and pushes that carry the story: the date asked for is shown where people look (the incident,
the officer's inbox, the push), and the push says what was done, when the joint visit is and whom to call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from disputes.models import FollowUp, Push
from stations.roles import Role
from tasks.services import instruction_accept, instruction_sign_off, instruction_submit_feedback
from tests.factories import GOOD_ANSWERS, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db


def client_for(officer):
    client = Client()
    client.force_login(officer.user)
    return client


@pytest.fixture
def visited(cast):
    """A revisit of 陈女士 closed with a joint visit asked for in three days."""
    cast.home.phone = "027-85551234"
    cast.home.save(update_fields=["phone"])
    incident = IncidentFactory(community=cast.home_community)
    revisit = issue(incident, by=cast.center, kind="revisit")
    on = timezone.localdate() + dt.timedelta(days=3)
    answers = {**GOOD_ANSWERS, "revisit_on": on.isoformat(), "note": "双方情绪平稳，约定三天后与社区再次登门"}
    instruction_sign_off(instruction=revisit, actor=cast.command_room.user, officer=cast.officer)
    instruction_submit_feedback(instruction=revisit, actor=cast.officer.user, answers=answers)
    instruction_accept(instruction=revisit, actor=cast.center.user)
    return incident, revisit, on


def test_a_push_carries_what_was_done_the_joint_visit_date_and_whom_to_contact(cast, visited):
    _incident, revisit, on = visited
    for push in Push.objects.filter(instruction=revisit):
        assert "约定三天后与社区再次登门" in push.notes
        assert push.notes.startswith("调解")  # the action's label, not its code
        assert push.visit_on == on
        assert push.contact_name == "李民警"
        assert push.contact_phone == "027-85551234"


def test_the_community_worker_reads_the_story_on_the_push_page(cast, visited):
    _incident, _revisit, on = visited
    worker = make_officer(Role.COMMUNITY_WORKER, communities=[cast.home_community], username="cw", name="罗峰")
    html = client_for(worker).get("/area/pushes/").content.decode()
    assert "约定三天后与社区再次登门" in html
    assert on.isoformat() in html
    assert "李民警" in html
    assert "027-85551234" in html


def test_the_incident_page_shows_the_follow_up_asked_for(cast, visited):
    incident, _revisit, on = visited
    html = client_for(cast.command_room).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="follow-up"' in html
    assert f'data-due="{on.isoformat()}"' in html
    assert 'data-state="scheduled"' in html


def test_the_officers_inbox_lists_the_follow_up_as_scheduled_with_its_date(cast, visited):
    _incident, _revisit, on = visited
    html = client_for(cast.officer).get("/m/").content.decode()
    assert 'data-testid="scheduled-item"' in html
    assert f'data-due="{on.isoformat()}"' in html
    assert 'data-testid="scheduled-item"' not in client_for(cast.neighbour_officer).get("/m/").content.decode()


def test_once_issued_the_follow_up_leaves_the_scheduled_section(cast, visited):
    FollowUp.objects.update(issued_at=timezone.now())
    assert 'data-testid="scheduled-item"' not in client_for(cast.officer).get("/m/").content.decode()
