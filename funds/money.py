"""Money as Decimal yuan with two places: parsing, the one rounding rule, and fair splits."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import DecimalField
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Every amount column: yuan with two decimals, up to MAX_AMOUNT.
MONEY = {"max_digits": 14, "decimal_places": 2}
# The output field of sums and coalesces over amount columns.
MONEY_FIELD = DecimalField(**MONEY)
MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """A positive amount of yuan with at most two decimals, or a ValidationError saying why."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("Enter an amount in yuan, such as 100 or 12.50.")}
        ) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, such as 100 or 12.50.")})
    if amount <= 0:
        raise ValidationError({field: _("The amount must be greater than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("An amount has at most two decimals (fen).")})
    return amount.quantize(CENT)


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_by_percent(amount: Decimal, percents: list[Decimal]) -> list[Decimal]:
    """Split ``amount`` by ``percents`` (summing to 100) so that the parts add up exactly.

    Each part is rounded down to the fen; the fen left over go to the parts with the largest
    remainders (earlier parts first on a tie).
    """
    total_cents = int((amount / CENT).to_integral_value())
    exact = [Decimal(total_cents) * p / Decimal(100) for p in percents]
    cents = [int(x) for x in exact]
    leftover = total_cents - sum(cents)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - cents[i]), i))
    for i in by_remainder[:leftover]:
        cents[i] += 1
    return [Decimal(c) * CENT for c in cents]


def format_yuan(amount: Decimal) -> str:
    """¥1,234.50"""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
