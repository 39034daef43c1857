"""Personal data as most people see it: masked."""

from __future__ import annotations

import logging
import re


def mask_phone(phone: str) -> str:
    """13800138000 → 138****8000; short numbers keep only their last two digits."""
    digits = phone or ""
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_id_number(number: str) -> str:
    """420103199001011234 → 420103********1234."""
    value = number or ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """陈女士 → 陈**; 欧阳娜娜 → 欧***: the family name's first character stays."""
    value = (name or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


# --- logs ------------------------------------------------------------------------------------------

# A run of 7 or more digits (a phone, part of one, a resident ID with its check character), not inside a
# longer word: SQL in an error's traceback carries them; nothing a log needs is that long a number.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])(\d{7,}[Xx]?)(?![0-9A-Za-z])")


def _mask_run(match: re.Match[str]) -> str:
    digits = match.group(1)
    return mask_id_number(digits) if len(digits) >= 15 else mask_phone(digits)


def mask_text(text: str) -> str:
    """Phone numbers and resident IDs in free text (a log line, a traceback) masked."""
    return _DIGIT_RUN.sub(_mask_run, text) if text else text


class PersonalDataFilter(logging.Filter):
    """Masks phone numbers and resident IDs in every record a handler writes: the message with its
    arguments, the traceback and the stack. Installed on every handler in settings.LOGGING."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw text, masked
            message = str(record.msg)
        record.msg, record.args = mask_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
