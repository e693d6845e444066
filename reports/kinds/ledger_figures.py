"""Ledger aggregates shared by the fund and station kinds: each function is one query."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from funds.models import LedgerEntry
from funds.money import MONEY_FIELD, ZERO, round_money

from ..periods import Period

# Net donations: gifts, refunds of gifts, and reversals of either.
INCOME_KINDS = (LedgerEntry.Kind.DONATION, LedgerEntry.Kind.REFUND)
# Charitable spending: disbursements and their reversals.
SPENDING_KINDS = (LedgerEntry.Kind.DISBURSEMENT,)


def money_sum(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum("amount", filter=condition), Value(ZERO), output_field=MONEY_FIELD)


def in_period(period: Period, prefix: str = "") -> Q:
    start, end = period.bounds()
    return Q(**{f"{prefix}posted_at__gte": start, f"{prefix}posted_at__lt": end})


def before(period: Period) -> Q:
    return Q(posted_at__lt=period.bounds()[0])


def through(period: Period) -> Q:
    return Q(posted_at__lt=period.bounds()[1])


def of_kinds(kinds) -> Q:
    """Entries of these kinds, and the reversals of entries of these kinds."""
    return Q(kind__in=kinds) | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind__in=kinds)


# The reports' own names for ledger kinds, as a reader of a financial report expects them.
KIND_LABELS = {
    LedgerEntry.Kind.DONATION: pgettext_lazy("ledger kind", "Donations"),
    LedgerEntry.Kind.REFUND: pgettext_lazy("ledger kind", "Refunds"),
    LedgerEntry.Kind.DISBURSEMENT: pgettext_lazy("ledger kind", "Disbursements"),
    LedgerEntry.Kind.TRANSFER: pgettext_lazy("ledger kind", "Transfers"),
    LedgerEntry.Kind.ADJUSTMENT: pgettext_lazy("ledger kind", "Adjustments"),
    LedgerEntry.Kind.REVERSAL: pgettext_lazy("ledger kind", "Reversals"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind) or LedgerEntry.Kind(kind).label)


KIND_ORDER = {kind: index for index, kind in enumerate(LedgerEntry.Kind.values)}


def balances(entries: QuerySet[LedgerEntry], period: Period) -> dict[str, Decimal]:
    """Opening and closing balance, money in and out during ``period``: one query."""
    totals = entries.aggregate(
        opening=money_sum(before(period)),
        closing=money_sum(through(period)),
        money_in=money_sum(in_period(period) & Q(amount__gt=0)),
        money_out=money_sum(in_period(period) & Q(amount__lt=0)),
    )
    return {key: round_money(value) for key, value in totals.items()}


def sums_by(entries: QuerySet[LedgerEntry], fields: list[str], **columns: Q) -> list[dict]:
    """One row per distinct ``fields`` with a money sum per named condition: one query."""
    rows = (
        entries.values(*fields)
        .annotate(**{name: money_sum(condition) for name, condition in columns.items()})
        .order_by(*fields)
    )
    result = []
    for row in rows:
        for name in columns:
            row[name] = round_money(row[name])
        if any(row[name] for name in columns):
            result.append(row)
    return result


def unrestricted_label() -> str:
    return _("Unrestricted money (no project)")


def no_campaign_label() -> str:
    return _("Not through a campaign")
