"""A small worked dataset: two funds in street A's network, one outside it, entries spread
over 2025 and 2026, with restricted gifts, a joint campaign, refunds, disbursements and a
reversal. Figures in the tests are checked against plain Python over these rows."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from funds.models import Campaign, Fund, HostCharity, LedgerEntry
from funds.services import Source, post_entry
from projects.models import Project
from reports.models import Report
from reports.periods import Period
from tests.factories import make_campaign, make_fund, make_host, make_project

from . import kinds_for_tests  # noqa: F401  (test-only report kinds)

D = Decimal
Kind = LedgerEntry.Kind


@pytest.fixture(autouse=True)
def _report_files(settings, tmp_path):
    settings.REPORTS_FILES_DIR = tmp_path / "report-files"
    return settings.REPORTS_FILES_DIR


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@dataclass
class Dataset:
    host: HostCharity
    fund_a: Fund  # at street A
    fund_a1: Fund  # at community A1, below street A
    fund_b: Fund  # at street B: outside street A's network
    project_1: Project
    project_2: Project
    campaign: Campaign


@pytest.fixture
def dataset(network) -> Dataset:
    host = make_host(credit_code="91350100M000100Y43")
    fund_a = make_fund(network.street_a, host, "石牌街社区慈善基金")
    founded = datetime.date(2025, 1, 1)
    fund_a1 = make_fund(network.community_a1, host, "华师社区基金", founded_on=founded)
    fund_b = make_fund(network.street_b, host, "林和街社区慈善基金", founded_on=founded)
    project_1 = make_project(
        network.community_a1,
        "长者饭堂",
        status=Project.Status.ACTIVE,
        start_date=datetime.date(2025, 11, 10),
    )
    project_2 = make_project(
        network.community_a2,
        "四点半课堂",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.CHILDREN,
        status=Project.Status.CLOSED,
        start_date=datetime.date(2025, 3, 5),
        end_date=datetime.date(2026, 3, 20),
    )
    make_project(  # dated March 2026 but still being designed: not started
        network.community_a2,
        "邻里互助",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.COMMUNITY_BUILDING,
        status=Project.Status.DESIGN,
        start_date=datetime.date(2026, 3, 2),
    )
    make_project(  # street B: outside street A's report
        network.community_b1,
        "林和助残",
        category=Project.Category.DISABILITY,
        status=Project.Status.ACTIVE,
        start_date=datetime.date(2026, 3, 1),
    )
    campaign = make_campaign(
        host,
        fund_a,
        title="99公益日联合劝募",
        goal=D("50000.00"),
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 6, 30),
        filing_number="53440000MJ0000000X-2025-001",
    )

    def gift(fund, amount, when, *, project=None, campaign=None, name="爱心人士"):
        return post_entry(
            fund=fund, amount=D(amount), kind=Kind.DONATION, project=project,
            campaign=campaign, posted_at=when, public_name=name,
        )  # fmt: skip

    # 2025: last year's figures and the annual statement's opening balance.
    gift(fund_a, "1000.00", at(2025, 3, 8), name="张三")
    gift(fund_a, "300.00", at(2025, 3, 20), project=project_1)
    gift(fund_a, "2000.00", at(2025, 9, 9), campaign=campaign)
    gift(fund_a1, "150.00", at(2025, 3, 12))
    post_entry(fund=fund_a, amount=D("-200.00"), kind=Kind.DISBURSEMENT, posted_at=at(2025, 12, 1),
               project=project_1, source=Source("tests.pay", "2025-1"))  # fmt: skip
    # Q1 2026.
    gift(fund_a, "500.00", at(2026, 1, 5), name="李四")
    gift(fund_a, "800.00", at(2026, 2, 14), campaign=campaign)
    gift(fund_a, "600.00", at(2026, 3, 3), project=project_2, campaign=campaign)
    refunded = gift(fund_a, "50.00", at(2026, 3, 9))
    post_entry(fund=fund_a, amount=D("-50.00"), kind=Kind.REFUND, posted_at=at(2026, 3, 10),
               source=Source("tests.refund", refunded.pk))  # fmt: skip
    # A payment of 700 for project 2: its 600 restricted money, then 100 unrestricted (what
    # funds.services.spend_for_project posts, here with the date of the payment).
    post_entry(fund=fund_a, amount=D("-600.00"), kind=Kind.DISBURSEMENT, project=project_2,
               posted_at=at(2026, 3, 21), source=Source("tests.pay", "2026-1", 0))  # fmt: skip
    post_entry(fund=fund_a, amount=D("-100.00"), kind=Kind.DISBURSEMENT,
               posted_at=at(2026, 3, 21), source=Source("tests.pay", "2026-1", 1))  # fmt: skip
    post_entry(fund=fund_a, amount=D("-120.00"), kind=Kind.ADJUSTMENT, posted_at=at(2026, 3, 25))
    mistaken = post_entry(fund=fund_a, amount=D("-80.00"), kind=Kind.DISBURSEMENT,
                          posted_at=at(2026, 3, 26), source=Source("tests.pay", "2026-2"))  # fmt: skip
    post_entry(fund=fund_a, amount=D("80.00"), kind=Kind.REVERSAL, reverses=mistaken,
               posted_at=at(2026, 3, 27), source=Source("funds.ledgerentry", mistaken.pk))  # fmt: skip
    gift(fund_a1, "260.00", at(2026, 3, 15))
    gift(fund_a1, "40.00", at(2026, 3, 31, 23))  # 23:00 Shanghai time, still March
    gift(fund_b, "999.00", at(2026, 3, 16))
    # After the quarter: not in Q1 figures.
    gift(fund_a, "70.00", at(2026, 4, 1, 0))
    return Dataset(host, fund_a, fund_a1, fund_b, project_1, project_2, campaign)


def entries() -> list[LedgerEntry]:
    """Every ledger row, as plain Python objects, for brute-force sums."""
    return list(LedgerEntry.objects.select_related("reverses", "project", "campaign", "fund"))


Q1_2026 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def make_report(*, kind: str, station, fund=None, period: Period = Q1_2026, **fields) -> Report:
    return Report.objects.create(
        kind=kind, station=station, fund=fund, period_start=period.start, period_end=period.end,
        **fields,
    )  # fmt: skip
