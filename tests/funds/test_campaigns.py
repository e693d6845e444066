"""Campaigns: shares adding up to exactly 100%, the filing number before going public, joint
campaigns, raised vs goal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds import services
from funds.models import Campaign, Fund, HostCharity
from funds.selectors import campaigns_with_raised

pytestmark = pytest.mark.django_db
D = Decimal
DATES = {"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2026, 12, 31)}


@pytest.fixture
def second_fund(network, host) -> Fund:
    return Fund.objects.create(station=network.street_b, host=host, name="林和街社区慈善基金")


def test_a_one_fund_campaign_raises_100_percent_for_it(fund, host):
    campaign = services.create_campaign(
        host=host, lead_fund=fund, title="暖冬行动", goal="200000", **DATES
    )
    assert [(s.fund, s.percent) for s in campaign.shares.all()] == [(fund, D("100"))]
    assert campaign.status == Campaign.Status.DRAFT


def test_going_public_needs_the_filing_number(fund, host):
    campaign = services.create_campaign(host=host, lead_fund=fund, title="x", goal="100", **DATES)
    with pytest.raises(ValidationError) as error:
        services.publish_campaign(campaign=campaign)
    assert "备案编号" in str(error.value)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    campaign = services.publish_campaign(campaign=campaign, filing_number="53440106-2026-001")
    assert campaign.status == Campaign.Status.PUBLIC


def test_the_database_refuses_a_public_campaign_without_filing_number(fund, host):
    campaign = services.create_campaign(host=host, lead_fund=fund, title="x", goal="1", **DATES)
    with (
        pytest.raises(IntegrityError, match="campaign_public_needs_filing_number"),
        transaction.atomic(),
    ):
        Campaign.objects.filter(pk=campaign.pk).update(status="public")


@pytest.mark.parametrize("percents", [("60", "30"), ("60", "40.01"), ("100", "0.5")])
def test_joint_shares_must_add_up_to_exactly_100(fund, second_fund, host, percents):
    shares = [
        services.Share(fund=fund, percent=D(percents[0])),
        services.Share(fund=second_fund, percent=D(percents[1])),
    ]
    with pytest.raises(ValidationError) as error:
        services.create_campaign(
            host=host, lead_fund=fund, title="联合劝募", goal="100", shares=shares, **DATES
        )
    assert "100%" in str(error.value)
    assert not Campaign.objects.exists()


def test_a_joint_campaign_with_a_project_share(fund, second_fund, host, project):
    shares = [
        services.Share(fund=fund, percent=D("50"), project=project),
        services.Share(fund=fund, percent=D("20")),
        services.Share(fund=second_fund, percent=D("30")),
    ]
    campaign = services.create_campaign(
        host=host, lead_fund=fund, title="联合劝募", goal="100", shares=shares,
        filing_number="F-2026-9", **DATES,
    )  # fmt: skip
    assert services.publish_campaign(campaign=campaign).status == "public"
    assert campaign.shares.count() == 3


def test_funds_of_another_host_cannot_share(fund, host, network):
    other_host = HostCharity.objects.create(
        name="广州市慈善会", credit_code="53440100MJ0000002U", kind="foundation",
        receipt_prefix="GZ",
    )  # fmt: skip
    other = Fund.objects.create(station=network.street_b, host=other_host, name="别家基金")
    with pytest.raises(ValidationError):
        services.create_campaign(
            host=host, lead_fund=fund, title="x", goal="100", **DATES,
            shares=[services.Share(fund=fund, percent=D("50")),
                    services.Share(fund=other, percent=D("50"))],
        )  # fmt: skip


@pytest.mark.parametrize("goal", ["0", "-1", "1.001"])
def test_a_bad_goal_is_refused(fund, host, goal):
    with pytest.raises(ValidationError):
        services.create_campaign(host=host, lead_fund=fund, title="x", goal=goal, **DATES)


def test_raised_is_the_sum_of_the_campaigns_entries(fund, host):
    campaign = services.create_campaign(host=host, lead_fund=fund, title="x", goal="1000", **DATES)
    for amount in ("100.00", "250.50"):
        services.post_entry(fund=fund, amount=D(amount), kind="donation", campaign=campaign)
    services.post_entry(fund=fund, amount=D("999.00"), kind="donation")  # not the campaign's
    assert campaigns_with_raised().get(pk=campaign.pk).raised == D("350.50")
