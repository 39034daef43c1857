from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes.identity import id_check_digit, normalise_address, normalise_id_number, normalise_phone


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("８６１３８００１３８０００", "13800138000"),
        ("027-85551234", "02785551234"),
        ("(027) 8555 1234", "02785551234"),
        ("0710-3456789", "07103456789"),
        ("85551234", "02785551234"),
    ],
)
def test_phones_take_one_normal_form(raw, normal):
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["", "110", "12345678901", "+1 212 555 0100", "1380013800a", "23800138000"])
def test_bad_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def make_id(body17: str) -> str:
    return body17 + id_check_digit(body17)


def test_a_valid_resident_id_passes_and_x_is_upper_cased():
    number = make_id("42010319900101123")
    assert normalise_id_number(number) == number
    x_number = next(make_id(f"4201031985061512{i}") for i in range(10) if make_id(f"4201031985061512{i}")[-1] == "X")
    assert normalise_id_number(x_number.lower()) == x_number


def test_an_old_fifteen_digit_id_is_upgraded():
    assert normalise_id_number("420103900101123") == make_id("42010319900101123")


@pytest.mark.parametrize(
    "raw",
    [
        "4201031990010112",  # 16 characters
        make_id("42010319900101123")[:-1] + ("0" if make_id("42010319900101123")[-1] != "0" else "1"),  # check digit
        make_id("42010319901301123"),  # month 13
        make_id("42010320990101123"),  # born in the future
        make_id("02010319900101123"),  # no region
    ],
)
def test_bad_resident_ids_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_id_number(raw, today=dt.date(2026, 11, 29))


@pytest.mark.parametrize(
    "variant",
    [
        "江汉区前进一路88号3栋2单元501室",
        "江汉区前进一路８８号　3幢2单元501",
        "江汉区 前进一路 88号 3-2-501",
        "江汉区前进一路88号3号楼2门501房",
    ],
)
def test_address_variants_meet_in_one_form(variant):
    assert normalise_address(variant) == normalise_address("江汉区前进一路88号3栋2单元501室")


def test_different_flats_stay_different():
    assert normalise_address("前进一路88号3栋2单元501") != normalise_address("前进一路88号3栋2单元502")


@pytest.mark.parametrize(
    ("address", "is_place"),
    [
        ("江汉区前进一路88号3栋2单元501室", True),
        ("江汉区前进一路88号3-2-501", True),
        ("江汉区新华路12号1201", True),
        ("江汉区中山大道114号便利店门口", False),
        ("江汉区解放大道与青年路交叉口", False),
        ("江汉区建设大道公交站", False),
    ],
)
def test_only_dwellings_count_as_the_same_place(address, is_place):
    from disputes.identity import place_key

    assert bool(place_key(address)) is is_place
