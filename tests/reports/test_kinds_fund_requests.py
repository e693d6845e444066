"""Committee decisions, disbursements attributed to the request's project, and the host ratios
with administrative costs: worked example and brute force over the same rows."""

import datetime
from decimal import Decimal

import pytest

from funds.models import Committee, CommitteeMember, DisbursementRequest, LedgerEntry, Vote
from funds.services import Source, post_entry
from reports.periods import Period, month, year
from reports.selectors import host_station

from . import brute_force
from .conftest import Q1_2026, at
from .test_kinds import build, table

pytestmark = pytest.mark.django_db
D = Decimal
Status = DisbursementRequest.Status
Kind = LedgerEntry.Kind


@pytest.fixture
def requests(dataset, django_user_model):
    fund = dataset.fund_a
    staff = django_user_model.objects.create_user("worker", password="x")
    committee = Committee.objects.create(fund=fund)
    members = [
        CommitteeMember.objects.create(
            committee=committee,
            name=f"委员{i}",
            email=f"m{i}@x.cn",
            term_start=datetime.date(2025, 1, 1),
        )
        for i in range(3)
    ]

    def request(project, amount, status, decided, *, paid=None, admin=False, votes=()):
        r = DisbursementRequest.objects.create(
            fund=fund, project=project, amount=D(amount), purpose="购买食材", payee="某供应商",
            is_administrative=admin, status=status, requested_by=staff, decided_at=decided,
            paid_at=paid,
        )  # fmt: skip
        for member, choice in zip(members, votes, strict=False):
            Vote.objects.create(request=r, member=member, choice=choice, recorded_by=staff)
        return r

    def pay(r, parts, when):
        entries = []
        for part, (project, amount) in enumerate(parts):
            entries.append(
                post_entry(
                    fund=fund,
                    amount=-D(amount),
                    kind=Kind.DISBURSEMENT,
                    project=project,
                    posted_at=when,
                    source=Source(*r.ledger_source, part),
                )  # fmt: skip
            )
        return entries

    # Approved 2 for, 1 abstained; paid 100 from project 1's restricted money, 50 unrestricted.
    r1 = request(dataset.project_1, "150.00", Status.PAID, at(2026, 3, 5),
                 paid=at(2026, 3, 6), votes=["approve", "approve", "abstain"])  # fmt: skip
    pay(r1, [(dataset.project_1, "100.00"), (None, "50.00")], at(2026, 3, 6))
    request(dataset.project_2, "30.00", Status.REJECTED, at(2026, 2, 10), votes=["reject"])
    # An administrative payment, paid from unrestricted money and then reversed.
    r3 = request(dataset.project_2, "40.00", Status.PAID, at(2026, 3, 10), paid=at(2026, 3, 11),
                 admin=True, votes=["approve", "approve"])  # fmt: skip
    (debit,) = pay(r3, [(None, "40.00")], at(2026, 3, 11))
    post_entry(fund=fund, amount=D("40.00"), kind=Kind.REVERSAL, reverses=debit,
               posted_at=at(2026, 3, 12), source=Source("funds.ledgerentry", debit.pk))  # fmt: skip
    request(dataset.project_1, "60.00", Status.VOTING, None)  # not decided: not listed
    return dataset


def test_fund_disclosure_committee_and_attribution_worked_example(requests):
    fund = requests.fund_a
    result = build("fund_quarterly_disclosure", station=fund.station, fund=fund, period=Q1_2026)
    decisions = table(result, "committee_decisions")
    assert [row[1:] for row in decisions] == [
        ["四点半课堂", D("30.00"), "不同意", "2026年2月10日", "同意0票，反对1票，弃权0票"],
        ["长者饭堂", D("150.00"), "同意", "2026年3月5日", "同意2票，反对0票，弃权1票"],
        ["四点半课堂", D("40.00"), "同意", "2026年3月10日", "同意2票，反对0票，弃权0票"],
    ]
    # The 50 unrestricted paid for request 1 is project 1's; request 3's 40 was reversed.
    assert table(result, "disbursements_by_project") == [
        ["长者饭堂", D("150.00")],
        ["四点半课堂", D("600.00")],
        ["非定向资金（未指定项目）", D("100.00")],
        ["合计", D("850.00")],
    ]


@pytest.mark.parametrize(
    "period",
    [Q1_2026, month(2026, 3), month(2026, 2), Period(datetime.date(2026, 3, 11), datetime.date(2026, 3, 11))],
    ids=["q1", "march", "february", "one-day"],
)  # fmt: skip
def test_fund_disclosure_with_requests_equals_brute_force(requests, period):
    fund = requests.fund_a
    result = build("fund_quarterly_disclosure", station=fund.station, fund=fund, period=period)
    expected = brute_force.fund_figures(fund, period)
    assert table(result, "disbursements_by_project") == brute_force.with_total(
        expected["disbursed_by_project"]
    )
    assert table(result, "committee_decisions") == brute_force.committee_decisions(fund, period)


def test_annual_statement_spending_and_admin_ratio(requests):
    fund = requests.fund_a
    result = build("fund_annual_statement", station=fund.station, fund=fund, period=year(2026))
    expected = brute_force.fund_figures(fund, year(2026))
    assert table(result, "spending_by_project") == brute_force.with_total(
        expected["spending_by_project"]
    )
    ratios = brute_force.host_ratio(requests.host, year(2026))
    # 2025 income of the host (everything but disbursements): 3300 + 150 = 3450; 2026 paid
    # requests: 150 charitable, 40 administrative (the request's payment, though reversed in
    # the ledger, is what funds' dashboard counts).
    assert ratios == {"previous_income": D("3450.00"), "spending": D("150.00"), "admin": D("40.00")}
    assert table(result, "host_ratios") == [
        ["慈善会上年度捐赠净收入", D("3450.00"), "", ""],
        ["慈善会本年度慈善活动支出", D("150.00"), "", ""],
        ["慈善会本年度管理费用", D("40.00"), "", ""],
        ["慈善活动支出占上年收入比例（%）", D("4.35"), "不低于70.00%", "未达到要求"],
        ["管理费用占本年总支出比例（%）", D("21.05"), "不高于13.00%",
         "免于比例限制：管理费用低于200000元"],
    ]  # fmt: skip


@pytest.mark.parametrize("report_year", [2025, 2026])
def test_host_annual_work_report_equals_brute_force(requests, report_year):
    period = year(report_year)
    # One report per host, at the station above all its funds: it covers every fund.
    station = host_station(requests.host)
    result = build("host_annual_work_report", station=station, host=requests.host, period=period)
    expected = []
    for each in (requests.fund_a, requests.fund_a1, requests.fund_b):
        figures = brute_force.fund_figures(each, period)
        expected.append([f"{each.name}（{each.station.name}）", figures["opening"], figures["in"],
                         figures["out"], figures["closing"]])  # fmt: skip
    assert table(result, "host_funds") == brute_force.with_total(expected)
    ratios = brute_force.host_ratio(requests.host, period)
    rows = table(result, "host_ratios")
    assert [rows[0][1], rows[1][1], rows[2][1]] == [
        ratios["previous_income"], ratios["spending"], ratios["admin"],
    ]  # fmt: skip
