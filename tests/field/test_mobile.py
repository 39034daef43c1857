"""The officer's phone on the server side: the inbox and item pages, the dispute answer sheets, feedback
photos, the service worker, and the inbox's constant query count."""

from __future__ import annotations

import importlib
import io
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone
from PIL import Image

from disputes.models import Category
from stations.models import AuditLog
from stations.roles import Role
from tasks import services
from tasks.answer_sheets import validate_answers, validate_definition
from tasks.models import AnswerSheet, FeedbackPhoto, Instruction, InstructionEvent, Notification
from tests.factories import GOOD_ANSWERS, PASSWORD, CategoryFactory, IncidentFactory, issue, make_officer

pytestmark = pytest.mark.django_db

DISPUTE_CODES = [
    "family", "marriage", "neighbour", "property_land", "labour", "economic", "medical", "property_management",
    "traffic_dispute", "consumer", "enterprise", "demolition", "loan", "support", "noise", "domestic_violence",
]  # fmt: skip
DISPUTE_ANSWERS = {
    "met_in_person": True,
    "mood": "calm",
    "subject": ["chores"],
    "actions": ["mediated"],
    "outcome": "partly",
    "risk_level": "medium",
    "revisit_needed": True,
    "revisit_on": "2026-12-05",
    "notify": ["community"],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def assigned(cast, *, minutes_ago: int = 1, officer=None, **incident) -> Instruction:
    incident = IncidentFactory(community=cast.home_community, **incident)
    instruction = issue(incident, by=cast.center, now=timezone.now() - timedelta(minutes=minutes_ago))
    return services.instruction_sign_off(
        instruction=instruction, actor=cast.command_room.user, officer=officer or cast.officer
    )


def item_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="inbox-item" data-id="(\d+)"', html)]


def jpeg_with_gps(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)})  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, pk, data: bytes, *, name="p.jpg", photo_id=None):
    file = io.BytesIO(data)
    file.name = name
    body = {"photo": file, **({"id": str(photo_id)} if photo_id else {})}
    return client.post(f"/api/v1/instructions/{pk}/photos/", body, format="multipart")


# --- the 16 dispute sheets ------------------------------------------------------------------------


def test_each_dispute_category_ships_with_its_own_answer_sheet():
    sheets = {s.code: s for s in AnswerSheet.objects.filter(code__startswith="dispute-")}
    assert sorted(sheets) == sorted(f"dispute-{code}" for code in DISPUTE_CODES)
    for sheet in sheets.values():
        validate_definition(sheet.fields)
        assert sheet.version == 1
        fields = {f["name"]: f for f in sheet.fields}
        assert [c["value"] for c in fields["outcome"]["choices"]] == ["settled", "partly", "not_settled"]
        assert fields["revisit_on"]["type"] == "date"
        assert fields["photos"]["type"] == "photo"
        assert {"met_in_person", "mood", "subject", "actions", "risk_level", "revisit_needed", "notify", "note"} <= set(
            fields
        )
    # what the dispute is about depends on the category
    subjects = {code: {c["value"] for c in next(f for f in s.fields if f["name"] == "subject")["choices"]}
                for code, s in sheets.items()}  # fmt: skip
    assert "unpaid_wages" in subjects["dispute-labour"]
    assert "unpaid_wages" not in subjects["dispute-family"]


def test_the_migration_points_existing_dispute_categories_at_their_sheets_and_leaves_a_chosen_one():
    migration = importlib.import_module("tasks.migrations.0007_dispute_answer_sheets")
    family = CategoryFactory(code="family", answer_sheet_code="")
    noise = CategoryFactory(code="noise", name="噪音", feedback_hours=9, answer_sheet_code="special")
    # The models as they were at that migration (categories then lived in tasks; the table is the same).
    state = MigrationLoader(connection).project_state(("tasks", "0007_dispute_answer_sheets")).apps
    migration.forwards(state, None)
    migration.forwards(state, None)  # twice: nothing doubles
    family.refresh_from_db()
    noise.refresh_from_db()
    assert family.answer_sheet_code == "dispute-family"
    assert noise.answer_sheet_code == "special"
    assert AnswerSheet.objects.filter(code="dispute-family").count() == 1


def test_the_general_sheet_still_takes_the_factories_answers():
    general = AnswerSheet.objects.get(code="general", version=1)
    assert validate_answers(general.fields, GOOD_ANSWERS)["outcome"] == "settled"


def test_a_dispute_instruction_is_answered_on_its_categorys_sheet_with_errors_in_chinese(cast, api):
    Category.objects.filter(code="family").update(answer_sheet_code="dispute-family")
    instruction = assigned(cast)
    assert instruction.answer_sheet.code == "dispute-family"
    officer = api(cast.officer)
    path = f"/api/v1/instructions/{instruction.pk}/feedback/"
    missing = {k: v for k, v in DISPUTE_ANSWERS.items() if k != "mood"}
    refused = officer.post(path, {"answers": missing}, format="json", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert refused.status_code == 400
    assert refused.json() == {"answers": {"mood": ["此题为必答题。"]}}
    assert not InstructionEvent.objects.filter(instruction=instruction, kind="feedback").exists()

    key = str(uuid.uuid4())
    first = officer.post(path, {"answers": DISPUTE_ANSWERS}, format="json", headers={"Idempotency-Key": key})
    again = officer.post(path, {"answers": DISPUTE_ANSWERS}, format="json", headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    instruction.refresh_from_db()
    assert instruction.status == "feedback_submitted"
    assert instruction.answers["revisit_on"] == "2026-12-05"
    assert InstructionEvent.objects.filter(instruction=instruction, kind="feedback").count() == 1


# --- the inbox ------------------------------------------------------------------------------------


def test_the_inbox_wants_a_login_and_a_poll_without_one_gets_401(cast):
    client = Client()
    assert client.get("/m/").url.startswith("/accounts/login/?next=/m/")
    assert client.get("/m/?fragment=items", headers={"X-Poll": "1"}).status_code == 401


def test_the_inbox_lists_the_officers_open_items_soonest_deadline_first(cast):
    later = assigned(cast)
    sooner = assigned(cast)
    Instruction.objects.filter(pk=sooner.pk).update(feedback_due=timezone.now() + timedelta(minutes=20))
    overdue = assigned(cast)
    Instruction.objects.filter(pk=overdue.pk).update(feedback_due=timezone.now() - timedelta(minutes=5))
    delivered = assigned(cast)
    services.instruction_submit_feedback(instruction=delivered, actor=cast.officer.user, answers=GOOD_ANSWERS)
    colleague = make_officer(Role.COMMUNITY_OFFICER, station=cast.home, communities=[cast.home_community])
    colleagues = assigned(cast, officer=colleague)
    other_station = issue(IncidentFactory(community=cast.neighbour_community), by=cast.center)

    response = signed_in(cast.officer).get("/m/")
    html = response.content.decode()
    assert response.status_code == 200
    assert item_ids(html) == [overdue.pk, sooner.pk, later.pk]
    assert f'data-id="{colleagues.pk}"' not in html
    assert f'data-testid="submitted-item" data-id="{delivered.pk}"' in html
    assert f'data-id="{other_station.pk}"' not in html
    assert 'data-testid="todo-count">3<' in html
    assert "<script>" not in html
    assert " style=" not in html

    neighbour = signed_in(cast.neighbour_officer).get("/m/").content.decode()
    assert item_ids(neighbour) == []


def test_new_items_are_highlighted_until_opened_and_the_unread_count_is_shown(cast):
    fresh = assigned(cast)
    client = signed_in(cast.officer)
    html = client.get("/m/").content.decode()
    assert re.search(rf'class="card new[^"]*" href="/m/i/{fresh.pk}/"', html)
    assert re.search(r'data-testid="unread"[^>]*>1<', html)

    client.get(f"/m/i/{fresh.pk}/")
    assert not Notification.objects.filter(recipient=cast.officer.user, read_at__isnull=True).exists()
    Instruction.objects.filter(pk=fresh.pk).update(signed_at=timezone.now() - timedelta(hours=1))
    html = client.get("/m/").content.decode()
    assert not re.search(rf'class="card new[^"]*" href="/m/i/{fresh.pk}/"', html)
    assert re.search(r'data-testid="unread"[^>]*>0<', html)


def test_the_polled_fragment_is_the_list_alone_and_keeps_the_session_idle_clock(cast):
    instruction = assigned(cast)
    client = signed_in(cast.officer)
    client.get("/m/")
    seen = client.session["seen_at"]
    response = client.get("/m/?fragment=items", headers={"X-Poll": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<div data-items")
    assert item_ids(html) == [instruction.pk]
    assert client.session["seen_at"] == seen


def test_the_inbox_is_gzipped_for_the_phone(cast):
    assigned(cast)
    response = signed_in(cast.officer).get("/m/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_the_inbox_query_count_does_not_grow_with_its_items(cast, django_assert_max_num_queries):
    assigned(cast)
    assigned(cast)
    client = signed_in(cast.officer)
    with django_assert_max_num_queries(10) as two:
        assert len(item_ids(client.get("/m/").content.decode())) == 2
    for _ in range(28):
        assigned(cast)
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert len(item_ids(client.get("/m/").content.decode())) == 30
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/m/?fragment=items", headers={"X-Poll": "1"})


# --- the item page --------------------------------------------------------------------------------


def test_the_item_page_shows_the_incident_masked_its_history_and_the_sheet(cast):
    earlier = IncidentFactory(
        community=cast.home_community, received_at=timezone.now() - timedelta(days=20), summary="一月份的争吵"
    )
    instruction = assigned(cast)
    from disputes.models import RepeatGroup, RepeatLink

    group = RepeatGroup.objects.create(
        kind="caller",
        key="13800138000",
        station=cast.home,
        community=cast.home_community,
        first_at=earlier.received_at,
        last_at=timezone.now(),
    )
    RepeatLink.objects.create(group=group, incident=earlier)
    RepeatLink.objects.create(group=group, incident=instruction.dispatch.incident)
    Instruction.objects.filter(pk=instruction.pk).update(note="请核查当事人情况")

    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert "138****8000" in html
    assert "13800138000" not in html
    assert f'data-reveal-url="/api/v1/incidents/{instruction.dispatch.incident_id}/reveal/"' in html
    assert "一月份的争吵" in html
    assert "请核查当事人情况" in html
    assert 'data-testid="sheet"' in html
    assert 'data-q="met_in_person" data-type="bool" data-required' in html
    assert 'data-q="note" data-type="text" data-testid' in html  # optional: no data-required
    assert "<script>" not in html
    assert " style=" not in html


def test_the_assigned_officer_reveals_the_phone_with_an_audit_entry(cast, api):
    instruction = assigned(cast)
    response = api(cast.officer).post(
        f"/api/v1/incidents/{instruction.dispatch.incident_id}/reveal/", {"purpose": "visit"}
    )
    assert response.json()["caller_phone"] == "13800138000"
    assert AuditLog.objects.filter(kind=AuditLog.Kind.REVEAL, actor=cast.officer.user).count() == 1


def test_another_officers_item_is_404(cast):
    instruction = assigned(cast)
    assert signed_in(cast.neighbour_officer).get(f"/m/i/{instruction.pk}/").status_code == 404


def test_after_feedback_the_item_shows_what_was_delivered_and_no_sheet(cast):
    instruction = assigned(cast)
    services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert 'data-testid="delivered"' in html
    assert 'data-testid="answers"' in html
    assert 'data-testid="sheet"' not in html


def test_a_returned_item_shows_what_is_missing(cast):
    instruction = assigned(cast)
    services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    services.instruction_return(instruction=instruction, actor=cast.center.user, comment="请补充照片")
    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert "请补充照片" in html
    assert 'data-testid="sheet"' in html
    assert '<script id="m-previous" type="application/json">' in html  # the sheet starts from what was sent


# --- photos ---------------------------------------------------------------------------------------


def test_a_photo_is_reencoded_without_its_location_and_stored_once(cast):
    instruction = assigned(cast)
    client = signed_in(cast.officer)
    photo_id = uuid.uuid4()
    first = upload(client, instruction.pk, jpeg_with_gps(), photo_id=photo_id)
    again = upload(client, instruction.pk, jpeg_with_gps(), photo_id=photo_id)
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert first.json()["id"] == str(photo_id)
    assert FeedbackPhoto.objects.count() == 1
    stored = FeedbackPhoto.objects.get()
    with Image.open(stored.file.path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (480, 640)  # turned upright by its orientation tag, then the tag dropped
    served = client.get(f"/api/v1/photos/{photo_id}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert signed_in(cast.neighbour_officer).get(f"/api/v1/photos/{photo_id}/").status_code == 404


def test_a_png_is_taken_and_other_kinds_or_sizes_are_refused(cast, settings):
    instruction = assigned(cast)
    client = signed_in(cast.officer)
    png = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 255, 128)).save(png, "PNG")
    assert upload(client, instruction.pk, png.getvalue(), name="p.png").status_code == 201
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    refused = upload(client, instruction.pk, gif.getvalue(), name="p.gif")
    assert refused.status_code == 400
    assert "photo" in refused.json()
    assert upload(client, instruction.pk, b"not an image").status_code == 400
    settings.PHOTO_MAX_BYTES = 1000
    assert upload(client, instruction.pk, jpeg_with_gps()).status_code == 400
    assert FeedbackPhoto.objects.count() == 1


def test_photos_go_only_to_the_assigned_officer_while_feedback_is_open(cast):
    instruction = assigned(cast)
    assert upload(signed_in(cast.neighbour_officer), instruction.pk, jpeg_with_gps()).status_code == 404
    assert upload(signed_in(cast.command_room), instruction.pk, jpeg_with_gps()).status_code == 404
    services.instruction_submit_feedback(instruction=instruction, actor=cast.officer.user, answers=GOOD_ANSWERS)
    assert upload(signed_in(cast.officer), instruction.pk, jpeg_with_gps()).status_code == 409


def test_a_photo_id_of_someone_else_is_refused(cast):
    mine = assigned(cast)
    theirs = assigned(cast)
    photo_id = uuid.uuid4()
    client = signed_in(cast.officer)
    assert upload(client, mine.pk, jpeg_with_gps(), photo_id=photo_id).status_code == 201
    assert upload(client, theirs.pk, jpeg_with_gps(), photo_id=photo_id).status_code == 400


def test_feedback_can_carry_the_photo_ids(cast, api):
    instruction = assigned(cast)
    photo_id = str(uuid.uuid4())
    assert upload(signed_in(cast.officer), instruction.pk, jpeg_with_gps(), photo_id=photo_id).status_code == 201
    answers = {**GOOD_ANSWERS, "photos": [photo_id]}
    response = api(cast.officer).post(
        f"/api/v1/instructions/{instruction.pk}/feedback/", {"answers": answers}, format="json"
    )
    assert response.status_code == 200, response.json()
    html = signed_in(cast.officer).get(f"/m/i/{instruction.pk}/").content.decode()
    assert f'src="/api/v1/photos/{photo_id}/"' in html


# --- the service worker ---------------------------------------------------------------------------


def test_the_service_worker_is_served_under_m_with_its_shell_and_version(cast):
    client = Client()
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "__VERSION__" not in script
    assert "__SHELL__" not in script
    assert '"/static/mobile/app.js"' in script
    assert client.get("/m/sw.js", headers={"If-None-Match": response["ETag"]}).status_code == 304
