"""Balances and traces read from the ledger; each is one aggregate query."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import Attribution, Fund, LedgerEntry
from .money import round_money

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _entries(fund: Fund, as_of: datetime.datetime | None) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.filter(fund=fund)
    return entries.filter(posted_at__lte=as_of) if as_of else entries


def fund_balances(fund: Fund, *, as_of: datetime.datetime | None = None) -> dict:
    """Total, unrestricted and restricted balance of ``fund`` (as of a moment), one query."""
    totals = _entries(fund, as_of).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY),
        unrestricted=Coalesce(
            Sum("amount", filter=Q(project__isnull=True)), Value(ZERO), output_field=_MONEY
        ),
    )
    # Rounded to the fen: SQLite (quick local runs) sums decimals as floating point.
    total, unrestricted = round_money(totals["total"]), round_money(totals["unrestricted"])
    return {"total": total, "unrestricted": unrestricted, "restricted": total - unrestricted}


def fund_balance(fund: Fund, *, as_of: datetime.datetime | None = None) -> Decimal:
    return fund_balances(fund, as_of=as_of)["total"]


def restricted_balances(
    fund: Fund, *, as_of: datetime.datetime | None = None
) -> dict[int, Decimal]:
    """{project id: balance restricted to that project} for every project with entries."""
    rows = (
        _entries(fund, as_of)
        .filter(project__isnull=False)
        .values("project")
        .annotate(balance=Sum("amount"))
        .order_by("project")
    )
    return {row["project"]: round_money(row["balance"]) for row in rows}


def available_balance(fund: Fund, *, project_id: int | None) -> Decimal:
    """The balance restricted to ``project_id``, or the unrestricted balance when None."""
    balance = LedgerEntry.objects.filter(fund=fund, project_id=project_id).aggregate(
        balance=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY)
    )["balance"]
    return round_money(balance)


def unspent_credits(fund: Fund, *, project_id: int | None) -> QuerySet[LedgerEntry]:
    """Credits of one restriction that are not yet fully attributed, oldest first."""
    return (
        LedgerEntry.objects.filter(fund=fund, project_id=project_id, amount__gt=0)
        .annotate(
            used=Coalesce(Sum("attributions_as_credit__amount"), Value(ZERO), output_field=_MONEY)
        )
        .filter(amount__gt=F("used"))
        .order_by("posted_at", "pk")
    )


def where_credits_went(credit_ids: list[int]) -> QuerySet[Attribution]:
    """The attributions of these credits to debits (money out), with the debit entries."""
    return (
        Attribution.objects.filter(credit_id__in=credit_ids)
        .select_related("debit", "debit__project", "debit__fund")
        .order_by("debit__posted_at", "pk")
    )
