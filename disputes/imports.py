"""Incident files (CSV or Excel) read into intake rows, and the import job that feeds them to the
intake in chunks, counting as it goes.

The database is the truth: a job is claimed with a conditional UPDATE (queued -> running), each chunk
is stored in one transaction together with the job's counters, so a job that is taken over after a
worker died continues after the last stored chunk; a job whose message was lost is sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import batched, islice
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from core.time import zone

from . import spreadsheets
from .intake import FIELDS, IntakeResult
from .models import ImportJob
from .services import incidents_intake

log = logging.getLogger(__name__)

CHUNK = 1_000
MAX_ERRORS = 5_000  # refused-row entries kept on a job; the count goes on
QUEUED_GRACE = dt.timedelta(minutes=2)  # a queued job not picked up by then: its message is sent again
RUNNING_GRACE = dt.timedelta(minutes=15)  # a running job without progress for so long: its worker died

EXTENSIONS = spreadsheets.EXTENSIONS
ImportFileError = spreadsheets.ImportFileError
OPTIONAL = ("caller_id_number", "resolved_at_scene")
REQUIRED = tuple(f for f in FIELDS if f not in OPTIONAL)
HEADERS = {f: f for f in FIELDS} | {
    "警情编号": "number",
    "接警时间": "received_at",
    "警情类别": "category",
    "报警人": "caller_name",
    "报警电话": "caller_phone",
    "身份证号": "caller_id_number",
    "地址": "address",
    "发案地址": "address",
    "社区": "community",
    "简要警情": "summary",
    "现场化解": "resolved_at_scene",
}

CHINESE = {f: next(k for k, v in HEADERS.items() if v == f and not k.isascii()) for f in FIELDS}


class _Lost(Exception):
    """Another worker took the job over: this one stops, undoing its current chunk."""


# Reading files


def _columns(header: Sequence[Any]) -> list[str | None]:
    """The intake field of each column (None: ignored); refuses a header without a required column."""
    columns: list[str | None] = []
    for cell in header:
        field = HEADERS.get(str(cell or "").strip().lstrip("\ufeff").lower())
        columns.append(field if field not in columns else None)
    missing = [f"{f} / {CHINESE[f]}" for f in REQUIRED if f not in columns]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    return columns


LOCAL_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"\s*[T\s]?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?$"
)


def district_time(value: Any) -> Any:
    """A receiving time as the 110 system writes it: ISO 8601 (with or without an offset),
    2026/12/02 08:30:00, 2026-12-02 08:30, 2026年12月02日 08时30分, or an Excel date cell. A time
    without an offset is the district's (settings.TIME_ZONE). Anything else is passed on as it is,
    for the intake to refuse with a field error."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        try:
            if len(text) <= 10:  # a date alone is no receiving time
                raise ValueError(text)
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            match = LOCAL_TIME.match(text)
            if match is None:
                return value
            try:
                parts = (int(part or 0) for part in match.groups())
                moment = dt.datetime(*parts, tzinfo=zone())
            except ValueError:
                return value
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone())
    return moment


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        # An Excel date cell has no offset: it is the district's local time.
        return district_time(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    if isinstance(value, (bool, str)):
        return value
    return str(value)


def read_rows(file: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number in the file, intake row) for each non-blank row; the header is row 1. Blank rows
    count towards the limit on rows, which stops the reading as soon as it is passed."""
    records = spreadsheets.records(file, name)
    header = next(records, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    columns = _columns(header)
    limit = settings.IMPORT_MAX_ROWS + 1
    for number, values in enumerate(records, start=2):
        if number > limit:
            raise spreadsheets.too_many_rows()
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {f: _cell(v) for f, v in zip(columns, values, strict=False) if f}
        if "received_at" in row:
            row["received_at"] = district_time(row["received_at"])
        yield number, row


def check_upload(upload: UploadedFile) -> None:
    """Refuse, before anything is stored, a file of the wrong kind, too large (as sent or unpacked),
    with too many rows, or without the columns. Cheap: the header is the only row parsed."""
    name = upload.name or ""
    upload.seek(0)
    try:
        records = spreadsheets.records(upload, name)
        header = next(records, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        _columns(header)
        records.close()
    finally:
        upload.seek(0)


# The job


def import_start(*, upload: UploadedFile, actor: Any) -> ImportJob:
    """Store the file as a queued job and send the job to a worker once the row is committed."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor, file=upload, original_name=(upload.name or "")[:255], updated_at=timezone.now()
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Send the job to a worker. If the broker is away the job stays queued: `resume` sends it later."""
    from .jobs import import_incidents  # jobs.py imports this module

    try:
        import_incidents.delay(job_id)
    except (OperationalError, OSError):
        log.warning("import %s left queued: the broker is unreachable", job_id, exc_info=True)


def resume(*, now: dt.datetime | None = None) -> list[int]:
    """Send again the jobs whose message was lost (queued too long) or whose worker died (no progress)."""
    now = now or timezone.now()
    stalled = Q(status=ImportJob.Status.QUEUED, updated_at__lt=now - QUEUED_GRACE) | Q(
        status=ImportJob.Status.RUNNING, updated_at__lt=now - RUNNING_GRACE
    )
    sent = []
    for pk, status, updated_at in ImportJob.objects.filter(stalled).values_list("pk", "status", "updated_at"):
        if ImportJob.objects.filter(pk=pk, status=status, updated_at=updated_at).update(
            status=ImportJob.Status.QUEUED, updated_at=now
        ):
            sent.append(pk)
    for pk in sent:
        enqueue(pk)
    return sent


def run_import(job_id: int) -> ImportJob | None:
    """Claim the job and read its file through the intake; None if another worker has it or it is over."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        _run(job)
    except _Lost:
        return None
    except ImportFileError as exc:
        _finish(job, ImportJob.Status.FAILED, exc.message)
    except Exception:
        log.exception("import %s failed", job_id)
        _finish(job, ImportJob.Status.FAILED, _("The import stopped on an unexpected error; rows stored are kept."))
    else:
        _finish(job, ImportJob.Status.DONE)
    return job


def _mine(job: ImportJob) -> Any:
    """The job's row, as long as this worker's claim holds."""
    return ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, started_at=job.started_at)


def _run(job: ImportJob) -> None:
    storage, name = job.file.storage, job.file.name
    with storage.open(name, "rb") as file:
        total = sum(1 for _row in read_rows(file, job.original_name))  # refuses too many rows
    job.total_rows = total
    if not _mine(job).update(total_rows=total):
        raise _Lost
    with storage.open(name, "rb") as file:
        # After a takeover, the rows of the chunks already stored are skipped.
        for chunk in batched(islice(read_rows(file, job.original_name), job.processed_rows, None), CHUNK):
            _store_chunk(job, chunk)


def _intake_chunk(rows: list[dict[str, Any]], actor: Any) -> IntakeResult:
    """The chunk through the intake; should a row still fail on storing (a value the validation let
    through and the database refuses), the chunk is taken row by row so that its neighbours are kept
    and that row is reported."""
    try:
        with transaction.atomic():
            return incidents_intake(rows, actor=actor)
    except (DatabaseError, ValueError):
        log.warning("an import chunk failed as a whole; taking it row by row", exc_info=True)
    result = IntakeResult()
    for index, row in enumerate(rows):
        try:
            with transaction.atomic():
                one = incidents_intake([row], actor=actor)
        except (DatabaseError, ValueError):
            result.errors.append(
                {"index": index, "errors": {"non_field_errors": [_("This row cannot be stored as it is.")]}}
            )
            continue
        result.created += one.created
        result.flagged += one.flagged
        result.duplicates += [{**d, "index": index} for d in one.duplicates]
        result.errors += [{**e, "index": index} for e in one.errors]
    return result


def _store_chunk(job: ImportJob, chunk: tuple[tuple[int, dict[str, Any]], ...]) -> None:
    """One chunk through the intake, and the job's counters, in one transaction."""
    numbers = [number for number, _row in chunk]
    with transaction.atomic():
        result = _intake_chunk([row for _number, row in chunk], job.created_by)
        job.processed_rows += len(chunk)
        job.created_count += len(result.created)
        job.duplicate_count += len(result.duplicates)
        job.error_count += len(result.errors)
        job.flagged_count += len(result.flagged)
        job.updated_at = timezone.now()
        fields = ["processed_rows", "created_count", "duplicate_count", "error_count", "flagged_count", "updated_at"]
        room = MAX_ERRORS - len(job.errors)
        if result.errors and room > 0:
            refused = [
                {
                    "row": numbers[e["index"]],
                    "number": _shown_number(chunk[e["index"]][1].get("number")),
                    "field": field,
                    "message": " ".join(str(m) for m in messages),
                }
                for e in result.errors
                for field, messages in e["errors"].items()
            ]
            job.errors = job.errors + refused[:room]
            fields.append("errors")
        if not _mine(job).update(**{f: getattr(job, f) for f in fields}):
            raise _Lost


def _shown_number(value: Any) -> str:
    """The row's 110 number as the report shows it: printable, at most 32 characters."""
    text = "" if value is None else str(value)
    return "".join(c for c in text if c.isprintable())[:32]


def _finish(job: ImportJob, status: str, failure: str = "") -> None:
    now = timezone.now()
    if _mine(job).update(status=status, failure=failure, finished_at=now, updated_at=now):
        job.status, job.failure, job.finished_at = status, failure, now
