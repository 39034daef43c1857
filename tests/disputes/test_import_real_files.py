"""The files the 110 system really exports: times without an offset in the usual formats (district
time), categories and communities by name or by the district's aliases; the import page offers a
template and the code lists; the reject report names each row's 110 number."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from disputes import imports
from disputes.intake import FIELDS
from disputes.jobs import import_incidents
from disputes.models import ImportAlias, ImportJob, Incident
from tests.browser import DESKTOP
from tests.disputes.test_import import CHINESE
from tests.factories import PASSWORD, CommunityFactory

pytestmark = pytest.mark.django_db

TEMPLATE_HEADER = [imports.CHINESE[f] for f in FIELDS]
AT = dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.UTC)  # 2026-12-02 08:30 in Asia/Shanghai


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def jiaoyijie(cast):
    return CommunityFactory(code="jyj", name="交易街社区", station=cast.home)


@pytest.fixture
def center(client, cast):
    client.force_login(cast.center.user)
    return client


def realistic(n=1, **over):
    """One row as the 110 system exports it, in the Chinese column order."""
    data = {
        "警情编号": f"J42010320261202{n:04d}",
        "接警时间": "2026/12/02 08:30:00",
        "警情类别": "家庭纠纷",
        "报警人": "陈女士",
        "报警电话": f"1380013{n:04d}",
        "身份证号": "",
        "发案地址": f"江汉区交易街{n}号",
        "社区": "交易街社区",
        "简要警情": "夫妻争吵",
        "现场化解": "否",
    }
    data.update(over)
    return [data[h] for h in CHINESE]


def csv_upload(rows, name="110导出.csv", encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CHINESE)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def run(cast, upload):
    job = imports.import_start(upload=upload, actor=cast.center.user)
    import_incidents(job.pk)
    job.refresh_from_db()
    return job


def test_the_realistic_file_is_stored_whole(cast, jiaoyijie):
    job = run(cast, csv_upload([realistic(1), realistic(2)], encoding="gb18030"))
    assert job.status == ImportJob.Status.DONE, job.failure
    assert (job.created_count, job.error_count) == (2, 0), job.errors
    incident = Incident.objects.get(number="J420103202612020001")
    assert incident.received_at == AT
    assert incident.category.code == "family"
    assert incident.community == jiaoyijie
    assert incident.station == cast.home


@pytest.mark.parametrize(
    "written",
    [
        "2026/12/02 08:30:00",
        "2026-12-02 08:30",
        "2026年12月02日 08时30分",
        "2026年12月2日 8时30分00秒",
        "2026.12.02 08:30",
        "2026-12-02T08:30:00+08:00",
        "2026-12-02T00:30:00Z",
    ],
)
def test_common_time_formats_are_read_as_district_time(cast, jiaoyijie, written):
    job = run(cast, csv_upload([realistic(1, 接警时间=written)]))
    assert job.created_count == 1, job.errors
    assert Incident.objects.get().received_at == AT


def test_an_excel_date_cell_is_district_time(cast, jiaoyijie):
    book = openpyxl.Workbook()
    book.active.append(CHINESE)
    values = realistic(1)
    values[CHINESE.index("接警时间")] = dt.datetime(2026, 12, 2, 8, 30)  # noqa: DTZ001 (an Excel cell has no zone)
    book.active.append(values)
    data = io.BytesIO()
    book.save(data)
    job = run(cast, SimpleUploadedFile("110导出.xlsx", data.getvalue()))
    assert job.created_count == 1, job.errors
    assert Incident.objects.get().received_at == AT


@pytest.mark.parametrize("written", ["2026/12/02", "2026/13/02 08:30", "昨天上午"])
def test_a_time_that_is_no_time_is_refused_with_its_row(cast, jiaoyijie, written):
    job = run(cast, csv_upload([realistic(1, 接警时间=written), realistic(2)]))
    assert job.created_count == 1
    assert [(e["row"], e["number"], e["field"]) for e in job.errors] == [(2, "J420103202612020001", "received_at")]


def test_the_districts_aliases_are_accepted_and_codes_still_are(cast, jiaoyijie):
    from disputes.models import Category

    ImportAlias.objects.create(kind="community", alias="交易街", community=jiaoyijie)
    ImportAlias.objects.create(kind="category", alias="家庭矛盾", category=Category.objects.get(code="family"))
    rows = [
        realistic(1, 社区="交易街", 警情类别="家庭矛盾"),
        realistic(2, 社区="jyj", 警情类别="family"),
        realistic(3, 社区=" 交易街社区 ", 警情类别="家庭纠纷"),
        realistic(4, 社区="不存在社区"),
    ]
    job = run(cast, csv_upload(rows))
    assert job.created_count == 3
    assert Incident.objects.filter(community=jiaoyijie, category__code="family").count() == 3
    assert [(e["number"], e["field"]) for e in job.errors] == [("J420103202612020004", "community")]


def test_an_alias_stands_for_one_thing(cast, jiaoyijie):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ImportAlias(kind="community", alias="交易街").full_clean()


def test_the_admin_edits_the_aliases(cast, jiaoyijie, admin_client):
    assert admin_client.get(reverse("admin:disputes_importalias_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:disputes_importalias_add"), {"kind": "community", "alias": "交易街", "community": jiaoyijie.pk}
    )
    assert response.status_code == 302
    assert ImportAlias.objects.get().community == jiaoyijie


def test_the_import_page_offers_the_templates_and_the_code_lists(cast, jiaoyijie, center):
    ImportAlias.objects.create(kind="community", alias="交易街", community=jiaoyijie)
    body = center.get(reverse("disputes:import")).content.decode()
    assert 'data-testid="template-xlsx"' in body
    assert 'data-testid="template-csv"' in body
    assert "<code>jyj</code></td><td>交易街社区</td><td>花楼街派出所</td><td>交易街</td>" in body
    assert "<code>family</code></td><td>家庭纠纷</td>" in body


def test_the_xlsx_template_has_the_columns_an_example_and_the_code_lists(cast, jiaoyijie, center):
    response = center.get(reverse("disputes:import-template", args=["xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    first, categories, communities = book.worksheets
    rows = list(first.iter_rows(values_only=True))
    assert list(rows[0]) == TEMPLATE_HEADER
    assert rows[1][TEMPLATE_HEADER.index("接警时间")] == "2026/12/02 08:30:00"
    assert ("family", "家庭纠纷") in {r[:2] for r in categories.iter_rows(values_only=True)}
    assert ("jyj", "交易街社区", "花楼街派出所") in {r[:3] for r in communities.iter_rows(values_only=True)}


def test_the_filled_in_template_imports(cast, jiaoyijie, center):
    CommunityFactory(code="jyj2", name="交易街社区2", station=cast.home)
    data = center.get(reverse("disputes:import-template", args=["csv"])).content
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == TEMPLATE_HEADER
    job = run(cast, SimpleUploadedFile("template.csv", data))
    assert job.created_count == 1, job.errors


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_only_center_staff_get_the_templates(cast, client, kind):
    client.force_login(cast.command_room.user)
    assert client.get(reverse("disputes:import-template", args=[kind])).status_code == 404


def test_an_unknown_template_kind_is_404(center):
    assert center.get(reverse("disputes:import-template", args=["xls"])).status_code == 404


def test_the_reject_report_shows_each_rows_number_and_its_csv_runs_no_formula(cast, jiaoyijie, center):
    job = run(cast, csv_upload([realistic(1, 报警电话="12345"), realistic(2, 警情编号="=HYPERLINK(1)")]))
    page = center.get(reverse("disputes:import-status", args=[job.pk])).content.decode()
    assert 'data-testid="refused-number">J420103202612020001<' in page
    download = center.get(reverse("disputes:import-status", args=[job.pk]), {"download": "refused"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["2", "J420103202612020001"]
    assert rows[2][1] == "'=HYPERLINK(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.fixture
def eager():
    from control_center.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_center_staff_import_the_realistic_file_in_the_browser(cast, live_server, browser, eager, tmp_path):
    CommunityFactory(code="jyj", name="交易街社区", station=cast.home)
    path = tmp_path / "110导出.csv"
    path.write_bytes(csv_upload([realistic(1), realistic(2), realistic(3, 社区="无此社区")]).read())
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "center")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/center/")
        page.goto(f"{live_server.url}{reverse('disputes:import')}")
        assert page.locator("[data-testid=template-xlsx]").is_visible()
        page.set_input_files("input[type=file]", str(path))
        page.click("[data-testid=import-form] button[type=submit]")
        page.wait_for_selector("[data-testid=import-job][data-status=done]")
        assert page.inner_text("[data-testid=created-count]") == "2"
        assert page.inner_text("[data-testid=error-count]") == "1"
        assert page.inner_text("[data-testid=refused-number]") == "J420103202612020003"
        assert Incident.objects.filter(received_at=AT, community__code="jyj").count() == 2
        assert timezone.localtime(Incident.objects.first().received_at).strftime("%H:%M") == "08:30"
    finally:
        page.close()
