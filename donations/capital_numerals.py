"""Amounts in Chinese capital numerals (大写金额), as printed on receipts: ¥1,050.00 → 壹仟零伍拾元整.

Follows the usual rules of Chinese financial writing: 拾 keeps its 壹 (壹拾元), one 零 stands
for any run of zeros between non-zero digits or groups, 整 ends an amount with no 角 or 分, and
a gift with 分 but no 角 reads 零X分.
"""

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("仟", "佰", "拾", "")
_GROUPS = ("", "万", "亿")


def _group(number: int) -> str:
    """0 < number < 10000, without leading 零."""
    text, zero_pending = "", False
    for unit, digit in zip(_IN_GROUP, f"{number:04d}", strict=True):
        if digit == "0":
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[int(digit)] + unit
    return text


def _integer(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large for capital numerals")
    text, zero_pending = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _group(group) + _GROUPS[index]
        zero_pending = False
    return text


def amount_in_capitals(amount: Decimal) -> str:
    """``Decimal("1050.00")`` → ``"壹仟零伍拾元整"``; amounts are yuan with at most 2 decimals."""
    if amount < 0:
        raise ValueError("a receipt amount is never negative")
    cents = int((amount * 100).to_integral_value())
    if Decimal(cents) != amount * 100:
        raise ValueError("an amount has at most two decimals")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao == 0:
        return text + ("零" if yuan else "") + DIGITS[fen] + "分"
    text += DIGITS[jiao] + "角"
    if fen:
        text += DIGITS[fen] + "分"
    return text
