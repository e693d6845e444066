"""Reads for the donations pages, admin and API; query counts do not grow with rows."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, Max, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from funds.models import Campaign, DisbursementRequest, Fund, LedgerEntry
from funds.money import MONEY_FIELD, ZERO
from funds.selectors import where_credits_went
from stations.models import Station

from .models import Donation, DonationPoint, Donor, GoodsItem, GoodsMovement, Receipt
from .services import SOURCE_TYPE
from .targets import Target

_QUANTITY = DecimalField(max_digits=12, decimal_places=3)


def public_point(code: str) -> DonationPoint:
    """The active donation point with this code; raises DonationPoint.DoesNotExist."""
    return (
        DonationPoint.objects.select_related("station")
        .prefetch_related(
            Prefetch("funds", queryset=Fund.objects.select_related("station", "host"))
        )
        .get(code=code, is_active=True, station__is_active=True)
    )


def point_for_giving(code: str) -> DonationPoint:
    """The active donation point with this code, for taking a gift: the narrow version of
    ``public_point`` (nothing for display). Raises DonationPoint.DoesNotExist."""
    return DonationPoint.objects.get(code=code, is_active=True, station__is_active=True)


def public_points() -> QuerySet[DonationPoint]:
    return (
        DonationPoint.objects.filter(is_active=True, station__is_active=True)
        .select_related("station")
        .order_by("station__path", "name")
    )


def public_donation(code: str) -> Donation:
    return Donation.objects.select_related(
        "fund__host", "campaign__host", "project", "point__station"
    ).get(code=code)


def valid_receipt_of(donation: Donation) -> Receipt | None:
    return donation.receipts.filter(status=Receipt.Status.VALID).first()


def raised_by_target(targets: list[Target]) -> dict[str, dict]:
    """{target key: {"total", "count"}} of confirmed gifts, in two queries for any number."""
    result: dict[str, dict] = defaultdict(lambda: {"total": ZERO, "count": 0})
    confirmed = Donation.objects.filter(status=Donation.Status.CONFIRMED)
    campaign_ids = [t.campaign.pk for t in targets if t.campaign]
    project_ids = [t.project.pk for t in targets if t.project]
    by_campaign = {
        row["campaign"]: row
        for row in confirmed.filter(campaign_id__in=campaign_ids)
        .values("campaign")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    }
    by_project = {
        row["project"]: row
        for row in confirmed.filter(project_id__in=project_ids)
        .values("project")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    }
    for target in targets:
        row: Mapping[str, Any] | None = None
        if target.campaign:
            row = by_campaign.get(target.campaign.pk)
        elif target.project:
            row = by_project.get(target.project.pk)
        if row:
            result[target.key] = {"total": row["total"], "count": row["count"]}
    return result


def hosts_and_filings(targets: list[Target]) -> list[dict]:
    """The host charities behind ``targets`` with the filing numbers of the public campaigns
    the gifts fall under (the targets' own campaigns and those led by their funds): one query."""
    today = timezone.localdate()
    fund_ids = {t.fund.pk for t in targets}
    led = Campaign.objects.filter(
        lead_fund_id__in=fund_ids,
        status=Campaign.Status.PUBLIC,
        starts_on__lte=today,
        ends_on__gte=today,
    ).values_list("host_id", "filing_number")
    filings: dict[int, list[str]] = defaultdict(list)
    for host_id, number in [*led, *((t.host.pk, t.filing_number) for t in targets)]:
        if number and number not in filings[host_id]:
            filings[host_id].append(number)
    hosts = {t.host.pk: t.host for t in targets}
    return [{"host": host, "filing_numbers": filings[pk]} for pk, host in hosts.items()]


def receipt_for_verification(number: str, check_code: str) -> Receipt | None:
    """The receipt with this number and check code; None when either is wrong."""
    receipt = (
        Receipt.objects.select_related("host", "donation__fund", "donation__project", "replaces")
        .filter(number=number)
        .first()
    )
    if receipt is None or receipt.check_code != check_code:
        return None
    return receipt


def credits_of(donation: Donation) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        source_type=SOURCE_TYPE, source_id=str(donation.pk), kind=LedgerEntry.Kind.DONATION
    ).select_related("fund", "project")


def _projects_paid_by(debits: list[LedgerEntry]) -> dict:
    """``source_id`` → project, for debits that pay a disbursement request, in one query."""
    request_ids = {
        int(debit.source_id)
        for debit in debits
        if debit.source_type == DisbursementRequest._meta.label_lower and debit.source_id.isdigit()
    }
    if not request_ids:
        return {}
    requests = DisbursementRequest.objects.filter(pk__in=request_ids).select_related("project")
    return {str(request.pk): request.project for request in requests}


def where_the_gift_went(donation: Donation) -> dict:
    """The funds the gift was credited to and the paid disbursements it was attributed to
    (project, amount, date), in at most four queries.

    Unrestricted money spent on a project is posted without a restriction, so the project
    it paid for is read from the disbursement request that the debit pays."""
    credits = list(credits_of(donation))
    attributions = list(where_credits_went([credit.pk for credit in credits]))
    paid_for = _projects_paid_by([a.debit for a in attributions if a.debit.project_id is None])
    spent: list[dict[str, Any]] = [
        {
            "project": attribution.debit.project or paid_for.get(attribution.debit.source_id),
            "fund": attribution.debit.fund,
            "amount": attribution.amount,
            "date": attribution.debit.posted_at,
            "memo": attribution.debit.memo,
        }
        for attribution in attributions
    ]
    total_spent = sum((row["amount"] for row in spent), ZERO)
    return {
        "credits": credits,
        "spent": spent,
        "total_spent": total_spent,
        "unspent": sum((c.amount for c in credits), ZERO) - total_spent,
    }


def donor_gifts(mobile: str) -> QuerySet[Donation]:
    """The confirmed (and refunded) gifts made with ``mobile``, newest first."""
    return (
        Donation.objects.filter(
            mobile=mobile, status__in=[Donation.Status.CONFIRMED, Donation.Status.REFUNDED]
        )
        .select_related("fund", "project", "campaign")
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("-pk")))
        .order_by("-confirmed_at", "-pk")
    )


def donor_gifts_in_year(mobile: str, year: int) -> list[Donation]:
    return list(
        donor_gifts(mobile)
        .filter(status=Donation.Status.CONFIRMED, confirmed_at__year=year)
        .order_by("confirmed_at", "pk")
    )


def with_donor_totals(donors: QuerySet[Donor], *, stations=None) -> QuerySet[Donor]:
    """Donors annotated with the total and number of their confirmed gifts and the last one;
    with ``stations`` (a queryset), only the gifts to funds at those stations count."""
    confirmed = Q(donations__status=Donation.Status.CONFIRMED)
    if stations is not None:
        confirmed &= Q(donations__fund__station__in=stations)
    return donors.annotate(
        total_given=Coalesce(
            Sum("donations__amount", filter=confirmed), Value(ZERO), output_field=MONEY_FIELD
        ),
        gift_count=Count("donations", filter=confirmed),
        last_gift_at=Max("donations__confirmed_at", filter=confirmed),
    )


def donations_for_export(queryset: QuerySet[Donation]) -> QuerySet[Donation]:
    return (
        queryset.select_related("fund__station", "campaign", "project", "point")
        .prefetch_related(None)
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("-pk")))
    )


# --- in-kind goods ---------------------------------------------------------------------------


def expiring_lots(
    *, queryset: QuerySet[GoodsItem] | None = None, today=None, within_days: int | None = None
) -> QuerySet[GoodsItem]:
    """Lots with stock left whose expiry date falls within ``within_days`` (setting
    DONATIONS_GOODS_EXPIRY_WARNING_DAYS) from ``today``, already expired ones included,
    soonest first."""
    today = today or timezone.localdate()
    if within_days is None:
        within_days = settings.DONATIONS_GOODS_EXPIRY_WARNING_DAYS
    queryset = GoodsItem.objects.all() if queryset is None else queryset
    return (
        queryset.filter(
            remaining__gt=0,
            expiry_date__isnull=False,
            expiry_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("station", "donation__point")
        .order_by("expiry_date", "pk")
    )


def goods_counts(station: Station) -> dict:
    """Goods received and given out at ``station`` and below, as counts for public pages:
    donations, items (lines) received, units distributed (adjustments are not counts of
    giving). Two queries whatever the number of rows."""
    lots = GoodsItem.objects.filter(station__path__startswith=station.path)
    received = lots.aggregate(donations=Count("donation", distinct=True), items=Count("pk"))
    distributed = GoodsMovement.objects.filter(
        lot__station__path__startswith=station.path, kind__in=GoodsMovement.OUT_KINDS
    ).aggregate(units=Coalesce(Sum("change"), Value(Decimal(0)), output_field=_QUANTITY))
    return {
        "donations": received["donations"],
        "items": received["items"],
        "units_distributed": -distributed["units"],
    }
