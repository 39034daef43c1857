"""The answer-sheet engine (答题卡): sheet definitions are data; answers are validated against them.

A definition is a list of fields:
    {"name", "label", "type", "required", "choices": [{"value", "label"}], "min", "max", "max_length"}
with `type` one of choice, multi, text, number, date, bool, photo.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.inputs import parse_day

FIELD_TYPES = ("choice", "multi", "text", "number", "date", "bool", "photo")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DEFAULT_TEXT_LENGTH = 500
MAX_NUMBER = Decimal(10) ** 15  # a count or an amount, never more; larger numbers are refused
MAX_PHOTOS = 6

# The general sheet, used by categories and kinds that name no sheet of their own.
GENERAL_SHEET_CODE = "general"


def validate_definition(fields: Any) -> None:
    """Raise ValidationError unless `fields` is a well-formed sheet definition."""
    if not isinstance(fields, list) or not fields:
        raise ValidationError({"fields": [_("A sheet needs a list of at least one field.")]})
    seen: set[str] = set()
    for i, field in enumerate(fields):
        where = f"#{i + 1}"
        if not isinstance(field, dict):
            raise ValidationError({"fields": [_("Field %(n)s is not an object.") % {"n": where}]})
        name, kind = field.get("name"), field.get("type")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValidationError({"fields": [_("Field %(n)s needs a lower-case name.") % {"n": where}]})
        if name in seen:
            raise ValidationError({"fields": [_("Field name %(name)s is used twice.") % {"name": name}]})
        seen.add(name)
        if kind not in FIELD_TYPES:
            raise ValidationError({"fields": [_("Field %(name)s has an unknown type.") % {"name": name}]})
        if not field.get("label"):
            raise ValidationError({"fields": [_("Field %(name)s needs a label.") % {"name": name}]})
        if kind in ("choice", "multi"):
            choices = field.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, dict) and c.get("value") not in (None, "") and c.get("label") for c in choices)
            ):
                message = _("Field %(name)s needs choices with values and labels.") % {"name": name}
                raise ValidationError({"fields": [message]})


def _choice_values(field: dict[str, Any]) -> list[str]:
    return [str(c["value"]) for c in field.get("choices", [])]


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean_value(field: dict[str, Any], value: Any) -> Any:
    kind = field["type"]
    if kind == "choice":
        if str(value) not in _choice_values(field):
            raise ValidationError(_("Choose one of the offered answers."))
        return str(value)
    if kind == "multi":
        values = value if isinstance(value, list) else [value]
        allowed = _choice_values(field)
        if any(str(v) not in allowed for v in values):
            raise ValidationError(_("Choose only among the offered answers."))
        return [v for v in allowed if v in {str(x) for x in values}]
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError(_("Enter text."))
        if "\x00" in value:
            raise ValidationError(_("Null characters are not allowed."))
        limit = int(field.get("max_length", DEFAULT_TEXT_LENGTH))
        if len(value) > limit:
            raise ValidationError(_("At most %(n)d characters.") % {"n": limit})
        return value.strip()
    if kind == "number":
        if isinstance(value, bool):
            raise ValidationError(_("Enter a number."))
        if not str(value).isascii():  # Decimal would read "١٢" or "１２" as 12
            raise ValidationError(_("Enter a number."))
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite() or abs(number) >= MAX_NUMBER:
            raise ValidationError(_("Enter a number."))
        if "min" in field and number < Decimal(str(field["min"])):
            raise ValidationError(_("At least %(n)s.") % {"n": field["min"]})
        if "max" in field and number > Decimal(str(field["max"])):
            raise ValidationError(_("At most %(n)s.") % {"n": field["max"]})
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        day = parse_day(str(value))
        if day is None:
            raise ValidationError(_("Enter a date as YYYY-MM-DD, between 1900 and 2100."))
        return day.isoformat()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off"):
            return False
        raise ValidationError(_("Answer yes or no."))
    # photo: references to uploaded photos
    photos = value if isinstance(value, list) else [value]
    if len(photos) > MAX_PHOTOS or not all(isinstance(p, str) and 0 < len(p) <= 100 for p in photos):
        raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    return photos


class InvalidAnswers(Exception):
    """Answers that do not fit the sheet: `errors` maps each item's name to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def validate_answers(fields: list[dict[str, Any]], answers: Any) -> dict[str, Any]:
    """Return the cleaned answers, or raise InvalidAnswers({item name: [message]})."""
    if not isinstance(answers, dict):
        raise InvalidAnswers({"answers": [_("Answers must be an object keyed by item name.")]})
    known = {f["name"] for f in fields}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(answers) - known)
    if unknown:
        errors["answers"] = [_("Unknown items: %(names)s.") % {"names": ", ".join(unknown)}]
    cleaned: dict[str, Any] = {}
    for field in fields:
        name = field["name"]
        value = answers.get(name)
        if _is_blank(value) and field["type"] != "bool":
            if field.get("required"):
                errors[name] = [_("This item is required.")]
            continue
        if value is None:
            if field.get("required"):
                errors[name] = [_("This item is required.")]
            continue
        try:
            cleaned[name] = _clean_value(field, value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def choice_label(item: dict[str, Any], value: Any) -> str:
    """A stored choice value as its label on the sheet (the value itself if the sheet no longer has it)."""
    labels = {str(c["value"]): c["label"] for c in item.get("choices", [])}
    return str(labels.get(str(value), value))


def answer_text(item: dict[str, Any], value: Any) -> str:
    """One stored answer as people read it: choices by their labels, yes or no, how many photos."""
    kind = item.get("type")
    if kind == "choice":
        return choice_label(item, value)
    if kind == "multi":
        return "、".join(choice_label(item, v) for v in value)
    if kind == "bool":
        return _("Yes") if value else _("No")
    if kind == "photo":
        return ngettext("%(n)d photo", "%(n)d photos", len(value)) % {"n": len(value)}
    return str(value)


def answer_rows(fields: list[dict[str, Any]], answers: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The stored answers as (label, text), in the sheet's order: the one renderer of answers."""
    answers = answers or {}
    return [(item["label"], answer_text(item, answers[item["name"]])) for item in fields if item["name"] in answers]


def general_sheet_fields() -> list[dict[str, Any]]:
    """The general feedback sheet (the shipped data migration writes the same)."""
    return [
        {"name": "met_in_person", "label": "是否当面见到当事人", "type": "bool", "required": True},
        {
            "name": "actions",
            "label": "采取的措施",
            "type": "multi",
            "required": True,
            "choices": [
                {"value": "mediated", "label": "调解"},
                {"value": "referred", "label": "移交相关部门"},
                {"value": "warned", "label": "批评教育/警告"},
                {"value": "visited", "label": "上门走访"},
                {"value": "other", "label": "其他"},
            ],
        },
        {
            "name": "outcome",
            "label": "化解情况",
            "type": "choice",
            "required": True,
            "choices": [
                {"value": "settled", "label": "完全化解"},
                {"value": "partly", "label": "部分化解"},
                {"value": "not_settled", "label": "未化解"},
            ],
        },
        {
            "name": "risk_level",
            "label": "风险等级",
            "type": "choice",
            "required": True,
            "choices": [
                {"value": "low", "label": "低"},
                {"value": "medium", "label": "中"},
                {"value": "high", "label": "高"},
            ],
        },
        {"name": "revisit_on", "label": "需再次回访的日期", "type": "date", "required": False},
        {"name": "note", "label": "情况说明", "type": "text", "required": False, "max_length": 1000},
        {"name": "photos", "label": "现场照片", "type": "photo", "required": False},
    ]
