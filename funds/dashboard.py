"""The figures of the committee dashboard and the public fund page, and the host's spending
ratios. Every function runs a fixed number of queries, however many ledger entries there are.

Ledger sums read the monthly roll-up plus the entries not rolled up yet (``funds.rollups``),
so their cost follows the number of months, not of entries; the figures are the same as sums
over the raw ledger. Disbursement requests and votes are read raw: they are few.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import rollups
from .models import (
    Campaign,
    CommitteeMember,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
    LedgerMonth,
)
from .money import MONEY_FIELD, ZERO, round_money
from .selectors import campaigns_with_raised

PAID = (DisbursementRequest.Status.PAID, DisbursementRequest.Status.RECONCILED)

# Money out for the fund's purpose: disbursements and the reversals of disbursements. All
# other entries (donations, refunds, transfers, adjustments and their reversals) are income.
SPENDING = Q(kind=LedgerEntry.Kind.DISBURSEMENT) | Q(
    kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.DISBURSEMENT
)
INCOME = ~SPENDING
# The same, on the columns of a roll-up source (funds.rollups.LEDGER).
ROLLED_SPENDING = Q(kind=LedgerEntry.Kind.DISBURSEMENT) | Q(
    kind=LedgerEntry.Kind.REVERSAL, reversed_kind=LedgerEntry.Kind.DISBURSEMENT
)
ROLLED_INCOME = ~ROLLED_SPENDING

# Channel names for the sources other apps post from; the rest are named by entry kind.
CHANNELS = {"donations.donation": gettext_lazy("Donations")}


def _sum(field: str = "amount", **kwargs):
    return Coalesce(Sum(field, **kwargs), Value(ZERO), output_field=MONEY_FIELD)


# --- Spending ratios ------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendingRatios:
    """A host's charitable-spending and administrative-cost position for one year."""

    year: int
    income_last_year: Decimal
    charitable_spending: Decimal
    admin_cost: Decimal
    required_charitable: Decimal
    still_to_spend: Decimal
    charitable_ratio: Decimal | None  # charitable spending / last year's income
    admin_ratio: Decimal | None  # administrative cost / the year's total spending
    admin_limit: Decimal
    admin_exempt: bool
    admin_exempt_below: Decimal

    @property
    def total_spending(self) -> Decimal:
        return self.charitable_spending + self.admin_cost

    @property
    def charitable_ok(self) -> bool:
        return self.still_to_spend == 0

    @property
    def admin_ok(self) -> bool:
        return self.admin_exempt or self.admin_ratio is None or self.admin_ratio <= self.admin_limit


def spending_ratios(
    *,
    year: int,
    host_kind: str,
    income_last_year: Decimal,
    charitable_spending: Decimal,
    admin_cost: Decimal,
) -> SpendingRatios:
    """The rule of DOMAIN.md with the limits configured in settings (``FUNDS_*``)."""
    minimum = settings.FUNDS_MIN_CHARITABLE_SPENDING_RATIO
    required = round_money(income_last_year * minimum)
    total = charitable_spending + admin_cost
    return SpendingRatios(
        year=year,
        income_last_year=income_last_year,
        charitable_spending=charitable_spending,
        admin_cost=admin_cost,
        required_charitable=required,
        still_to_spend=max(required - charitable_spending, ZERO),
        charitable_ratio=(charitable_spending / income_last_year).quantize(Decimal("0.0001"))
        if income_last_year > 0
        else None,
        admin_ratio=(admin_cost / total).quantize(Decimal("0.0001")) if total > 0 else None,
        admin_limit=settings.FUNDS_ADMIN_COST_LIMITS[host_kind],
        admin_exempt=admin_cost < settings.FUNDS_ADMIN_COST_EXEMPT_BELOW,
        admin_exempt_below=settings.FUNDS_ADMIN_COST_EXEMPT_BELOW,
    )


def host_spending_ratios(host: HostCharity, *, year: int) -> SpendingRatios:
    """The host's ratios over all its funds on the platform, in two queries."""
    last_year = datetime.date(year - 1, 1, 1)
    income = rollups.totals(
        rollups.HOST_LEDGER,
        where=ROLLED_INCOME
        & Q(host=host.pk, month__gte=last_year, month__lt=last_year.replace(year=year)),
        sums={"total": rollups.net},
    )["total"]
    spending = DisbursementRequest.objects.filter(
        fund__host=host, status__in=PAID, paid_at__year=year
    ).aggregate(
        charitable=_sum(filter=Q(is_administrative=False)),
        admin=_sum(filter=Q(is_administrative=True)),
    )
    return spending_ratios(
        year=year,
        host_kind=host.kind,
        income_last_year=round_money(income),
        charitable_spending=round_money(spending["charitable"]),
        admin_cost=round_money(spending["admin"]),
    )


# --- Fund figures ---------------------------------------------------------------------------


def income_by_channel(fund: Fund, *, today: datetime.date) -> list[dict]:
    """[{label, month, year}] of this year's income, by channel, in one query."""
    year_start, month_start = today.replace(month=1, day=1), today.replace(day=1)
    rows = rollups.grouped_sums(
        rollups.LEDGER,
        where=ROLLED_INCOME & Q(fund=fund, month__gte=year_start),
        group=["source_type", "kind"],
        sums={"year": rollups.net, "month": lambda: rollups.net(Q(month__gte=month_start))},
    )
    merged: dict[str, dict] = {}
    for row in rows:
        if not row["year"] and not row["month"]:
            continue
        label = CHANNELS.get(row["source_type"]) or LedgerEntry.Kind(row["kind"]).label
        item = merged.setdefault(str(label), {"label": label, "month": ZERO, "year": ZERO})
        item["month"] += row["month"]
        item["year"] += row["year"]
    return sorted(merged.values(), key=lambda item: -item["year"])


def income_by_campaign(fund: Fund, *, today: datetime.date) -> list[dict]:
    year_start, month_start = today.replace(month=1, day=1), today.replace(day=1)
    rows = rollups.grouped_sums(
        rollups.LEDGER,
        where=ROLLED_INCOME & Q(fund=fund, campaign__isnull=False, month__gte=year_start),
        group=["campaign__title"],
        sums={"year": rollups.net, "month": lambda: rollups.net(Q(month__gte=month_start))},
    )
    return [
        {"label": r["campaign__title"], "month": r["month"], "year": r["year"]}
        for r in sorted(rows, key=lambda r: -r["year"])
        if r["year"] or r["month"]
    ]


def balances_and_restricted(fund: Fund) -> tuple[dict, list[dict]]:
    """The fund's balances (as ``selectors.fund_balances``) and its restricted balance per
    project title, from one roll-up query."""
    rows = rollups.grouped_sums(
        rollups.LEDGER,
        where=Q(fund=fund),
        group=["project", "project__title"],
        sums={"balance": rollups.net},
    )
    total = sum((r["balance"] for r in rows), ZERO)
    unrestricted = sum((r["balance"] for r in rows if r["project"] is None), ZERO)
    by_title: dict[str, Decimal] = {}
    for r in rows:
        if r["project"] is not None:
            by_title[r["project__title"]] = by_title.get(r["project__title"], ZERO) + r["balance"]
    balances = {"total": total, "unrestricted": unrestricted, "restricted": total - unrestricted}
    restricted = [
        {"project": title, "balance": balance}
        for title, balance in sorted(by_title.items())
        if balance != 0
    ]
    return balances, restricted


def disbursements_by_project(fund: Fund, *, today: datetime.date) -> list[dict]:
    rows = (
        DisbursementRequest.objects.filter(fund=fund, status__in=PAID)
        .values("project__title")
        .annotate(
            total=_sum(),
            year=_sum(filter=Q(paid_at__year=today.year)),
            count=Count("pk"),
        )
        .order_by("-total")
    )
    return list(rows)


def monthly_flows(fund: Fund, *, today: datetime.date, months: int = 12) -> list[dict]:
    """[{month (date), income, spending}] for the last ``months`` months, oldest first."""
    first = today.replace(day=1)
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = rollups.grouped_sums(
        rollups.LEDGER,
        where=Q(fund=fund, month__gte=first),
        group=["month"],
        sums={
            "income": lambda: rollups.net(ROLLED_INCOME),
            "spending": lambda: rollups.net(ROLLED_SPENDING),
        },
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        key = month.date() if isinstance(month, datetime.datetime) else month
        by_month[key] = row
    result, month = [], first
    for _step in range(months):
        row = by_month.get(month, {})
        result.append(
            {
                "month": month,
                "income": round_money(row.get("income", ZERO)),
                "spending": round_money(-row.get("spending", ZERO)),
            }
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def fund_campaigns(fund: Fund, *, public_only: bool = False) -> list[Campaign]:
    """The fund's campaigns with ``raised`` (every entry posted for them, on any fund), in
    one query: per campaign, its roll-up rows plus its entries past the roll-up's cursor."""
    campaigns = Campaign.objects.filter(Q(lead_fund=fund) | Q(shares__fund=fund)).distinct()
    if public_only:
        campaigns = campaigns.exclude(status=Campaign.Status.DRAFT)
    campaigns = campaigns.select_related("host", "lead_fund").order_by("-starts_on")
    if not rollups.enabled():
        return list(campaigns_with_raised(campaigns))

    def rolled_up(position: int) -> list[Campaign]:
        months = (
            LedgerMonth.objects.filter(campaign=OuterRef("pk"))
            .order_by()
            .values("campaign")
            .annotate(total=Sum(F("credit") + F("debit"), output_field=MONEY_FIELD))
            .values("total")
        )
        tail = (
            LedgerEntry.objects.filter(campaign=OuterRef("pk"), pk__gt=position)
            .order_by()
            .values("campaign")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return list(
            campaigns.annotate(
                raised=Coalesce(Subquery(months, output_field=MONEY_FIELD), Value(ZERO))
                + Coalesce(Subquery(tail, output_field=MONEY_FIELD), Value(ZERO)),
                rollup_position=rollups.position_subquery(rollups.LEDGER_CURSOR),
            )
        )

    return rollups.consistent_read(rollups.LEDGER, rolled_up)


def fund_totals(fund: Fund) -> dict:
    """All-time money raised and spent, one query."""
    totals = rollups.totals(
        rollups.LEDGER,
        where=Q(fund=fund),
        sums={
            "raised": lambda: rollups.net(ROLLED_INCOME),
            "spent": lambda: rollups.net(ROLLED_SPENDING),
        },
    )
    return {"raised": totals["raised"], "spent": -totals["spent"]}


def requests_in_voting(fund: Fund, seat: CommitteeMember | None) -> QuerySet[DisbursementRequest]:
    requests = (
        DisbursementRequest.objects.filter(fund=fund, status=DisbursementRequest.Status.VOTING)
        .select_related("project", "budget_line")
        .annotate(vote_count=Count("votes"))
        .order_by("submitted_at", "pk")
    )
    if seat is not None:
        from .models import Vote

        requests = requests.annotate(
            voted_by_me=Exists(Vote.objects.filter(request=OuterRef("pk"), member=seat))
        )
    return requests


def dashboard(fund: Fund, *, user, members: list[CommitteeMember]) -> dict:
    """Everything the committee dashboard shows, in a fixed number of queries."""
    with rollups.reading(rollups.LEDGER):
        return _dashboard(fund, user=user, members=members)


def _dashboard(fund: Fund, *, user, members: list[CommitteeMember]) -> dict:
    from .selectors import composition_problems, recusal_reason

    today = timezone.localdate()
    seat = next((m for m in members if m.user_id == user.pk and m.serves_on(today)), None)
    waiting = []
    for request in requests_in_voting(fund, seat):
        request.recusal = recusal_reason(seat, request) if seat else None
        request.can_vote = bool(
            seat and seat.is_voting and not request.voted_by_me and not request.recusal
        )
        request.can_give_opinion = bool(seat and seat.role == CommitteeMember.Role.SUPERVISOR)
        waiting.append(request)
    balances, restricted = balances_and_restricted(fund)
    return {
        "today": today,
        "seat": seat,
        "balances": balances,
        "restricted": restricted,
        "income_by_channel": income_by_channel(fund, today=today),
        "income_by_campaign": income_by_campaign(fund, today=today),
        "disbursements": disbursements_by_project(fund, today=today),
        "waiting": waiting,
        "my_votes_waiting": [r for r in waiting if r.can_vote],
        "ratios": host_spending_ratios(fund.host, year=today.year),
        "flows": monthly_flows(fund, today=today),
        "campaigns": fund_campaigns(fund),
        "composition_problems": composition_problems(fund, members=members),
    }
