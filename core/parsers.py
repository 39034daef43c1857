"""The API's JSON parser: refuses JSON nested deeper than 32 levels with a 400 before anything is
parsed (Python's parser would recurse until a RecursionError, a 500). NUL characters in text are left
to the serializers (DRF's CharField refuses them naming the field; answer sheets do the same), so that
a batch refuses only its bad rows."""

from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from .inputs import JSON_MAX_DEPTH, json_too_deep


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if json_too_deep(text):
            raise exceptions.ParseError(_("JSON nested deeper than %(limit)d levels.") % {"limit": JSON_MAX_DEPTH})
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
