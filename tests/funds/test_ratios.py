"""The host's yearly spending ratios on a worked example (DOMAIN.md)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funds import services
from funds.dashboard import host_spending_ratios, spending_ratios
from funds.models import DisbursementRequest, LedgerEntry

D = Decimal


def test_worked_example_for_a_social_organisation():
    # Last year's income ¥1,000,000; this year ¥500,000 charitable and ¥80,000 administrative.
    ratios = spending_ratios(
        year=2026,
        host_kind="social_organization",
        income_last_year=D("1000000.00"),
        charitable_spending=D("500000.00"),
        admin_cost=D("80000.00"),
    )
    assert ratios.required_charitable == D("700000.00")  # 70% of last year's income
    assert ratios.still_to_spend == D("200000.00")  # to spend by 31 December
    assert ratios.charitable_ratio == D("0.5000")
    assert not ratios.charitable_ok
    assert ratios.total_spending == D("580000.00")
    assert ratios.admin_ratio == D("0.1379")  # 80,000 / 580,000
    assert ratios.admin_limit == D("0.13")
    assert ratios.admin_exempt  # under ¥200,000 a year: exempt from the cap
    assert ratios.admin_ok


def test_worked_example_for_a_foundation_over_the_cap():
    ratios = spending_ratios(
        year=2026,
        host_kind="foundation",
        income_last_year=D("2000000.00"),
        charitable_spending=D("1500000.00"),
        admin_cost=D("250000.00"),
    )
    assert ratios.still_to_spend == D("0.00") and ratios.charitable_ok
    assert ratios.admin_ratio == D("0.1429")  # 250,000 / 1,750,000 > 10%
    assert not ratios.admin_exempt and not ratios.admin_ok


def test_the_limits_come_from_settings(settings):
    settings.FUNDS_MIN_CHARITABLE_SPENDING_RATIO = D("0.60")
    settings.FUNDS_ADMIN_COST_EXEMPT_BELOW = D("0")
    ratios = spending_ratios(
        year=2026, host_kind="social_organization", income_last_year=D("100.00"),
        charitable_spending=D("0"), admin_cost=D("20.00"),
    )  # fmt: skip
    assert ratios.required_charitable == D("60.00")
    assert not ratios.admin_exempt and not ratios.admin_ok


def test_no_income_last_year_means_no_ratio():
    ratios = spending_ratios(
        year=2026, host_kind="foundation", income_last_year=D("0"),
        charitable_spending=D("0"), admin_cost=D("0"),
    )  # fmt: skip
    assert ratios.charitable_ratio is None and ratios.admin_ratio is None
    assert ratios.charitable_ok and ratios.admin_ok


@pytest.mark.django_db
def test_host_figures_come_from_last_years_income_and_this_years_payments(
    funded, project, committee, requester, reviewer, payer
):
    today = timezone.localdate()
    last_year = timezone.make_aware(datetime.datetime(today.year - 1, 6, 1, 12))
    services.post_entry(
        fund=funded, amount=D("10000.00"), kind=LedgerEntry.Kind.DONATION, posted_at=last_year
    )
    for amount, administrative in (("700.00", False), ("100.00", True)):
        request = services.request_disbursement(
            fund=funded, project=project, amount=amount, purpose="x", payee="y", by=requester,
            is_administrative=administrative,
        )  # fmt: skip
        services.submit_disbursement(request=request, by=requester)
        for user in committee.voters[:4]:
            services.cast_vote(request=request, by=user, choice="approve")
        services.review_disbursement(request=request, by=reviewer, approve=True)
        services.pay_disbursement(request=request, by=payer)
    assert DisbursementRequest.objects.filter(status="paid").count() == 2
    ratios = host_spending_ratios(funded.host, year=today.year)
    assert ratios.income_last_year == D("10000.00")
    assert ratios.charitable_spending == D("700.00") and ratios.admin_cost == D("100.00")
    assert ratios.still_to_spend == D("6300.00")
