"""Callers and places in one normal form, so that the same person or the same door matches.

- Phones: mainland mobiles (11 digits, 1[3-9]…) with or without +86; landlines with an area
  code (0xx / 0xxx) and 7–8 digits, or a bare local number, which takes the district's area
  code. Normal form: digits only (13800138000, 02785551234).
- Resident ID numbers (GB 11643): 18 characters with a valid check digit and a real birth
  date; 15-digit old numbers are upgraded to 18.
- Addresses: full-width to half-width, no spaces or punctuation, one spelling for
  栋/单元/室 and their variants.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.time import today as district_today

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}[0-9]{7,8}$")
LOCAL = re.compile(r"^[2-9][0-9]{6,7}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def _ascii_digits_only(text: str) -> None:
    """Full-width digits are ASCII after NFKC; any other script's digits (Arabic-Indic, Devanagari,
    superscripts...) would slip past matching and repeat-caller linking: refused."""
    if any(not c.isascii() and (c.isdigit() or unicodedata.category(c) == "Nd") for c in text):
        raise ValidationError(_("Write the number with the digits 0-9."))


def normalise_phone(raw: str) -> str:
    """The matching form of a phone number (ASCII digits), or ValidationError."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."))
    _ascii_digits_only(text)
    if re.search(r"[^0-9 \t()+\-]", text):
        raise ValidationError(_("A phone number holds only digits, spaces, brackets, + and -."))
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        if not digits.startswith("86"):
            raise ValidationError(_("Only mainland China numbers (+86) are accepted."))
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if MOBILE.match(digits) or LANDLINE.match(digits):
        return digits
    if LOCAL.match(digits):
        return settings.DEFAULT_AREA_CODE + digits
    raise ValidationError(_("Enter a mainland mobile number (11 digits) or a landline with its area code."))


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """An 18-character resident ID number, checked; 15-digit old numbers upgraded. Empty stays empty."""
    value = unicodedata.normalize("NFKC", raw or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    _ascii_digits_only(value)
    if re.fullmatch(r"[0-9]{15}", value):
        body = value[:6] + "19" + value[6:]
        value = body + id_check_digit(body)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise ValidationError(_("A resident ID number has 18 characters (or 15 digits for old numbers)."))
    if value[0] not in "12345678":
        raise ValidationError(_("This resident ID number has no valid region code."))
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("This resident ID number holds no real birth date.")) from None
    if not dt.date(1900, 1, 1) <= born <= (today or district_today()):
        raise ValidationError(_("This resident ID number holds no real birth date."))
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this resident ID number is wrong."))
    return value


_UNIT_WORDS = [
    (r"(\d+)号楼", r"\1栋"),
    (r"(\d+)[幢座]", r"\1栋"),
    (r"(\d+)(?:单元|门)", r"\1单元"),
    (r"(\d+)(?:室|房|户)", r"\1"),
    (r"(\d+)栋(\d+)单元(\d+)", r"\1栋\2单元\3"),
    # 3-2-501 and 3栋2-501: building, entrance, flat
    (r"(?<![\d-])(\d+)-(\d+)-(\d+)(?![\d-])", r"\1栋\2单元\3"),
    (r"(\d+)栋(\d+)-(\d+)(?![\d-])", r"\1栋\2单元\3"),
]


DWELLING = re.compile(r"\d+栋|\d+单元|\d{3,4}$")


def place_key(raw: str) -> str:
    """The same-place key of an address: its normal form when it names a dwelling (a building, an
    entrance or a flat), else empty. A bus stop or a crossroads hears many unrelated calls: counting
    them as one matter would bury the real repeats."""
    normal = normalise_address(raw)
    return normal if DWELLING.search(normal) else ""


def normalise_address(raw: str) -> str:
    """The matching form of an address (empty for an empty address)."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = re.sub(r"[\s,，.。;；:：'\"“”‘’()（）#]", "", text)
    text = text.replace("—", "-").replace("－", "-").replace("_", "-")
    for pattern, replacement in _UNIT_WORDS:
        text = re.sub(pattern, replacement, text)
    return text.lower()
