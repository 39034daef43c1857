"""The Chinese catalogue is complete and compiled: every user-facing string has a translation."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; plural entries report msgstr[0]."""
    entries, fuzzy, field, parts = [], False, None, {}
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ", "msgstr[1] ")):
            field, _, rest = line.partition(" ")
            parts[field] = ast.literal_eval(rest)
        elif line.startswith('"') and field:
            parts[field] += ast.literal_eval(line)
        elif not line.strip() and parts:
            entries.append((parts.get("msgid", ""), parts.get("msgstr", parts.get("msgstr[0]", "")), fuzzy))
            fuzzy, field, parts = False, None, {}
    return [e for e in entries if e[0]]


def test_every_string_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr, fuzzy in po_entries() if not msgstr or fuzzy]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [msgid for msgid, msgstr, _ in po_entries() if compiled.gettext(msgid) != msgstr]
    assert stale == []
