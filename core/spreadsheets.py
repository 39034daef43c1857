"""Spreadsheet cells that stay text: no formula injection in any xlsx or csv export.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be read by
Excel, LibreOffice or WPS as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3``). Every export
writes its rows through :func:`append` (openpyxl) or :func:`csv_row` (csv):

- in an xlsx, such text is stored as a string cell (openpyxl would store ``=...`` as a formula), so
  the text round-trips exactly and nothing is evaluated;
- in a csv, where every value is text and the reader decides, such text is prefixed with an
  apostrophe, the spreadsheet convention for "this is text".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, with every risky text cell of the new row stored as a string."""
    values = list(values)
    sheet.append(values)
    if not any(is_risky(v) for v in values):
        return
    for cell in sheet[sheet.max_row]:
        if is_risky(cell.value):
            cell.data_type = "s"


def csv_cell(value: Any) -> Any:
    """A csv value: risky text gets a leading apostrophe; anything else is left as it is."""
    return "'" + value if is_risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]
