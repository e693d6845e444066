from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from donations.capital_numerals import DIGITS, amount_in_capitals


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1050.00", "壹仟零伍拾元整"),
        ("0.00", "零元整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("100", "壹佰元整"),
        ("1001", "壹仟零壹元整"),
        ("10010", "壹万零壹拾元整"),
        ("20000", "贰万元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("1000010", "壹佰万零壹拾元整"),
        ("50000", "伍万元整"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("1.50", "壹元伍角"),
        ("10.05", "壹拾元零伍分"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_known_amounts(amount, words):
    assert amount_in_capitals(Decimal(amount)) == words


def test_negative_or_fractional_fen_is_refused():
    with pytest.raises(ValueError):
        amount_in_capitals(Decimal("-1"))
    with pytest.raises(ValueError):
        amount_in_capitals(Decimal("0.001"))


_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def read_back(words: str) -> int:
    """An independent reader of capital numerals, to check the writer (returns fen)."""
    yuan_part, _sep, rest = words.partition("元")
    if "元" not in words:
        yuan_part, rest = "", words
    total, section, digit = 0, 0, 0
    for char in yuan_part:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in _UNITS:
            section += digit * _UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    fen = (total + section + digit) * 100
    for index, char in enumerate(rest):
        if char == "角":
            fen += DIGITS.index(rest[index - 1]) * 10
        elif char == "分":
            fen += DIGITS.index(rest[index - 1])
    return fen


@given(st.integers(min_value=0, max_value=99_999_999_999_999))
def test_every_amount_reads_back_to_itself(cents):
    amount = Decimal(cents) / 100
    words = amount_in_capitals(amount)
    assert read_back(words) == cents
    assert "零零" not in words
    assert not words.endswith("零")
