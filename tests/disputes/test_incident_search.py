"""Find any incident: the list page for center staff and stations (their own scope), its filters,
keyset pages with constant queries, masked phones, dispatch from the result; the API's `search`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disputes import search
from disputes.models import Incident
from tasks.models import Instruction
from tests.factories import CategoryFactory, CommunityFactory, IncidentFactory, issue

pytestmark = pytest.mark.django_db

URL = "/incidents/"
NOW = timezone.now()


@pytest.fixture
def school_gate(cast):
    """The school-gate quarrel: two parents, in front of the primary school, yesterday afternoon."""
    noise = CategoryFactory(code="neighbour", name="邻里纠纷")
    return IncidentFactory(
        number="J420103202612010077",
        received_at=NOW - dt.timedelta(days=1),
        category=noise,
        community=cast.home_community,
        caller_phone="+86 139-7123-4567",
        caller_phone_norm="13971234567",
        address="江汉区前进四路实验小学校门口",
        summary="两名家长在校门口因接孩子发生争吵",
    )


@pytest.fixture
def others(cast):
    """Calls of both stations, older than the school-gate quarrel."""
    made = []
    for n in range(6):
        community = cast.home_community if n % 2 else cast.neighbour_community
        made.append(
            IncidentFactory(
                number=f"J4201032026110{n:04d}",
                received_at=NOW - dt.timedelta(days=3 + n),
                community=community,
                caller_phone_norm=f"1380013800{n}",
                address=f"江汉区交易街{n}号",
                repeat_flagged=n == 1,
            )
        )
    return made


def get(client, who, **params):
    client.force_login(who.user)
    return client.get(URL, params)


def numbers(response):
    return [row["incident"].number for row in response.context["rows"]]


def test_center_staff_see_every_station_newest_first(cast, client, school_gate, others):
    response = get(client, cast.center)
    assert response.status_code == 200
    assert numbers(response)[0] == school_gate.number
    assert len(numbers(response)) == 7
    assert response.context["page"].found == 7


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"number": "J420103202612010077"}, ["J420103202612010077"]),
        ({"address": "实验小学"}, ["J420103202612010077"]),
        ({"phone": "13971234567"}, ["J420103202612010077"]),
        ({"phone": "+86 139 7123 4567"}, ["J420103202612010077"]),
        ({"phone": "１３９７１２３４５６７"}, ["J420103202612010077"]),
        ({"category": "neighbour"}, ["J420103202612010077"]),
        ({"flagged": "yes"}, ["J42010320261100001"]),
        ({"station": "neighbour", "address": "交易街"}, [f"J4201032026110000{n}" for n in (0, 2, 4)]),
        ({"community": "home-c", "address": "交易街"}, [f"J4201032026110000{n}" for n in (1, 3, 5)]),
    ],
)
def test_each_filter_finds_what_it_says(cast, client, school_gate, others, params, expected):
    response = get(client, cast.center, **params)
    assert response.status_code == 200, response.context["form"].errors
    assert numbers(response) == expected


def test_a_date_range_is_in_district_days(cast, client, school_gate, others):
    day = timezone.localdate(school_gate.received_at)
    response = get(client, cast.center, date_from=day.isoformat(), date_to=day.isoformat())
    assert numbers(response) == [school_gate.number]
    earlier = timezone.localdate(others[0].received_at)
    response = get(client, cast.center, date_to=earlier.isoformat())
    assert school_gate.number not in numbers(response)


def test_open_instruction_filter(cast, client, school_gate, others):
    issue(school_gate, by=cast.center)
    done = issue(others[1], by=cast.center)
    Instruction.objects.filter(pk=done.pk).update(status=Instruction.Status.CANCELLED)
    response = get(client, cast.center, open="yes")
    assert numbers(response) == [school_gate.number]
    assert 'data-testid="has-open"' in response.text
    assert school_gate.number not in numbers(get(client, cast.center, open="no"))


def test_a_station_sees_only_its_own_incidents_and_cannot_widen_its_scope(cast, client, school_gate, others):
    mine = numbers(get(client, cast.command_room))
    assert mine == [school_gate.number, *(i.number for i in others if i.station == cast.home)]
    assert numbers(get(client, cast.command_room, number=others[0].number)) == []
    refused = get(client, cast.command_room, station="neighbour")
    assert refused.status_code == 400
    assert "station" in refused.context["form"].errors
    assert 'data-testid="dispatch-now"' not in get(client, cast.command_room).text


def test_the_duty_leader_searches_too(cast, client, school_gate):
    assert numbers(get(client, cast.duty_leader, address="实验小学")) == [school_gate.number]


@pytest.mark.parametrize("who", ["officer", "supervisor", "outsider"])
def test_the_list_is_404_for_others(cast, client, who):
    person = getattr(cast, who)
    client.force_login(getattr(person, "user", person))
    assert client.get(URL).status_code == 404


def test_the_list_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_the_phone_is_never_shown_in_full(cast, client, school_gate):
    """Only the searcher's own query holds the number (the form field); the results show it masked."""
    response = get(client, cast.center, phone="13971234567")
    results = response.text.split('data-testid="incident-results"')[1]
    assert "13971234567" not in results
    assert "139-7123" not in results
    assert 'data-testid="caller-phone">139****4567<' in results


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "abc"),
        ("phone", "13" + "٩٧١٢٣٤٥٦٧"),
        ("date_from", "9999-12-31"),
        ("date_to", "0001-01-01"),
        ("date_from", "yesterday"),
        ("address", "小学"),
        ("address", "小学\x00门口"),
        ("number", "J42\x0001"),
        ("number", "<script>"),
        ("category", "nope"),
        ("community", "neighbour-c' OR 1=1"),
        ("cursor", "garbage"),
        ("cursor", "99999999999999999999.1"),
        ("flagged", "perhaps"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_field(cast, client, school_gate, field, value):
    response = get(client, cast.center, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_pages_go_by_keyset_without_gaps_or_repeats(cast, client, monkeypatch, others):
    monkeypatch.setattr(search, "PAGE_SIZE", 4)
    for n in range(6):  # some at the very same moment: the pk breaks the tie
        at = NOW - dt.timedelta(hours=1)
        IncidentFactory(number=f"J4201032026119{n:05d}", received_at=at, community=cast.home_community)
    client.force_login(cast.center.user)
    seen, query, pages = [], "", 0
    while True:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        seen += numbers(response)
        pages += 1
        query = response.context["next_query"]
        if not query:
            break
    assert pages == 3
    expected = list(Incident.objects.order_by("-received_at", "-pk").values_list("number", flat=True))
    assert seen == expected


def test_the_number_found_is_counted_up_to_a_cap(cast, client, monkeypatch, others):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    response = get(client, cast.center)
    assert response.context["page"].capped
    assert 'data-testid="found">' in response.text


def test_queries_per_page_do_not_grow_with_the_data(cast, client, django_assert_num_queries, school_gate):
    client.force_login(cast.center.user)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"address": "江汉区"})
    for n in range(60):
        community = CommunityFactory(station=cast.home if n % 2 else cast.neighbour)
        incident = IncidentFactory(
            number=f"J4201032026118{n:05d}",
            received_at=NOW - dt.timedelta(hours=n + 2),
            community=community,
            category=CategoryFactory(code=f"c{n % 7}", name=f"类{n % 7}"),
        )
        if n % 3 == 0:
            issue(incident, by=cast.center)
    with django_assert_num_queries(len(few)):
        response = client.get(URL, {"address": "江汉区"})
    assert len(numbers(response)) == search.PAGE_SIZE
    with django_assert_num_queries(len(few)):
        client.get(f"{URL}?{response.context['next_query']}")


def test_the_address_search_has_a_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'incident_address_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


def test_center_staff_dispatch_from_the_result(cast, client, school_gate):
    response = get(client, cast.center, address="实验小学")
    assert f'action="{reverse("disputes:incident-dispatch", args=[school_gate.pk])}"' in response.text
    client.post(reverse("disputes:incident-dispatch", args=[school_gate.pk]), {"note": "两家长均需回访"})
    assert Instruction.objects.get(dispatch__incident=school_gate).station == cast.home


def test_the_navigation_leads_center_staff_and_stations_to_the_list(cast, client):
    def nav(who):
        client.force_login(who.user)
        page = client.get(reverse("disputes:import") if who == cast.center else URL).text
        return page.split('<nav class="topnav">')[1].split("</nav>")[0]

    for who in (cast.center, cast.command_room, cast.duty_leader):
        assert f'href="{URL}"' in nav(who)
    client.force_login(cast.officer.user)
    page = client.get(reverse("field:mobile-inbox")).text
    assert f'href="{URL}"' not in page


# The API


def test_the_api_search_finds_by_number_phone_and_address(cast, api, school_gate, others):
    client = api(cast.center)
    for text in ("J420103202612010077", "139-7123-4567", "１３９７１２３４５６７", "实验小学"):
        body = client.get("/api/v1/incidents/", {"search": text}).json()
        assert [r["number"] for r in body["results"]] == [school_gate.number], text
        assert body["results"][0]["caller_phone"] == "139****4567"
    assert client.get("/api/v1/incidents/", {"search": "交易街"}).json()["count"] == 6
    assert client.get("/api/v1/incidents/", {"search": "交易街", "station": "home"}).json()["count"] == 3


def test_the_api_search_stays_in_scope(cast, api, others):
    neighbours = others[0]
    body = api(cast.command_room).get("/api/v1/incidents/", {"search": neighbours.number}).json()
    assert body["count"] == 0
    body = api(cast.neighbour_command_room).get("/api/v1/incidents/", {"search": neighbours.number}).json()
    assert body["count"] == 1


@pytest.mark.parametrize("text", ["", "x", "\x00", "٩٧١٢", "%", "_%_"])
def test_odd_api_search_texts_answer_without_error(cast, api, others, text):
    response = api(cast.center).get("/api/v1/incidents/", {"search": text})
    assert response.status_code in (200, 400)


# In a real Chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_center_staff_find_the_school_gate_quarrel_and_dispatch_it(cast, live_server, browser, school_gate, others):
    from tests.browser import DESKTOP
    from tests.factories import PASSWORD

    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "center")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/center/")
        page.click(f"nav.topnav a[href='{URL}']")
        page.wait_for_selector("[data-testid=incident-search]")
        page.fill("input[name=address]", "小学校门")
        page.fill("input[name=phone]", "139 7123 4567")
        page.click("[data-testid=search]")
        row = f"[data-testid=incident-row][data-number='{school_gate.number}']"
        page.wait_for_selector(row)
        assert page.locator("[data-testid=incident-row]").count() == 1
        assert page.inner_text(f"{row} [data-testid=caller-phone]") == "139****4567"
        page.fill(f"{row} input[name=note]", "两名家长分属两个社区，请分别回访")
        with page.expect_navigation():
            page.click(f"{row} [data-testid=dispatch-now] button[type=submit]")
        instruction = Instruction.objects.get(dispatch__incident=school_gate)
        assert page.url == f"{live_server.url}{reverse('tasks:instruction-detail', args=[instruction.pk])}"
        assert instruction.station == cast.home
        assert instruction.status == Instruction.Status.ISSUED
    finally:
        page.close()


def test_the_address_search_as_django_writes_it_can_use_the_trigram_index(cast):
    """The SQL of `address__contains` (a LIKE on the column) must match the index, or a million rows are scanned."""
    queryset = search.filtered(Incident.objects.all(), {"address": "实验小学"}).order_by()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incident_address_trgm" in plan, plan
