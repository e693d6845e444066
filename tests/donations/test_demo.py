from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from donations.models import Donation, DonationBatch, DonationPoint, Donor, Receipt
from funds.models import Fund, HostCharity, LedgerEntry

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "donations": list(Donation.objects.order_by("pk").values("pk", "status", "amount")),
        "receipts": list(Receipt.objects.order_by("pk").values_list("number", flat=True)),
        "ledger": LedgerEntry.objects.count(),
        "donors": Donor.objects.count(),
        "points": DonationPoint.objects.count(),
    }


def test_seed_demo_builds_a_year_of_giving_and_is_idempotent():
    call_command("seed_demo", force=True)
    first = snapshot()
    call_command("seed_demo", force=True)
    assert snapshot() == first

    # The demo funds exactly as /work/briefs/demo-funds.md says.
    th = HostCharity.objects.get(credit_code="53440106MJ0000001F")
    assert (th.name, th.receipt_prefix) == ("广州市天河区慈善会", "TH")
    assert Fund.objects.get(code="tianhenan-fund").host.receipt_prefix == "GZ"

    assert DonationPoint.objects.count() >= 3
    assert Donor.objects.count() >= 200
    confirmed = Donation.objects.filter(status="confirmed")
    assert 950 <= confirmed.count() <= 1300
    assert set(confirmed.values_list("channel", flat=True)) == set(Donation.Channel.values)
    assert DonationBatch.objects.exists()
    months = {d.month for d in confirmed.values_list("confirmed_at", flat=True)}
    assert len(months) == 12
    # The ledger and the receipts are real: credits equal confirmed gifts; numbers gapless.
    # (The funds demo posts earlier history of its own, with no donation behind it.)
    credited = LedgerEntry.objects.filter(
        kind="donation", source_type="donations.donation"
    ).aggregate(s=Sum("amount"))["s"]
    assert credited == confirmed.aggregate(s=Sum("amount"))["s"]
    for series, year in set(Receipt.objects.values_list("series", "year")):
        sequences = sorted(
            Receipt.objects.filter(series=series, year=year).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    assert Donation.objects.filter(status="pending").exists()
    assert credited > Decimal("10000")


def test_seed_demo_takes_goods_in_and_out_once():
    from donations.models import GoodsDonation, GoodsMovement

    call_command("seed_demo", force=True)
    goods = (GoodsDonation.objects.count(), GoodsMovement.objects.count())
    assert goods[0] >= 3
    assert GoodsMovement.objects.exclude(kind="received").exists()
    call_command("seed_demo", force=True)
    assert (GoodsDonation.objects.count(), GoodsMovement.objects.count()) == goods
