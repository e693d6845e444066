import pytest
from django.core.management import call_command

from funds.models import (
    Campaign,
    CommitteeMember,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
    Vote,
)
from funds.selectors import composition_problems

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in (
            HostCharity,
            Fund,
            Campaign,
            CommitteeMember,
            LedgerEntry,
            DisbursementRequest,
            Vote,
        )  # fmt: skip
    ]


def test_the_demo_rows_shared_with_donations_and_every_request_state(capsys):
    call_command("seed_demo", force=True)
    first = snapshot()
    assert "committee" in capsys.readouterr().out
    th = HostCharity.objects.get(credit_code="53440106MJ0000001F")
    assert (th.name, th.kind, th.receipt_prefix) == (
        "广州市天河区慈善会",
        "social_organization",
        "TH",
    )
    fund = Fund.objects.get(code="shipai-fund")
    assert (fund.name, fund.station.code, fund.host, str(fund.founded_on)) == (
        "天河区慈善会石牌街社区慈善基金",
        "shipai",
        th,
        "2024-03-01",
    )
    assert Fund.objects.get(code="tianhenan-fund").host.receipt_prefix == "GZ"
    campaign = Campaign.objects.get(code="shipai-2026")
    assert campaign.status == "public" and campaign.filing_number == "53440106MJ0000001F-2026-001"
    assert [(s.fund.code, s.percent) for s in campaign.shares.all()] == [("shipai-fund", 100)]
    assert set(DisbursementRequest.objects.values_list("status", flat=True)) == set(
        DisbursementRequest.Status.values
    )
    assert composition_problems(fund) == []
    assert composition_problems(Fund.objects.get(code="linhe-fund"))  # shows the warning
    call_command("seed_demo", force=True)
    assert snapshot() == first
