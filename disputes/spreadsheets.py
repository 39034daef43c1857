"""Incident files read safely: cheap checks that refuse a file before anything parses it, and
streaming readers for CSV and Excel (.xlsx) whose memory does not grow with the file.

A 196 KB xlsx can unpack to a 200 MB shared-strings part, and a 45 KB one to a million blank rows:
`inspect` looks only at the byte size, the zip directory (the unpacked size of every part, which
`zipfile` also enforces while reading) and the row count (lines of a CSV; the `<row>` tags and row
numbers of the first worksheet, read in chunks), and stops as soon as a limit is passed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

EXTENSIONS = (".csv", ".xlsx")
MAX_COLUMNS = 64  # columns read per row: a cell in column XFD must not make every row 16,384 wide
MAX_PARTS = 1_000
CHUNK_BYTES = 1 << 20
ENCODINGS = ("utf-8-sig", "gb18030")  # Chinese Excel writes CSV in GBK, a subset of GB18030
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
ROW_OPENINGS = (b"<row ", b"<row>", b"<row/>", b"<row\t", b"<row\n", b"<row\r")
PREFIXED_ROW = re.compile(rb"<\w+:row[\s/>]")
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br\s*=\s*[\"'](\d{1,9})[\"']")
FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\s\w+:id\s*=\s*[\"']([^\"']+)[\"']")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
ATTRIBUTE = re.compile(rb"\s(Id|Target)\s*=\s*[\"']([^\"']*)[\"']")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f}" if n >= 2**20 else f"{n / 2**20:.2f}"


def too_many_rows() -> ImportFileError:
    n = settings.IMPORT_MAX_ROWS
    return ImportFileError(_("The file holds more than %(n)s rows (blank rows count); split it.") % {"n": f"{n:,}"})


def _size(file: IO[bytes]) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def inspect(file: IO[bytes], name: str) -> None:
    """Refuse a file of the wrong kind, too large as sent or unpacked, or with too many rows, without
    parsing it: the zip directory and a chunked scan only. Leaves the file at its start."""
    kind = extension(name)
    if kind not in EXTENSIONS:
        raise ImportFileError(_("Send a CSV (.csv) or Excel (.xlsx) file; save older .xls workbooks as .xlsx."))
    if _size(file) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it.") % {"mb": _mb(settings.IMPORT_MAX_BYTES)}
        )
    try:
        if kind == ".csv":
            _inspect_csv(file)
        else:
            _inspect_xlsx(file)
    finally:
        file.seek(0)


def _inspect_csv(file: IO[bytes]) -> None:
    """Lines counted in chunks (a quoted line break counts too: the limit errs on the safe side)."""
    limit = settings.IMPORT_MAX_ROWS + 1  # and the header
    lines = 0
    while chunk := file.read(CHUNK_BYTES):
        lines += max(chunk.count(b"\n"), chunk.count(b"\r"))
        if lines > limit:
            raise too_many_rows()
    csv_encoding(file)


def csv_encoding(file: IO[bytes]) -> str:
    """The first of UTF-8 and GB18030 that decodes the whole file, decoded in chunks."""
    for encoding in ENCODINGS:
        file.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := file.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        else:
            return encoding
        finally:
            file.seek(0)
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK text."))


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not a readable Excel (.xlsx) workbook."))


def _inspect_xlsx(file: IO[bytes]) -> None:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_a_workbook() from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _not_a_workbook()
        for part in parts:
            sheet = SHEET_PART.match(part.filename)
            limit = settings.IMPORT_MAX_SHEET_BYTES if sheet else settings.IMPORT_MAX_PART_BYTES
            if part.file_size > limit:
                raise ImportFileError(
                    _(
                        "The workbook's part %(part)s unpacks to %(size)s MB, more than the %(limit)s MB allowed; "
                        "save the sheet as CSV or split it."
                    )
                    % {"part": part.filename[:80], "size": _mb(part.file_size), "limit": _mb(limit)}
                )
        sheet = _first_sheet(archive)
        if sheet is not None:
            _count_sheet_rows(archive, sheet)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part name of the workbook's first worksheet (the one read), from workbook.xml and its rels."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise _not_a_workbook() from None
    first = FIRST_SHEET.search(workbook)
    if first is None:
        raise _not_a_workbook()
    for tag in RELATIONSHIP.finditer(rels):
        attributes = dict(ATTRIBUTE.findall(tag.group(0)))
        if attributes.get(b"Id") == first.group(1):
            target = attributes.get(b"Target", b"").decode("utf-8", "replace")
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return name if name in archive.NameToInfo else None
    return None


def _count_sheet_rows(archive: zipfile.ZipFile, name: str) -> None:
    """Rows as a reader sees them: every `<row>` tag, and the gaps up to its row number (a reader
    fills them with blank rows), counted in chunks of the unpacked XML; stops past the limit."""
    limit = settings.IMPORT_MAX_ROWS + 1  # and the header
    tags = highest = 0
    tail = b""
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                data = tail + chunk
                cut = data.rfind(b"<")
                cut = len(data) if cut < 0 or len(data) - cut > 4096 else cut
                data, tail = data[:cut], data[cut:]
                # Counted in C (bytes.count, findall), not tag by tag: a megabyte holds 170,000 `<row/>`.
                tags += sum(data.count(tag) for tag in ROW_OPENINGS)
                if b":row" in data:
                    tags += len(PREFIXED_ROW.findall(data))
                numbers = ROW_NUMBER.findall(data)
                if numbers:
                    highest = max(highest, *map(int, numbers))
                if max(tags, highest) > limit:
                    raise too_many_rows()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise _not_a_workbook() from None


# Streaming readers


def csv_records(file: IO[bytes]) -> Iterator[Sequence[Any]]:
    encoding = csv_encoding(file)
    raw = getattr(file, "file", file)  # Django's File: the underlying binary stream
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None
    finally:
        if not raw.closed:
            text.detach()  # leave the caller's file open


def xlsx_records(file: IO[bytes]) -> Iterator[Sequence[Any]]:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError):
        raise _not_a_workbook() from None
    try:
        yield from book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _not_a_workbook() from None
    finally:
        book.close()


def records(file: IO[bytes], name: str) -> Iterator[Sequence[Any]]:
    """Every row of the file (blank ones included), checked first with `inspect`."""
    inspect(file, name)
    return csv_records(file) if extension(name) == ".csv" else xlsx_records(file)
