"""The file import: CSV and Excel files in, good rows kept, bad rows reported by row and field,
re-imports storing nothing, a job claimed once, queued jobs resumed, pages for center staff only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from disputes import imports
from disputes.jobs import import_incidents, resume_imports
from disputes.kinds import REVISIT
from disputes.models import ImportJob, Incident
from stations.roles import Role
from tasks.models import Instruction
from tests.factories import make_officer

pytestmark = pytest.mark.django_db

ENGLISH = [
    "number",
    "received_at",
    "category",
    "caller_name",
    "caller_phone",
    "caller_id_number",
    "address",
    "community",
    "summary",
    "resolved_at_scene",
]
CHINESE = [
    "警情编号",
    "接警时间",
    "警情类别",
    "报警人",
    "报警电话",
    "身份证号",
    "发案地址",
    "社区",
    "简要警情",
    "现场化解",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eager():
    from control_center.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def sent(monkeypatch):
    """The job ids handed to the broker, instead of a broker."""
    ids: list[int] = []
    monkeypatch.setattr(import_incidents, "delay", ids.append)
    return ids


def row(cast, n, **over):
    """One incident, as a list in the column order; each its own caller and place."""
    data = {
        "number": f"J2026{n:04d}",
        "received_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "category": "family",
        "caller_name": "陈女士",
        "caller_phone": f"1380013{n:04d}",
        "caller_id_number": "",
        "address": f"江汉区前进一路{n}号",
        "community": cast.home_community.code,
        "summary": "夫妻吵架",
        "resolved_at_scene": "否",
    }
    data.update(over)
    return [data[f] for f in ENGLISH]


def csv_file(rows, *, headers=ENGLISH, encoding="utf-8", name="incidents.csv"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, headers=CHINESE, name="incidents.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def run(cast, upload):
    job = imports.import_start(upload=upload, actor=cast.center.user)
    import_incidents(job.pk)
    job.refresh_from_db()
    return job


def stored():
    return set(Incident.objects.values_list("number", flat=True))


def test_a_csv_file_keeps_the_good_rows_and_reports_the_bad_by_row_and_field(cast):
    rows = [
        row(cast, 1),
        row(cast, 2, caller_phone="12345"),  # row 3
        row(cast, 3),
        [],  # a blank line is skipped but keeps its row number
        row(cast, 5, category="nope", summary=""),  # row 6: two fields
        row(cast, 6, resolved_at_scene="是"),
    ]
    job = run(cast, csv_file(rows))

    assert job.status == ImportJob.Status.DONE
    assert stored() == {"J20260001", "J20260003", "J20260006"}
    assert Incident.objects.get(number="J20260006").resolved_at_scene is True
    assert (job.total_rows, job.processed_rows) == (5, 5)
    assert (job.created_count, job.duplicate_count, job.error_count) == (3, 0, 2)
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "caller_phone"), (6, "category"), (6, "summary")]
    assert all(e["message"] for e in job.errors)
    assert job.started_at
    assert job.finished_at
    assert not job.failure


def test_importing_the_same_file_again_stores_nothing_new(cast):
    rows = [row(cast, 1), row(cast, 2), row(cast, 3, community="nowhere")]
    first = run(cast, csv_file(rows))
    again = run(cast, csv_file(rows))

    assert first.created_count == 2
    assert (again.created_count, again.duplicate_count, again.error_count) == (0, 2, 1)
    assert Incident.objects.count() == 2


def test_an_excel_file_with_chinese_headers_imports(cast):
    local = timezone.localtime() - timedelta(hours=1)
    rows = [
        row(cast, 1, received_at=local.replace(tzinfo=None, microsecond=0)),  # a date cell: local time
        row(cast, 2, caller_phone=13800130002),  # a number cell
        row(cast, 3, summary=None),  # row 4
        row(cast, 4, resolved_at_scene=True),
    ]
    job = run(cast, xlsx_file(rows))

    assert job.status == ImportJob.Status.DONE
    assert stored() == {"J20260001", "J20260002", "J20260004"}
    assert Incident.objects.get(number="J20260001").received_at == local.replace(microsecond=0)
    assert Incident.objects.get(number="J20260002").caller_phone_norm == "13800130002"
    assert [(e["row"], e["field"]) for e in job.errors] == [(4, "summary")]


def test_a_gbk_csv_from_chinese_excel_imports(cast):
    job = run(cast, csv_file([row(cast, 1), row(cast, 2)], headers=CHINESE, encoding="gbk"))

    assert job.status == ImportJob.Status.DONE
    assert stored() == {"J20260001", "J20260002"}
    assert Incident.objects.get(number="J20260001").caller_name == "陈女士"


def test_a_utf8_csv_with_a_byte_order_mark_imports(cast):
    job = run(cast, csv_file([row(cast, 1)], encoding="utf-8-sig"))

    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 1)


def test_a_large_file_goes_in_chunks_counting_as_it_goes(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
    seen = []
    real = imports.incidents_intake

    def spy(rows, **kwargs):
        seen.append(ImportJob.objects.values_list("processed_rows", flat=True).get())
        return real(rows, **kwargs)

    monkeypatch.setattr(imports, "incidents_intake", spy)
    rows = [row(cast, 1), row(cast, 2), row(cast, 3), row(cast, 1), row(cast, 5)]  # row 5 repeats row 2's number
    job = run(cast, csv_file(rows))

    assert seen == [0, 2, 4]
    assert (job.processed_rows, job.created_count, job.duplicate_count) == (5, 4, 1)


def test_a_third_call_in_the_file_flags_the_caller_and_issues_a_revisit(cast):
    now = timezone.now()
    rows = [
        row(cast, n, caller_phone="13800138000", received_at=(now - timedelta(hours=h)).isoformat())
        for n, h in ((1, 30), (2, 20), (3, 1))
    ]
    job = run(cast, csv_file(rows))

    assert job.flagged_count == 1
    assert Instruction.objects.filter(kind=REVISIT, dispatch__incident__number="J20260003").exists()


def test_too_many_rows_fail_the_job_and_store_nothing(cast, settings):
    settings.IMPORT_MAX_ROWS = 2
    job = run(cast, csv_file([row(cast, 1), row(cast, 2), row(cast, 3)]))

    assert job.status == ImportJob.Status.FAILED
    assert job.failure
    assert not Incident.objects.exists()


# The conditional claim and the resume


def test_a_job_claimed_by_one_worker_is_not_run_by_a_second(cast):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    now = timezone.now()
    assert ImportJob.objects.filter(pk=job.pk, status="queued").update(status="running", started_at=now, updated_at=now)

    assert import_incidents(job.pk) is None
    assert not Incident.objects.exists()
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.RUNNING, 0)


def test_a_worker_whose_job_was_taken_over_stops_and_undoes_its_chunk(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 1)
    real = imports.incidents_intake
    calls = []

    def taken_over_after_the_first_chunk(rows, **kwargs):
        calls.append(rows)
        if len(calls) == 2:  # meanwhile the job was handed to another worker
            ImportJob.objects.update(started_at=timezone.now() + timedelta(seconds=1))
        return real(rows, **kwargs)

    monkeypatch.setattr(imports, "incidents_intake", taken_over_after_the_first_chunk)
    job = imports.import_start(upload=csv_file([row(cast, 1), row(cast, 2), row(cast, 3)]), actor=cast.center.user)

    assert import_incidents(job.pk) is None
    assert len(calls) == 2
    assert stored() == {"J20260001"}
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == (ImportJob.Status.RUNNING, 1, 1)


def test_a_finished_job_is_not_run_again(cast):
    job = run(cast, csv_file([row(cast, 1)]))

    assert import_incidents(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.created_count, job.duplicate_count) == (ImportJob.Status.DONE, 1, 0)


def test_a_queued_job_whose_message_was_lost_is_sent_again_after_two_minutes(cast, sent):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)

    assert resume_imports() == []
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert resume_imports() == [job.pk]
        assert resume_imports() == []  # not again at once
    assert sent == [job.pk]


def test_a_job_whose_worker_died_is_taken_over_after_the_rows_already_stored(cast, sent):
    job = imports.import_start(upload=csv_file([row(cast, 1), row(cast, 2), row(cast, 3)]), actor=cast.center.user)
    long_ago = timezone.now() - timedelta(minutes=20)
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=long_ago, updated_at=long_ago)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=2, created_count=2)  # its first chunk, committed

    assert resume_imports() == [job.pk]
    assert sent == [job.pk]
    import_incidents(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert stored() == {"J20260003"}  # the two stored before are not read again
    assert (job.processed_rows, job.created_count) == (3, 3)


# The pages


@pytest.fixture
def center(client, cast):
    client.force_login(cast.center.user)
    return client


def test_the_upload_creates_a_queued_job_that_runs_on_commit_and_the_page_shows_the_report(
    cast, center, eager, django_capture_on_commit_callbacks
):
    upload = csv_file([row(cast, 1), row(cast, 2, caller_phone="bad")])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = center.post(reverse("disputes:import"), {"file": upload})
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.QUEUED
        assert job.file.name.startswith("imports/")
        assert job.original_name == "incidents.csv"
    assert response.status_code == 302
    assert response["Location"] == reverse("disputes:import-status", args=[job.pk])
    assert callbacks

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    page = center.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-status="done"' in body
    assert 'data-testid="created-count">1<' in body
    assert 'data-testid="refused-row" data-row="3" data-field="caller_phone"' in body
    assert "hx-trigger" not in body
    assert "<progress" in body

    download = center.get(response["Location"], {"download": "refused"})
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("3,")


def test_the_status_page_polls_while_the_job_runs_and_answers_htmx_with_the_fragment(cast, center):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    url = reverse("disputes:import-status", args=[job.pk])

    full = center.get(url).content.decode()
    fragment = center.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "<html" in full
    assert 'hx-trigger="every 2s"' in full
    assert "X-Poll" in full
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="import-job"')
    assert 'hx-trigger="every 2s"' in fragment
    assert 'data-status="queued"' in fragment


def test_the_upload_still_answers_when_the_broker_is_away_and_the_job_stays_queued(
    cast, center, monkeypatch, django_capture_on_commit_callbacks, sent
):
    def unreachable(job_id):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(import_incidents, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = center.post(reverse("disputes:import"), {"file": csv_file([row(cast, 1)])})

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED

    monkeypatch.setattr(import_incidents, "delay", sent.append)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        resume_imports()
    assert sent == [job.pk]


@pytest.mark.parametrize(
    ("upload", "why"),
    [
        (SimpleUploadedFile("incidents.txt", b"number\nJ1\n"), "kind"),
        (SimpleUploadedFile("incidents.xls", b"\xd0\xcf\x11\xe0"), "kind"),
        (SimpleUploadedFile("incidents.xlsx", b"not a zip"), "broken"),
        (SimpleUploadedFile("incidents.csv", b"number,summary\nJ1,x\n"), "columns"),
        (SimpleUploadedFile("incidents.csv", b""), "empty"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_form_error_on_the_file_field(center, upload, why):
    response = center.post(reverse("disputes:import"), {"file": upload})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert 'data-testid="errors-file"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_cap_is_a_form_error_on_the_file_field(cast, center, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = center.post(reverse("disputes:import"), {"file": csv_file([row(cast, 1), row(cast, 2)])})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert not ImportJob.objects.exists()


def test_the_upload_page_lists_the_recent_imports(cast, center):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    response = center.get(reverse("disputes:import"))

    assert response.status_code == 200
    assert f'data-job="{job.pk}"' in response.content.decode()


@pytest.mark.parametrize("who", ["command_room", "officer", "supervisor"])
def test_only_center_staff_see_the_import_pages(cast, client, who):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    client.force_login(getattr(cast, who).user)

    assert client.get(reverse("disputes:import")).status_code == 404
    assert client.post(reverse("disputes:import"), {"file": csv_file([row(cast, 2)])}).status_code == 404
    assert client.get(reverse("disputes:import-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("disputes:import-status", args=[job.pk]), {"download": "refused"}).status_code == 404
    assert ImportJob.objects.count() == 1


def test_an_outsider_gets_404_and_a_visitor_the_login(cast, client):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    url = reverse("disputes:import-status", args=[job.pk])

    assert client.get(url).status_code == 302
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("disputes:import")).status_code == 404


def test_another_center_officer_sees_the_job(cast, client):
    job = imports.import_start(upload=csv_file([row(cast, 1)]), actor=cast.center.user)
    client.force_login(make_officer(Role.CENTER_STAFF).user)

    assert client.get(reverse("disputes:import-status", args=[job.pk])).status_code == 200


def test_times_in_excel_cells_are_local_time():
    moment = dt.datetime(2026, 3, 15, 17, 30)  # noqa: DTZ001 (a naive Excel cell)
    assert imports._cell(moment).isoformat() == "2026-03-15T17:30:00+08:00"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_file_over_the_real_broker(cast, settings, tmp_path, sent):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the worker (VAR_DIR=tmp_path) looks too
    job = imports.import_start(upload=csv_file([row(cast, 1), row(cast, 2, caller_phone="x")]), actor=cast.center.user)
    assert sent == [job.pk]  # committed at once here; the broker is stubbed for the test process
    db = connection.settings_dict
    queue = f"import-test-{uuid.uuid4().hex[:8]}"  # keep away from any other worker on this broker
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "control_center.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "VAR_DIR": str(tmp_path),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "control_center", "worker", "-Q", queue, "-l", "INFO", "-P", "solo"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        import_incidents.apply_async(args=[job.pk], queue=queue)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and ImportJob.objects.get(pk=job.pk).is_active:
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, log.read_text()[-3000:]
    assert (job.created_count, job.error_count) == (1, 1)
    assert stored() == {"J20260001"}
