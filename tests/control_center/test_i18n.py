"""The Chinese catalogue is complete and compiled: every user-facing string has a translation."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries(*, with_plural: bool = False) -> list[tuple]:
    """(msgid, msgstr, fuzzy) for each entry; plural entries report msgstr[0] (and msgid_plural)."""
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
            entry = (parts.get("msgid", ""), parts.get("msgstr", parts.get("msgstr[0]", "")), fuzzy)
            entries.append((*entry, parts.get("msgid_plural", "")) if with_plural else entry)
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


def test_translations_keep_every_placeholder():
    def placeholders(text: str) -> set[str]:
        return set(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))

    broken = [
        msgid
        for msgid, msgstr, _, plural in po_entries(with_plural=True)
        if not placeholders(msgstr) <= placeholders(msgid) | placeholders(plural)
        or (not plural and placeholders(msgstr) != placeholders(msgid))
    ]
    assert broken == []
