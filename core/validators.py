"""Validators for the identifiers people type on the mainland: phones, division codes, resident
ID numbers (GB 11643) and unified social credit codes (GB 32100).

Every app validates these the same way, so they live here in the base app.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Each format is written once, ASCII only ([0-9], not \d, which also matches other scripts'
# digits): the service validators below and the API's format validators at the end share it.
# What people type in a Chinese input method's full-width mode (１３８…, Ｘ) is turned into
# ASCII first, by the normalize_* functions.
_MOBILE = r"1[3-9][0-9]{9}"
# Landline: area code 0xx / 0xxx, 7 or 8 digits, optional extension.
_LANDLINE = r"0[0-9]{2,3}-?[0-9]{7,8}(?:-[0-9]{1,6})?"
_RESIDENT_ID = r"[0-9]{17}[0-9X]"
_DIVISION_CODE = r"(?:[0-9]{6}|[0-9]{9}|[0-9]{12})"
_CREDIT_CODE = r"[0-9A-HJ-NPQRTUWXY]{18}"

_MOBILE_RE = re.compile(f"^{_MOBILE}$")
_LANDLINE_RE = re.compile(f"^{_LANDLINE}$")
_DIVISION_CODE_RE = re.compile(f"^{_DIVISION_CODE}$")
_SEPARATORS_RE = re.compile(r"[\s()]")

# One text per format, for the validators below and the API's format validators at the end.
PHONE_MESSAGE = _(
    "Enter a mainland phone number: a mobile number such as 13812345678 or a "
    "landline with its area code such as 020-12345678."
)
DIVISION_CODE_MESSAGE = _("An administrative division code has 6, 9 or 12 digits, such as 440106.")
RESIDENT_ID_MESSAGE = _("A resident ID number has 18 characters: 17 digits and a digit or X.")
CREDIT_CODE_MESSAGE = _(
    "A unified social credit code has 18 digits or capital letters (no I, O, S, V, Z)."
)


def ascii_form(value: str) -> str:
    """``value`` with full-width characters as ASCII (Unicode NFKC): a number typed in a
    Chinese input method's full-width mode, １３８１２３４５６７８ or （０２０）, becomes
    13812345678 or (020). Only for identifiers: names keep what was typed."""
    return unicodedata.normalize("NFKC", value or "")


def normalize_phone(value: str) -> str:
    """ASCII digits, without spaces, brackets or a +86 country prefix; landlines keep their
    hyphens."""
    value = _SEPARATORS_RE.sub("", ascii_form(value))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :].lstrip("-")
    return value


def is_mainland_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match(normalize_phone(value).replace("-", "")))


def validate_mainland_mobile(value: str) -> None:
    if not is_mainland_mobile(value):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, such as 13812345678."),
            code="invalid_mobile",
        )


def validate_mainland_phone(value: str) -> None:
    """A mobile number, or a landline with its area code such as 020-12345678."""
    normalized = normalize_phone(value)
    if _MOBILE_RE.match(normalized.replace("-", "")) or _LANDLINE_RE.match(normalized):
        return
    raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def normalize_division_code(value: str) -> str:
    return ascii_form(value).strip()


def validate_division_code(value: str) -> None:
    """Administrative division codes have 6 (county), 9 (township) or 12 (village) digits."""
    if not _DIVISION_CODE_RE.match(normalize_division_code(value)):
        raise ValidationError(DIVISION_CODE_MESSAGE, code="invalid_division_code")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(f"^{_RESIDENT_ID}$")


def normalize_resident_id(value: str) -> str:
    """How an ID number is stored, hashed and compared: ASCII, trimmed, a capital X."""
    return ascii_form(value).strip().upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def resident_id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    value = normalize_resident_id(value)
    if not _ID_RE.match(value):
        raise ValidationError(RESIDENT_ID_MESSAGE, code="invalid_id_format")
    birth = resident_id_birth_date(value)
    if birth is None or birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(
            _("The birth date inside this ID number is not a real date."),
            code="invalid_id_birth_date",
        )
    if resident_id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("This ID number's check digit is wrong; please check each digit again."),
            code="invalid_id_check_digit",
        )


# GB 32100: 18 characters from this alphabet (no I, O, S, V, Z), last one a check character.
_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(
        _CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return _CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return ascii_form(value).strip().upper()


def validate_credit_code(value: str) -> None:
    value = normalize_credit_code(value)
    if len(value) != 18 or any(char not in _CREDIT_CODE_CHARS for char in value):
        raise ValidationError(CREDIT_CODE_MESSAGE, code="invalid_credit_code_format")
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("This unified social credit code's check character is wrong."),
            code="invalid_credit_code_check",
        )


# The same formats as regular expressions, for API fields: the API schema states them, so a
# client knows them before sending (check characters and birth dates are checked above). A
# blank optional field is accepted before any validator runs.
CREDIT_CODE_FORMAT = RegexValidator(
    f"^{_CREDIT_CODE}$",
    CREDIT_CODE_MESSAGE,
    code="invalid_credit_code_format",
)
RESIDENT_ID_FORMAT = RegexValidator(
    f"^{_RESIDENT_ID}$",
    RESIDENT_ID_MESSAGE,
    code="invalid_id_format",
)
DIVISION_CODE_FORMAT = RegexValidator(
    f"^{_DIVISION_CODE}$",
    DIVISION_CODE_MESSAGE,
    code="invalid_division_code",
)
PHONE_FORMAT = RegexValidator(
    f"^(?:{_MOBILE}|{_LANDLINE})$",
    PHONE_MESSAGE,
    code="invalid_phone",
)
