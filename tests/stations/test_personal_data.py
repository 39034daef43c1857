"""Personal data stays where it belongs (issue 11, §6): nothing personal in a cache, a reveal needs a
purpose and is limited per hour (the center told over it), the admin masks and reveals through the same
audited path, and no log line carries a phone number or a resident ID."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.log import log_response

from stations.masking import PersonalDataFilter, mask_text
from stations.models import AuditLog
from tasks.models import Notification
from tasks.services import instruction_sign_off
from tests.factories import PASSWORD, IncidentFactory, issue

pytestmark = pytest.mark.django_db

PHONE = "13971234567"
ID_NUMBER = "42010319900101123X"


@pytest.fixture
def incident(cast):
    return IncidentFactory(
        community=cast.home_community, caller_phone=PHONE, caller_phone_norm=PHONE, caller_id_number=ID_NUMBER
    )


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=getattr(who, "user", who).username, password=PASSWORD)
    return client


def reveal_url(incident) -> str:
    return f"/api/v1/incidents/{incident.pk}/reveal/"


# --- no-store -------------------------------------------------------------------------------------


def test_pages_api_details_reveals_and_exports_are_not_stored_by_any_cache(cast, api, incident):
    instruction = issue(incident, by=cast.center)
    client = signed_in(cast.center)
    for path in (
        f"/incidents/{incident.pk}/",
        f"/instructions/{instruction.pk}/",
        "/rankings/export.xlsx",
        "/standard-tasks/catalogue.xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    token_client = api(cast.command_room)
    for path in (f"/api/v1/incidents/{incident.pk}/", f"/api/v1/instructions/{instruction.pk}/", "/api/v1/incidents/"):
        response = token_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    revealed = token_client.post(reveal_url(incident), {"purpose": "contact"})
    assert revealed.status_code == 200
    assert "no-store" in revealed["Cache-Control"]


def test_the_phones_item_page_is_not_stored_either(cast, incident):
    instruction = issue(incident, by=cast.center)
    instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)
    response = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- the reveal -----------------------------------------------------------------------------------


def test_a_reveal_asks_for_a_purpose_and_the_audit_names_it_never_the_value(cast, api, incident):
    client = api(cast.command_room)
    missing = client.post(reveal_url(incident), {}, format="json")
    assert missing.status_code == 400
    assert "purpose" in missing.json()
    unknown = client.post(reveal_url(incident), {"purpose": "curiosity"}, format="json")
    assert unknown.status_code == 400
    other = client.post(reveal_url(incident), {"purpose": "other"}, format="json")
    assert other.status_code == 400
    assert "note" in other.json()
    assert not AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL).exists()

    note = f"核实身份 {PHONE}"  # a careless note: the value is masked in the audit too
    revealed = client.post(reveal_url(incident), {"purpose": "other", "note": note}, format="json")
    assert revealed.status_code == 200
    assert revealed.json()["caller_phone"] == PHONE
    assert revealed.json()["caller_id_number"] == ID_NUMBER
    row = AuditLog.objects.get(kind=AuditLog.Kind.REVEAL)
    assert row.detail["purpose"] == "other"
    assert row.target == f"incident:{incident.number}"
    stored = json.dumps(row.detail, ensure_ascii=False) + row.target
    assert PHONE not in stored
    assert ID_NUMBER not in stored
    assert PHONE[:7] not in stored


def test_over_the_hourly_limit_a_reveal_is_refused_and_the_center_told_once(cast, api, incident, settings):
    settings.REVEAL_LIMIT_PER_HOUR = 2
    client = api(cast.command_room)
    answers = [client.post(reveal_url(incident), {"purpose": "contact"}).status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]
    refused = client.post(reveal_url(incident), {"purpose": "contact"})
    assert PHONE not in refused.content.decode()
    assert "detail" in refused.json()
    alerts = Notification.objects.filter(kind=Notification.Kind.NOTE, payload__alert="reveal_limit")
    assert [(a.recipient_id, a.payload["user_id"]) for a in alerts] == [
        (cast.center.user_id, cast.command_room.user_id)
    ]
    assert AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL, detail__refused=True).count() == 3
    # Another user has his own allowance.
    assert api(cast.duty_leader).post(reveal_url(incident), {"purpose": "verify"}).status_code == 200


def test_the_incident_page_offers_a_purpose_picker_beside_the_reveal(cast, incident):
    html = signed_in(cast.command_room).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="reveal-purpose"' in html
    assert 'value="contact"' in html
    assert PHONE not in html


# --- the admin ------------------------------------------------------------------------------------


def test_the_admin_shows_personal_data_masked_and_reveals_through_the_audited_path(cast, incident):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = signed_in(admin)
    page = client.get(f"/admin/disputes/incident/{incident.pk}/change/").content.decode()
    assert PHONE not in page
    assert ID_NUMBER not in page
    assert "139****4567" in page
    reveal_page = f"/admin/disputes/incident/{incident.pk}/reveal/"
    assert PHONE not in client.get(reveal_page).content.decode()
    assert client.post(reveal_page, {}).status_code == 400
    shown = client.post(reveal_page, {"purpose": "verify"})
    assert shown.status_code == 200
    assert PHONE in shown.content.decode()
    assert AuditLog.objects.get(kind=AuditLog.Kind.REVEAL, actor=admin).detail["purpose"] == "verify"
    # A changed incident keeps its caller's data (the masked fields are not in the form).
    assert IncidentFactory._meta.model.objects.get(pk=incident.pk).caller_phone == PHONE


# --- logs -----------------------------------------------------------------------------------------


def test_masking_free_text_keeps_what_is_not_personal():
    assert mask_text("phone 13971234567, id 42010319900101123X") == "phone 139****4567, id 420103********123X"
    assert mask_text("LIKE '%1397123%'") == "LIKE '%*****23%'"
    assert mask_text("at 2026-12-02 05:24:35, J420103202611290001, pk=12") == (
        "at 2026-12-02 05:24:35, J420103202611290001, pk=12"
    )


def test_a_server_errors_log_line_carries_no_phone_or_resident_id():
    """The configured handlers mask every record: the message, its arguments and the traceback (where
    the SQL of a failed statement shows the row's values)."""
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)]
    assert handlers, "the root handlers carry the personal-data filter"
    handler = handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        try:
            raise ValueError(f"DETAIL: Failing row contains (陈女士, {PHONE}, {ID_NUMBER}).")
        except ValueError as exc:
            request = RequestFactory().get(f"/api/v1/incidents/?q={PHONE}")
            response = HttpResponse(status=500)
            log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exc)
        logging.getLogger("disputes").warning("caller %s id %s", PHONE, ID_NUMBER)
    finally:
        handler.setStream(old)
    written = stream.getvalue()
    assert "Internal Server Error" in written
    assert "Failing row" in written
    assert PHONE not in written
    assert PHONE[:7] not in written
    assert ID_NUMBER not in written
    assert "139****4567" in written
