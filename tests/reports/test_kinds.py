"""Every figure each kind prints equals plain Python over the same rows (and, for the worked
example, the figures worked out by hand)."""

import datetime
from decimal import Decimal

import pytest

from reports.periods import Period, month, year
from reports.registry import KindContext, get_kind

from . import brute_force
from .conftest import Q1_2026, at

pytestmark = pytest.mark.django_db
D = Decimal


def build(kind: str, *, station, fund=None, period: Period, project=None, host=None):
    steps = []
    result = get_kind(kind).build(
        KindContext(
            station=station,
            fund=fund,
            period=period,
            progress=lambda p, s: steps.append((p, s)),
            project=project,
            host=host,
        )  # fmt: skip
    )
    assert steps and all(0 <= p <= 100 for p, _ in steps)  # progress is reported
    return result


def table(result, key):
    return [[str(c) if not isinstance(c, (int, Decimal)) else c for c in row]
            for row in result.section(key).table.rows]  # fmt: skip


def test_fund_quarterly_disclosure_worked_example(dataset):
    fund = dataset.fund_a
    result = build("fund_quarterly_disclosure", station=fund.station, fund=fund, period=Q1_2026)
    assert "石牌街社区慈善基金" in result.title and "2026年第1季度" in result.title
    # Worked out by hand from conftest's entries.
    assert table(result, "balance") == [
        ["期初余额", D("3100.00")],
        ["本期收入", D("2030.00")],
        ["本期支出", D("950.00")],
        ["期末余额", D("4180.00")],
    ]
    assert table(result, "income_by_kind") == [
        ["捐赠收入", D("1950.00")], ["冲正", D("80.00")], ["合计", D("2030.00")],
    ]  # fmt: skip
    assert table(result, "income_by_campaign") == [
        ["99公益日联合劝募", D("1400.00")], ["未通过募捐活动", D("630.00")], ["合计", D("2030.00")],
    ]  # fmt: skip
    # The mistaken payment of 80 was reversed: it is no disbursement.
    assert table(result, "disbursements_by_project") == [
        ["四点半课堂", D("600.00")], ["非定向资金（未指定项目）", D("100.00")], ["合计", D("700.00")],
    ]  # fmt: skip
    # Project 2's restricted money is all spent (zero rows are left out).
    assert table(result, "restricted_balances") == [
        ["长者饭堂", D("100.00")],
        ["合计", D("100.00")],
    ]
    assert [s.key for s in result.sections] == [
        "balance", "income_by_kind", "income_by_campaign", "disbursements_by_project",
        "restricted_balances", "committee_decisions",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "period",
    [
        Q1_2026,
        year(2025),
        month(2026, 3),
        Period(datetime.date(2025, 3, 10), datetime.date(2026, 4, 1)),
    ],
    ids=["q1-2026", "2025", "march-2026", "odd-span"],
)
def test_fund_disclosure_equals_brute_force(dataset, period):
    for fund in (dataset.fund_a, dataset.fund_a1, dataset.fund_b):
        result = build("fund_quarterly_disclosure", station=fund.station, fund=fund, period=period)
        expected = brute_force.fund_figures(fund, period)
        assert table(result, "balance") == [
            ["期初余额", expected["opening"]],
            ["本期收入", expected["in"]],
            ["本期支出", expected["out"]],
            ["期末余额", expected["closing"]],
        ]
        assert expected["opening"] + expected["in"] - expected["out"] == expected["closing"]
        assert table(result, "income_by_kind") == brute_force.with_total(expected["income_by_kind"])
        assert table(result, "income_by_campaign") == brute_force.with_total(
            expected["income_by_campaign"]
        )
        assert table(result, "disbursements_by_project") == brute_force.with_total(
            expected["disbursed_by_project"]
        )
        assert table(result, "restricted_balances") == brute_force.with_total(
            expected["restricted"]
        )


@pytest.mark.parametrize("statement_year", [2025, 2026])
def test_fund_annual_statement_equals_brute_force(dataset, statement_year):
    fund = dataset.fund_a
    period = year(statement_year)
    result = build("fund_annual_statement", station=fund.station, fund=fund, period=period)
    expected = brute_force.fund_figures(fund, period)
    assert table(result, "balance")[0] == ["期初余额", expected["opening"]]
    assert table(result, "balance")[3] == ["期末余额", expected["closing"]]
    assert table(result, "income_by_kind") == brute_force.with_total(expected["income_by_kind"])
    assert table(result, "spending_by_project") == brute_force.with_total(
        expected["spending_by_project"]
    )
    assert table(result, "spending_by_category") == brute_force.with_total(expected["out_by_kind"])

    ratios = brute_force.host_ratio(dataset.host, period)
    rows = table(result, "host_ratios")
    assert rows[0][1] == ratios["previous_income"]
    assert rows[1][1] == ratios["spending"]
    assert rows[2][1] == ratios["admin"]
    if ratios["previous_income"]:
        percent = (ratios["spending"] * 100 / ratios["previous_income"]).quantize(D("0.01"))
        assert rows[3][1] == percent
    else:
        assert len(rows) == 3  # no income last year and no spending: no ratio is invented


def test_annual_statement_worked_example_2026(dataset):
    fund = dataset.fund_a
    result = build("fund_annual_statement", station=fund.station, fund=fund, period=year(2026))
    # Host's 2025 income: fund A 3300 + fund A1 150. The dataset's payments were posted
    # without disbursement requests, so the host paid no request in 2026: spending is zero
    # and there is no administrative-cost share to show (test_kinds_fund_requests has them).
    assert table(result, "host_ratios") == [
        ["慈善会上年度捐赠净收入", D("3450.00"), "", ""],
        ["慈善会本年度慈善活动支出", D("0.00"), "", ""],
        ["慈善会本年度管理费用", D("0.00"), "", ""],
        ["慈善活动支出占上年收入比例（%）", D("0.00"), "不低于70.00%", "未达到要求"],
    ]


def test_station_monthly_worked_example(dataset, network):
    result = build("station_monthly", station=network.street_a, period=month(2026, 3))
    assert result.section("credits_by_kind").table.headers == [
        "类别", "2026年3月", "去年同月（2025年3月）", "本年累计",
    ]  # fmt: skip
    # fund B (street B) is outside street A's network; the 1 April gift is outside March.
    assert table(result, "credits_by_kind") == [
        ["捐赠收入", D("950.00"), D("1450.00"), D("2250.00")],
        ["冲正", D("80.00"), D("0.00"), D("80.00")],
        ["合计", D("1030.00"), D("1450.00"), D("2330.00")],
    ]
    assert table(result, "projects") == [
        ["已开始的项目", 0, 1, 0],
        ["进行中的项目", 2, 1, 2],
        ["已结项的项目", 1, 0, 1],
    ]


@pytest.mark.parametrize("station_name", ["district", "street_a", "community_a1", "street_b"])
@pytest.mark.parametrize("period", [month(2026, 3), month(2026, 1), month(2025, 3)])
def test_station_monthly_equals_brute_force(dataset, network, station_name, period):
    station = getattr(network, station_name)
    result = build("station_monthly", station=station, period=period)
    expected = brute_force.station_credits(station, period)
    assert table(result, "credits_by_kind") == expected["by_kind"]
    assert table(result, "credits_by_fund") == expected["by_fund"]
    assert table(result, "credits_by_campaign") == expected["by_campaign"]
    assert table(result, "projects") == brute_force.station_projects(station, period)


def test_kind_queries_do_not_grow_with_rows(dataset, network):
    from funds.models import LedgerEntry
    from funds.services import post_entry

    def count_queries(kind, **scope):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            build(kind, period=Q1_2026, **scope)
        return len(captured.captured_queries)

    fund = dataset.fund_a
    before = {
        "fund": count_queries("fund_quarterly_disclosure", station=fund.station, fund=fund),
        "station": count_queries("station_monthly", station=network.district),
    }
    for day in range(1, 29):
        post_entry(fund=fund, amount=D("1.00"), kind=LedgerEntry.Kind.DONATION,
                   posted_at=at(2026, 2, day))  # fmt: skip
    assert (
        count_queries("fund_quarterly_disclosure", station=fund.station, fund=fund)
        == before["fund"]
    )
    assert count_queries("station_monthly", station=network.district) == before["station"]
