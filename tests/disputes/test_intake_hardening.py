"""Intake that cannot be made to fail or to half-write: NUL bytes, impossible UTC offsets and digits
of other scripts are field errors; a bad row never takes its neighbours down (batch and file)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from disputes.models import ImportJob, Incident
from tests.disputes.test_import import csv_file, run
from tests.disputes.test_import import row as file_row

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    "number",
    "category",
    "caller_name",
    "caller_phone",
    "caller_id_number",
    "address",
    "community",
    "summary",
]


def row(cast, number="J420103202611290001", **over):
    data = {
        "number": number,
        "received_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "category": "family",
        "caller_name": "陈女士",
        "caller_phone": "13800138000",
        "address": "江汉区前进一路88号3栋2单元501室",
        "community": cast.home_community.code,
        "summary": "夫妻吵架",
        "resolved_at_scene": False,
    }
    data.update(over)
    return data


@pytest.mark.parametrize("field", [*TEXT_FIELDS, "received_at", "resolved_at_scene"])
def test_a_nul_byte_in_any_field_of_a_single_incident_is_a_400_naming_it(cast, api, field):
    value = {"received_at": "2026-03-15T17:30\x00:00+08:00", "resolved_at_scene": "true\x00"}.get(field, "ab\x00cd")
    response = api(cast.center).post("/api/v1/incidents/", row(cast, **{field: value}), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Incident.objects.exists()


def test_a_batch_with_one_nul_row_stores_the_good_rows_and_reports_the_bad_one(cast, api):
    rows = [row(cast, "J0001", caller_phone="13800138001"), row(cast, "J0002", summary="吵\x00架"), row(cast, "J0003")]
    response = api(cast.center).post("/api/v1/incidents/batch/", rows, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 2
    assert [(e["index"], list(e["errors"])) for e in body["errors"]] == [(1, ["summary"])]
    assert set(Incident.objects.values_list("number", flat=True)) == {"J0001", "J0003"}


@pytest.mark.parametrize("offset", ["+14:01", "-14:30", "+23:59", "-23:59"])
def test_a_utc_offset_beyond_fourteen_hours_is_a_field_error(cast, api, offset):
    moment = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S") + offset
    response = api(cast.center).post("/api/v1/incidents/", row(cast, received_at=moment), format="json")
    assert response.status_code == 400
    assert "received_at" in response.json()
    assert not Incident.objects.exists()


def test_offsets_of_fourteen_hours_are_still_accepted(cast, api):
    moment = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S")
    client = api(cast.center)
    first = client.post("/api/v1/incidents/", row(cast, "J0001", received_at=moment + "+14:00"), format="json")
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/incidents/", row(cast, "J0002", received_at=moment + "-12:00"), format="json")
    assert second.status_code == 201, second.content


def test_a_file_with_a_nul_row_stores_the_others_and_reports_that_row_with_its_number(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [file_row(cast, 1), file_row(cast, 2, caller_name="陈\x00女士"), file_row(cast, 3)]
    job = run(cast, csv_file(rows))
    assert job.status == ImportJob.Status.DONE, job.failure
    assert set(Incident.objects.values_list("number", flat=True)) == {"J20260001", "J20260003"}
    assert [(e["row"], e["number"], e["field"]) for e in job.errors] == [(3, "J20260002", "caller_name")]


def test_a_row_the_database_refuses_after_validation_fails_only_itself(cast, settings, tmp_path, monkeypatch):
    """Defence in depth: should a value pass validation and break the insert, the chunk is taken row by row."""
    from disputes import intake

    settings.MEDIA_ROOT = tmp_path
    clean = intake.clean_row

    def leaky(raw, refs, now):
        incident, errors = clean(raw, refs, now)
        if incident is not None and incident.number == "J20260002":
            incident.summary = "漏\x00网"  # what the validation used to let through
        return incident, errors

    monkeypatch.setattr(intake, "clean_row", leaky)
    job = run(cast, csv_file([file_row(cast, 1), file_row(cast, 2), file_row(cast, 3)]))
    assert job.status == ImportJob.Status.DONE, job.failure
    assert set(Incident.objects.values_list("number", flat=True)) == {"J20260001", "J20260003"}
    assert [(e["row"], e["number"], e["field"]) for e in job.errors] == [(3, "J20260002", "non_field_errors")]


# Identity numbers and phones are ASCII


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# The first digits stay ASCII so that the number's pattern (1[3-9]..., a region code) still matches.
DISGUISED_PHONE = "13" + "800138000".translate(ARABIC_INDIC)
DISGUISED_ID = "4" + "2010319900101123".translate(ARABIC_INDIC) + "2"  # 420103199001011232, a valid ID


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("caller_phone", DISGUISED_PHONE),
        ("caller_phone", "13" + "८००१३८०००"),  # Devanagari
        ("caller_id_number", DISGUISED_ID),
    ],
)
def test_digits_of_another_script_are_a_field_error(cast, api, field, value):
    response = api(cast.center).post("/api/v1/incidents/", row(cast, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Incident.objects.exists()


def test_an_arabic_indic_number_cannot_dodge_repeat_caller_linking(cast, api):
    """一人多警: ten calls from one number, then the same number in Arabic-Indic digits."""
    client = api(cast.center)
    start = timezone.now() - timedelta(days=20)
    rows = [
        row(cast, f"J{n:04d}", received_at=(start + timedelta(days=n)).isoformat(), address=f"前进一路{n}号")
        for n in range(10)
    ]
    assert client.post("/api/v1/incidents/batch/", rows, format="json").json()["created"] == 10
    disguised = row(cast, "J0010", caller_phone=DISGUISED_PHONE, address="前进二路1号")
    assert client.post("/api/v1/incidents/", disguised, format="json").status_code == 400
    assert Incident.objects.count() == 10
    full_width = row(cast, "J0011", caller_phone="１３８００１３８０００", address="前进二路1号")
    response = client.post("/api/v1/incidents/", full_width, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["repeat"]["caller_count"] == 11
    assert Incident.objects.get(number="J0011").caller_phone_norm == "13800138000"
