import pytest
from django.core.exceptions import ValidationError

from stations.validators import (
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_division_code,
    validate_mainland_mobile,
    validate_mainland_phone,
    validate_resident_id,
)


def test_resident_id_check_digit_worked_example():
    # The GB 11643 worked example: 11010519491231002X.
    assert resident_id_check_char("11010519491231002") == "X"
    validate_resident_id("11010519491231002X")
    validate_resident_id("11010519491231002x")


@pytest.mark.parametrize(
    "value",
    ["110105194912310021", "11010519491331002X", "1101051949123100", "abcdefghijklmnopqr", ""],
)
def test_bad_resident_ids_are_refused(value):
    with pytest.raises(ValidationError):
        validate_resident_id(value)


def test_credit_code_check_character():
    # A well-known valid code (the example in GB 32100's annex).
    assert credit_code_check_char("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100YO3")


@pytest.mark.parametrize("value", ["13812345678", "+8613812345678", "199 1234 5678"])
def test_mobiles(value):
    validate_mainland_mobile(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "020-12345678", "abc"])
def test_not_mobiles(value):
    with pytest.raises(ValidationError):
        validate_mainland_mobile(value)


@pytest.mark.parametrize(
    "value", ["020-12345678", "02012345678", "0755-1234567-801", "13812345678"]
)
def test_phones(value):
    validate_mainland_phone(value)


@pytest.mark.parametrize("value", ["12345", "20-12345678", "phone"])
def test_not_phones(value):
    with pytest.raises(ValidationError):
        validate_mainland_phone(value)


@pytest.mark.parametrize(("value", "ok"), [("440106", True), ("440106001", True), ("4401", False)])
def test_division_codes(value, ok):
    if ok:
        validate_division_code(value)
    else:
        with pytest.raises(ValidationError):
            validate_division_code(value)
