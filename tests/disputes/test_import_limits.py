"""Spreadsheets that cannot sink a server: the web request refuses, cheaply and in well under a
second, a file too large as sent or unpacked or with too many rows (blank ones counted), and so
does the worker; memory stays bounded (tracemalloc peak)."""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes import imports
from disputes.models import ImportJob, Incident
from tests.disputes.test_import import CHINESE, csv_file, row, xlsx_file

pytestmark = pytest.mark.django_db

MB = 2**20


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _base_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(CHINESE)
    book.active.append(["J1", "2026-12-02 08:30", "家庭纠纷", "陈女士", "13800138000", "", "前进一路1号", "x", "y", ""])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


class _Repeating:
    """A deflater for a part made of one block repeated: the block is compressed once and ended with
    a full flush (byte-aligned, no back references), so that its bytes repeat into a valid stream.
    Builds a 200 MB part in a fraction of a second instead of deflating 200 MB."""

    def __init__(self, block: bytes) -> None:
        self.block = block
        deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.segment = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
        self.real = zlib.compressobj(6, zlib.DEFLATED, -15)

    def compress(self, data: bytes) -> bytes:
        if data == self.block:
            return self.segment
        return self.real.compress(data) + self.real.flush(zlib.Z_FULL_FLUSH)

    def flush(self) -> bytes:
        return self.real.flush()


def _replace_part(workbook: bytes, part: str, pieces, *, block: bytes = b"") -> bytes:
    """The workbook with one part replaced by the given byte pieces, written in a stream (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as stream:
            stream._compressor = _Repeating(block)
            for piece in pieces:
                stream.write(piece)
    return out.getvalue()


def _shared_strings_bomb() -> bytes:
    """A small xlsx whose shared-strings part unpacks to 200 MB."""
    block = b"<si><t>" + b"A" * (MB - 16) + b"</t></si>"

    def pieces():
        yield b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _n in range(200):
            yield block
        yield b"</sst>"

    return _replace_part(_base_workbook(), "xl/sharedStrings.xml", pieces(), block=block)


def _blank_rows(*, tags: bool) -> bytes:
    """A small xlsx of a million blank rows: a tag per row, or one row numbered 1,048,576."""
    block = b"<row/>" * 16_384

    def pieces():
        yield (
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>number</t></is></c></row>'
        )
        if tags:
            for _n in range(64):
                yield block
        else:
            yield b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        yield b"</sheetData></worksheet>"

    return _replace_part(_base_workbook(), "xl/worksheets/sheet1.xml", pieces(), block=block)


@pytest.fixture
def center(client, cast):
    client.force_login(cast.center.user)
    return client


@pytest.fixture(scope="module")
def bomb():
    return _shared_strings_bomb()


def _measured(call):
    """(exception raised, seconds, peak traced bytes) of a call: timed once as it is, then run again
    under tracemalloc (which slows Python down) for its peak memory."""
    start = time.perf_counter()
    try:
        call()
    except imports.ImportFileError as exc:
        raised = exc
    else:
        raised = None
    seconds = time.perf_counter() - start
    tracemalloc.start()
    with contextlib.suppress(imports.ImportFileError):
        call()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return raised, seconds, peak


def test_a_small_xlsx_unpacking_to_200_mb_of_shared_strings_is_refused_at_once_on_the_web(center, bomb):
    assert len(bomb) < 1 * MB
    upload = SimpleUploadedFile("incidents.xlsx", bomb)
    raised, seconds, peak = _measured(lambda: imports.check_upload(upload))
    assert raised is not None
    assert "xl/sharedStrings.xml" in raised.message
    assert seconds < 0.5
    assert peak < 5 * MB

    response = center.post(reverse("disputes:import"), {"file": SimpleUploadedFile("incidents.xlsx", bomb)})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert not ImportJob.objects.exists()


def test_the_worker_refuses_the_same_file_without_reading_it(cast, bomb):
    """A job stored before the web check existed (or resumed) is checked again by the worker."""
    job = ImportJob.objects.create(
        created_by=cast.center.user, file=SimpleUploadedFile("incidents.xlsx", bomb), original_name="incidents.xlsx"
    )
    tracemalloc.start()
    start = time.perf_counter()
    imports.run_import(job.pk)
    seconds = time.perf_counter() - start
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "xl/sharedStrings.xml" in job.failure
    assert seconds < 2  # traced: well under a second untraced
    assert peak < 5 * MB


@pytest.mark.parametrize("tags", [True, False], ids=["a-tag-per-row", "one-far-row-number"])
def test_a_small_xlsx_of_a_million_blank_rows_is_refused_at_once(center, tags):
    data = _blank_rows(tags=tags)
    assert len(data) < 200 * 1024
    upload = SimpleUploadedFile("incidents.xlsx", data)
    raised, seconds, peak = _measured(lambda: imports.check_upload(upload))
    assert raised is not None
    assert "200,000" in raised.message
    assert seconds < 0.5
    assert peak < 5 * MB

    response = center.post(reverse("disputes:import"), {"file": SimpleUploadedFile("incidents.xlsx", data)})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_blank_rows_count_towards_the_limit_in_the_worker_too(cast, settings):
    settings.IMPORT_MAX_ROWS = 5
    upload = xlsx_file([row(cast, 1), *([[None] * 10] * 10), row(cast, 2)])
    job = ImportJob.objects.create(created_by=cast.center.user, file=upload, original_name="incidents.xlsx")
    imports.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Incident.objects.exists()


def test_a_csv_of_blank_lines_beyond_the_limit_is_refused_on_the_web(cast, center, settings):
    settings.IMPORT_MAX_ROWS = 100
    data = csv_file([row(cast, 1)]).read() + b"\r\n" * 200
    response = center.post(reverse("disputes:import"), {"file": SimpleUploadedFile("incidents.csv", data)})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]


def test_every_unpacked_part_has_a_limit(center, settings):
    settings.IMPORT_MAX_PART_BYTES = 100  # styles, shared strings, the workbook itself...
    response = center.post(reverse("disputes:import"), {"file": SimpleUploadedFile("i.xlsx", _base_workbook())})
    assert response.status_code == 400
    settings.IMPORT_MAX_PART_BYTES = 16 * MB
    settings.IMPORT_MAX_SHEET_BYTES = 100
    response = center.post(reverse("disputes:import"), {"file": SimpleUploadedFile("i.xlsx", _base_workbook())})
    assert response.status_code == 400
    assert "sheet1.xml" in str(response.context["form"].errors["file"])


def test_a_file_within_the_limits_still_imports(cast):
    job = ImportJob.objects.create(
        created_by=cast.center.user, file=xlsx_file([row(cast, 1), row(cast, 2)]), original_name="incidents.xlsx"
    )
    imports.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.failure
    assert Incident.objects.count() == 2
