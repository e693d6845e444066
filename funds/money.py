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
    """Split ``amount`` by ``percents`` so that the parts add up to exactly ``amount``.

    The percents are a campaign's shares and add up to 100 (the services, the admin and the
    database hold them to it); they are taken as weights all the same, so no split can credit
    more or less than the gift (60 % alone credits the whole gift, never 60 % of it plus a fen).
    Each part is rounded down to the fen; the fen left over go to the parts with the largest
    remainders (earlier parts first on a tie).
    """
    if amount < 0:
        return [-part for part in split_by_percent(-amount, percents)]
    weights = [Decimal(p) for p in percents]
    total_weight = sum(weights, Decimal(0))
    if not weights or total_weight <= 0 or any(w < 0 for w in weights):
        raise ValueError(f"cannot split by {percents!r}")
    total_cents = int((amount / CENT).to_integral_value())
    exact = [Decimal(total_cents) * w / total_weight for w in weights]
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
