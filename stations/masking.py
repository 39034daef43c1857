"""Personal data as most people see it: masked."""

from __future__ import annotations


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
