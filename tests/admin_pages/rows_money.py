"""Fifty rows of each changelist of the money and the goods: hosts, funds, committees,
campaigns, the ledger, disbursements, donation points, donors, gifts, receipts and goods."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import Role, make_host, publish
from tests.query_count_rows import (
    M,
    bulk,
    make_funds,
    make_receipts,
    new_campaign,
    new_donation,
    new_entry,
    new_member,
    new_request,
    next_k,
    today,
)

from .world import World


def make_donations(w: World, n: int, **fields) -> list:
    """Gifts to the fund at street A's point, two in three confirmed, every other one for the
    project; ``fields`` replace what the gifts would be."""
    now = timezone.now()
    rows = []
    for i in range(n):
        confirmed = fields.get("status", ("confirmed", "pending", "refunded")[i % 3]) != "pending"
        row = {
            "amount": Decimal("100.00") + i,
            "channel": "cash" if confirmed else "",
            "status": "confirmed" if confirmed else "pending",
            "donor_name": f"捐赠人{i}",
            "mobile": f"136{next_k():08d}",
            "point": w.point(),
            "project": w.project() if i % 2 else None,
            "confirmed_at": now if confirmed else None,
            "created_by": w.staff[Role.FINANCE_OFFICER],
        }
        rows.append(new_donation(w.fund(), **{**row, **fields}))
    return bulk("donations.Donation", rows)


def receipts_for(w: World, donations: list) -> list:
    return make_receipts(w.host(), donations, "QC")


def make_goods(w: World, n: int) -> list:
    GoodsDonation = M("donations.GoodsDonation")
    rows = []
    for i in range(n):
        k = next_k()
        rows.append(
            GoodsDonation(
                point=w.point(),
                donor_name=f"捐物人{k}",
                is_anonymous=i % 3 == 0,
                received_at=timezone.now(),
                received_by=w.staff[Role.FINANCE_OFFICER],
                receipt_series="QG",
                receipt_year=2026,
                receipt_sequence=k,
                receipt_number=f"QG-2026-{k:06d}",
            )
        )
    return bulk("donations.GoodsDonation", rows)


def make_lots(w: World, donations: list, per_donation: int = 1) -> list:
    GoodsItem = M("donations.GoodsItem")
    rows = [
        GoodsItem(
            donation=donation,
            station=w.community_a1,
            category="food",
            name=f"大米{i}",
            quantity=Decimal("10"),
            unit="袋",
            condition="new",
            # Every other lot expires soon: the changelist lists those above the rows.
            expiry_date=today() + datetime.timedelta(days=10 if i % 2 == 0 else 300),
            remaining=Decimal("10"),
        )
        for donation in donations
        for i in range(per_donation)
    ]
    return bulk("donations.GoodsItem", rows)


# --- funds -------------------------------------------------------------------------------------


def rows_of_hosts(w, n):
    for i in range(n):
        k = next_k()
        kind = ("foundation", "social_organization")[i % 2]
        make_host(name=f"慈善会{k}", credit_code=f"5344{k:014d}", kind=kind)


def rows_of_funds(w, n):
    make_funds(w, n)


def rows_of_committees(w, n):
    Fund, Committee = M("funds.Fund"), M("funds.Committee")
    funds = bulk(
        "funds.Fund",
        [Fund(station=w.street_a, host=w.host(), name=f"基金{next_k()}") for _ in range(n)],
    )
    committees = bulk("funds.Committee", [Committee(fund=f) for f in funds])
    members = [
        new_member(c, role=role, name=f"委员{j}")
        for c in committees
        for j, role in enumerate(["chair", "member", "member", "supervisor"])
    ]
    bulk("funds.CommitteeMember", members)


def rows_of_campaigns(w, n):
    campaigns = bulk(
        "funds.Campaign",
        [new_campaign(w, **({"filing_number": ""} if i % 2 else {})) for i in range(n)],
    )
    Share = M("funds.CampaignShare")
    bulk("funds.CampaignShare", [Share(campaign=c, fund=w.fund(), percent=100) for c in campaigns])
    publish(*campaigns[::2])


def rows_of_ledger(w, n):
    rows = [
        new_entry(
            w.fund(),
            Decimal("100") + i,
            project=w.project() if i % 2 else None,
            public_name=f"捐赠人{i}",
            memo="捐款",
            created_by=w.staff[Role.FINANCE_OFFICER],
        )
        for i in range(n)
    ]
    bulk("funds.LedgerEntry", rows)


DISBURSEMENT_STATUSES = [
    "draft",
    "submitted",
    "voting",
    "approved",
    "rejected",
    "host_reviewed",
    "paid",
    "reconciled",
]


def rows_of_disbursements(w, n):
    statuses = DISBURSEMENT_STATUSES
    rows = [
        new_request(w.fund(), w.project(), w.sw, statuses[i % len(statuses)], amount=Decimal("500"))
        for i in range(n)
    ]
    bulk("funds.DisbursementRequest", rows)


# --- donations ---------------------------------------------------------------------------------


def rows_of_points(w, n):
    Point = M("donations.DonationPoint")
    rows = [Point(station=w.street_a, name=f"捐赠点{next_k()}", place="一楼") for _ in range(n)]
    bulk("donations.DonationPoint", rows)


def rows_of_donors(w, n):
    Donor = M("donations.Donor")
    donors = bulk(
        "donations.Donor",
        [Donor(name=f"捐赠人{k}", mobile=f"135{k:08d}") for k in (next_k() for _ in range(n))],
    )
    for donor in donors:  # each donor gave at street A's fund, so its staff see them
        make_donations(w, 1, donor=donor, status="confirmed", channel="cash")


def rows_of_donations(w, n):
    donations = make_donations(w, n)
    receipts_for(w, [d for d in donations if d.status == "confirmed"])


def rows_of_batches(w, n):
    Batch = M("donations.DonationBatch")
    rows = [
        Batch(
            point=w.point(),
            fund=w.fund(),
            opened_on=today(),
            total=Decimal("300"),
            count=3,
            witnesses="张三、李四",
            created_by=w.staff[Role.FINANCE_OFFICER],
        )
        for _ in range(n)
    ]
    bulk("donations.DonationBatch", rows)


def rows_of_receipts(w, n):
    receipts_for(w, make_donations(w, n, status="confirmed", channel="cash"))


def rows_of_goods_donations(w, n):
    make_lots(w, make_goods(w, n), per_donation=2)


def rows_of_goods_lots(w, n):
    donations = w.once("goods", lambda: make_goods(w, 5))
    lots = make_lots(w, donations, per_donation=n // 5)
    make_lots(w, donations[: n % 5])
    return lots


def rows_of_goods_movements(w, n):
    lots = w.once("lots", lambda: make_lots(w, make_goods(w, 5)))
    Movement = M("donations.GoodsMovement")
    rows = []
    for i in range(n):
        kind = ["received", "project", "activity", "adjustment"][i % 4]
        rows.append(
            Movement(
                lot=lots[i % 5],
                kind=kind,
                change=Decimal("1") if kind == "received" else Decimal("-1"),
                project=w.project() if kind == "project" else None,
                activity=w.activity() if kind == "activity" else None,
                reason="盘点" if kind == "adjustment" else "",
                moved_on=today(),
                by=w.staff[Role.FINANCE_OFFICER],
            )
        )
    bulk("donations.GoodsMovement", rows)


ROWS = {
    "funds.HostCharity": rows_of_hosts,
    "funds.Fund": rows_of_funds,
    "funds.Committee": rows_of_committees,
    "funds.Campaign": rows_of_campaigns,
    "funds.LedgerEntry": rows_of_ledger,
    "funds.DisbursementRequest": rows_of_disbursements,
    "donations.DonationPoint": rows_of_points,
    "donations.Donor": rows_of_donors,
    "donations.Donation": rows_of_donations,
    "donations.DonationBatch": rows_of_batches,
    "donations.Receipt": rows_of_receipts,
    "donations.GoodsDonation": rows_of_goods_donations,
    "donations.GoodsItem": rows_of_goods_lots,
    "donations.GoodsMovement": rows_of_goods_movements,
}
