"""Nothing a client can send makes a 500: NUL characters, JSON nested too deep, UTC offsets beyond
±14:00, days and weeks out of range, digits that are not ASCII. A path or query parameter answers
404 (or, where the contract already says so, 400 naming it); a body answers 400 naming the field; and
nothing is stored half-way."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from control_center import services as center_services
from control_center.models import Selection
from tasks import services
from tasks.answer_sheets import InvalidAnswers, validate_answers
from tasks.models import Instruction
from tests.factories import GOOD_ANSWERS, PASSWORD, IncidentFactory, issue

pytestmark = pytest.mark.django_db

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ODD_DIGITS = [ARABIC, FULL_WIDTH, SUPERSCRIPT]


def signed_in(who) -> Client:
    client = Client()
    assert client.login(username=who.user.username, password=PASSWORD)
    return client


def post_json(client: Client, url: str, body: object | str) -> object:
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


@pytest.fixture
def assigned(cast) -> Instruction:
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    return services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)


# --- NUL characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/incidents/?station=ho%00me", "station"),
        ("/api/v1/instructions/?officer=%00", "officer"),
        ("/api/v1/officers/?community=a%00", "community"),
        ("/api/v1/standard-tasks/?lead_department=%00", "lead_department"),
        ("/center/?station=x%00y", "station"),
        ("/supervision/?station=%00", "station"),
        ("/standard-tasks/ZA22/progress/?issuer=%00", "issuer"),
    ],
)
def test_a_nul_in_a_query_string_answers_400_naming_the_parameter(cast, url, field):
    response = signed_in(cast.center).get(url)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_an_api_path_no_route_matches_answers_json_not_an_html_page(cast):
    for url in ("/api/v1/instructions/-5/photos/", "/api/v1/photos/not-a-uuid/", "/api/v1/nothing-here/"):
        response = signed_in(cast.center).get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    assert signed_in(cast.center).get("/nothing-here/")["Content-Type"].startswith("text/html")


def test_a_nul_in_a_path_answers_404(cast):
    assert signed_in(cast.center).get("/stations/ho%00me/").status_code == 404
    assert signed_in(cast.center).get("/api/v1/standard-tasks/ZA%0022/").status_code == 404


def test_a_nul_in_a_json_body_answers_400_naming_the_field_and_stores_nothing(cast, assigned):
    client = signed_in(cast.center)
    before = Instruction.objects.count()
    response = post_json(client, "/api/v1/instructions/", {"kind": "dispute", "station": "home", "note": "a\x00b"})
    assert response.status_code == 400
    assert "note" in response.json()
    assert Instruction.objects.count() == before
    answers = {**GOOD_ANSWERS, "note": "见面\x00"}
    response = post_json(signed_in(cast.officer), f"/api/v1/instructions/{assigned.pk}/feedback/", {"answers": answers})
    assert response.status_code == 400
    assert "note" in response.json()["answers"]
    assigned.refresh_from_db()
    assert assigned.status == Instruction.Status.ASSIGNED
    response = post_json(client, "/api/v1/instructions/", {"kind": "dispute", "sta\x00tion": "home"})
    assert response.status_code == 400


def test_a_nul_in_a_form_answers_400_naming_the_field_and_changes_nothing(cast, assigned):
    response = signed_in(cast.center).post(f"/instructions/{assigned.pk}/cancel/", {"reason": "误发\x00"})
    assert response.status_code == 400
    assert "reason" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Instruction.Status.ASSIGNED


# --- JSON nested too deep -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
@pytest.mark.parametrize("url", ["/api/v1/instructions/", "/api/v1/selections/", "/api/v1/incidents/"])
def test_json_nested_deeper_than_32_levels_answers_400(cast, url, depth):
    body = "[" * depth + "]" * depth
    response = post_json(signed_in(cast.center), url, body)
    assert response.status_code == 400
    assert "32" in response.json()["detail"]


def test_json_of_32_levels_and_brackets_inside_text_still_parse(cast):
    nested: object = "[[[{{"
    for _ in range(31):
        nested = [nested]
    response = post_json(signed_in(cast.center), "/api/v1/instructions/", {"kind": "dispute", "note": nested})
    assert response.status_code == 400
    assert "note" in response.json()  # parsed, then refused by the serializer: not a string


# --- UTC offsets and days out of range ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/instructions/?issued_after=2026-11-01T00:00:00%2B20:00", "issued_after"),
        ("/api/v1/instructions/?issued_before=2026-11-01T00:00:00-15:00", "issued_before"),
        ("/api/v1/incidents/?received_after=2026-11-01T00:00:00%2B14:30", "received_after"),
        ("/api/v1/incidents/?received_before=2026-11-01T00:00:00-23:59", "received_before"),
        ("/api/v1/instructions/?issued_after=0001-01-01T00:00:00Z", "issued_after"),
        ("/api/v1/incidents/?received_before=9999-12-31T23:59:59-10:00", "received_before"),
    ],
)
def test_a_datetime_filter_beyond_14_hours_or_out_of_range_answers_400_naming_it(cast, url, field):
    response = signed_in(cast.center).get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_offsets_of_14_hours_are_still_taken(cast):
    client = signed_in(cast.center)
    assert client.get("/api/v1/instructions/?issued_after=2026-11-01T00:00:00%2B14:00").status_code == 200
    assert client.get("/api/v1/incidents/?received_before=2026-11-01T00:00:00-12:00").status_code == 200


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "9999-W01", "1000-W10", "2026-W99", "２０２６-W01"])
def test_a_week_out_of_range_answers_404_on_the_pages_and_400_in_the_api(cast, week):
    client = signed_in(cast.supervisor)
    assert client.get(f"/rankings/?week={week}").status_code == 404
    assert client.get(f"/rankings/print/?week={week}").status_code == 404
    assert client.get(f"/rankings/export.xlsx?week={week}").status_code == 404
    assert client.get(f"/rankings/{week}/home/").status_code == 404
    assert client.post("/rankings/recompute/", {"week": week}).status_code == 404
    response = client.get(f"/api/v1/rankings/weekly/?week={week}")
    assert response.status_code == 400
    assert "week" in response.json()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "١٩٩٩-٠١-٠١"])
def test_a_selection_day_out_of_range_answers_400_in_a_body_and_404_in_a_path(cast, day):
    client = signed_in(cast.center)
    response = post_json(client, "/api/v1/selections/", {"date": day})
    assert response.status_code == 400
    assert "date" in response.json()
    assert not Selection.objects.exists()
    assert client.get(f"/api/v1/selections/{day}/").status_code == 404
    for verb in ("add", "remove", "dispatch"):
        assert client.post(f"/center/selection/{day}/{verb}/", {"number": "1", "incident": "1"}).status_code == 404


def test_an_answer_sheet_date_out_of_range_is_refused_naming_the_item(cast, assigned):
    client = signed_in(cast.officer)
    for day in ("9999-12-31", "0001-01-01"):
        answers = {**GOOD_ANSWERS, "visited_on": day}
        response = post_json(client, f"/api/v1/instructions/{assigned.pk}/feedback/", {"answers": answers})
        assert response.status_code == 400, response.content
        assert "answers" in response.json()


# --- digits that are not ASCII --------------------------------------------------------------------


@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_an_id_in_other_digits_answers_404(cast, assigned, digits):
    client = signed_in(cast.center)
    odd = str(assigned.pk).translate(digits)
    assert client.get(f"/api/v1/instructions/{assigned.pk}/").status_code == 200
    assert client.get(f"/api/v1/instructions/{odd}/").status_code == 404
    assert client.get(f"/api/v1/incidents/{str(assigned.dispatch.incident_id).translate(digits)}/").status_code == 404
    assert post_json(client, f"/api/v1/instructions/{odd}/cancel/", {"reason": "x"}).status_code == 404
    assert client.post(f"/api/v1/notifications/{odd}/read/").status_code == 404
    assert client.get(f"/instructions/{odd}/").status_code == 404
    assigned.refresh_from_db()
    assert assigned.status == Instruction.Status.ASSIGNED


@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_an_integer_query_parameter_in_other_digits_answers_404(cast, digits):
    supervisor, center = signed_in(cast.supervisor), signed_in(cast.center)
    one = "1".translate(digits)
    assert supervisor.get(f"/rankings/?revision={one}").status_code == 404
    assert supervisor.get(f"/supervision/?check={one}").status_code == 404
    assert supervisor.get("/supervision/?check=abc").status_code == 404
    assert center.get(f"/standard-tasks/ZA22/progress/?issue={one}").status_code == 404
    assert center.get(f"/api/v1/standard-tasks/ZA22/progress/?issue={one}").status_code == 404
    response = supervisor.get(f"/api/v1/rankings/weekly/?revision={one}")
    assert response.status_code == 400  # the contract's answer for a revision that is not a number
    assert "revision" in response.json()


@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_an_integer_in_a_body_in_other_digits_answers_400_naming_it(cast, assigned, digits):
    client = signed_in(cast.center)
    odd = str(assigned.dispatch.incident_id).translate(digits)
    before = Instruction.objects.count()
    response = post_json(client, "/api/v1/instructions/", {"kind": "dispute", "incident": odd})
    assert response.status_code == 400
    assert "incident" in response.json()
    assert Instruction.objects.count() == before
    day = timezone.localdate() - timezone.timedelta(days=1)
    center_services.selection_run(day=day, actor=cast.center.user)
    response = post_json(client, f"/api/v1/selections/{day}/add/", {"incident": odd, "reason": "补充"})
    assert response.status_code == 400
    assert "incident" in response.json()
    assert client.post(f"/center/selection/{day}/remove/", {"incident": odd, "reason": "x"}).status_code == 404
    assert client.post(f"/center/selection/{day}/remove/", {"incident": "abc", "reason": "x"}).status_code == 404


def test_an_answer_in_other_digits_or_too_large_is_refused():
    fields = [{"name": "people", "label": "人数", "type": "number"}]
    assert validate_answers(fields, {"people": "12"}) == {"people": 12}
    for value in ("１２", "١٢", "1e999999", 10**40):
        with pytest.raises(InvalidAnswers) as refused:
            validate_answers(fields, {"people": value})
        assert "people" in refused.value.errors
