import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    PHONE_FORMAT,
    credit_code_check_char,
    normalize_credit_code,
    normalize_division_code,
    normalize_phone,
    normalize_resident_id,
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


def test_numbers_typed_in_full_width_mode_are_accepted_and_kept_in_ascii():
    # What a Chinese input method types in full-width mode, on a phone or a computer.
    assert normalize_phone("１３８\u3000１２３４\u3000５６７８") == "13812345678"
    assert normalize_phone("＋８６\u3000１３８１２３４５６７８") == "13812345678"
    assert normalize_phone("（０２０）１２３４５６７８") == "02012345678"
    assert normalize_phone("０２０－１２３４５６７８") == "020-12345678"
    validate_mainland_mobile("１３８１２３４５６７８")
    validate_mainland_phone("０２０－１２３４５６７８")
    assert normalize_resident_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    validate_resident_id("１１０１０５１９４９１２３１００２ｘ")
    assert normalize_division_code(" ４４０１０６ ") == "440106"
    validate_division_code("４４０１０６")
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３")


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        # Other scripts' digits are not ASCII digits in any form: refused, not stored.
        (validate_mainland_mobile, "١٣٨١٢٣٤٥٦٧٨"),
        (validate_mainland_phone, "٠٢٠-١٢٣٤٥٦٧٨"),
        (validate_division_code, "٤٤٠١٠٦"),
        (validate_resident_id, "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"),
        (validate_division_code, "44010６ab"),
    ],
)
def test_digits_of_other_scripts_are_refused(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


@pytest.mark.parametrize(
    "value",
    ["13812345678", "020-12345678", "02012345678", "0755-1234567-801", "12812345678",
     "1381234567", "020-1234", "0201234567890", "+8613812345678", "138 1234 5678"],
)  # fmt: skip
def test_the_api_format_and_the_service_agree_on_normalised_phones(value):
    """The API states the format of a normalised phone; the service takes the same numbers
    once spaces and +86 are dropped."""

    def accepted(check) -> bool:
        try:
            check(value)
        except ValidationError:
            return False
        return True

    service = accepted(validate_mainland_phone)
    api = accepted(PHONE_FORMAT)
    if value == normalize_phone(value):
        assert api == service
    else:
        assert not api  # the API takes phones already normalised
