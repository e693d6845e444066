"""The host's annual work report draft: one report per host charity covering all its funds, at
the station above them all; produced once a year per host, due by 31 May on the calendar."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funds.models import Fund, HostCharity
from funds.services import post_entry
from reports import services
from reports.calendar import ItemStatus, disclosure_calendar, due_and_overdue
from reports.models import Report
from reports.periods import year
from reports.selectors import host_station

from .conftest import at
from .test_kinds import build, table

pytestmark = pytest.mark.django_db
D = Decimal
date = datetime.date


@pytest.fixture
def second_host(network):
    """Another host with one fund at community B1."""
    host = HostCharity.objects.create(
        name="广州市慈善会", credit_code="91440101MA5CYL6X3B",
        kind=HostCharity.Kind.FOUNDATION, receipt_prefix="GZ",
    )  # fmt: skip
    fund = Fund.objects.create(
        station=network.community_b1, host=host, name="林和社区微基金",
        founded_on=datetime.date(2025, 6, 1),
    )  # fmt: skip
    post_entry(fund=fund, amount=D("88.00"), kind="donation", posted_at=at(2026, 2, 2))
    return host


def test_the_work_report_covers_all_the_hosts_funds_worked_example(dataset, network):
    # The host's three funds sit at street A, community A1 (below A) and street B: the report
    # belongs to the district, the lowest station above all three.
    assert host_station(dataset.host) == network.district
    result = build(
        "host_annual_work_report", station=network.district, host=dataset.host, period=year(2026)
    )
    assert "广州市天河区慈善会" in result.title and "2026年" in result.title
    # Worked out by hand from conftest's entries (2026: the whole year, 1 April included).
    # Fund A: opening 1000 + 300 + 2000 − 200 = 3100; in 500 + 800 + 600 + 50 + 80 (reversal)
    # + 70 = 2100; out 50 (refund) + 600 + 100 + 120 + 80 = 950; closing 4250.
    assert table(result, "host_funds") == [
        ["石牌街社区慈善基金（石牌街）", D("3100.00"), D("2100.00"), D("950.00"), D("4250.00")],
        ["华师社区基金（华师社区）", D("150.00"), D("300.00"), D("0.00"), D("450.00")],
        ["林和街社区慈善基金（林和街）", D("0.00"), D("999.00"), D("0.00"), D("999.00")],
        ["合计", D("3250.00"), D("3399.00"), D("950.00"), D("5699.00")],
    ]  # fmt: skip
    assert result.section("host_ratios").table.rows  # the host's ratios follow


def test_the_yearly_beat_makes_one_work_report_per_host(
    dataset, second_host, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        created = services.schedule_reports(kind="host_annual_work_report", today=date(2027, 1, 15))
    assert len(queued) == 2
    assert sorted((r.host.name, r.station.name, r.fund_id) for r in created) == [
        ("广州市天河区慈善会", "天河区", None),  # three funds, one report
        ("广州市慈善会", "林和社区", None),
    ]
    assert {(r.period_start, r.period_end) for r in created} == {
        (date(2026, 1, 1), date(2026, 12, 31))
    }
    assert {r.scope_key for r in created} == {f"host:{dataset.host.pk}", f"host:{second_host.pk}"}
    again = services.schedule_reports(kind="host_annual_work_report", today=date(2027, 1, 15))
    assert again == [] and Report.objects.filter(kind="host_annual_work_report").count() == 2


def test_only_staff_who_see_all_the_hosts_funds_may_ask_for_its_report(dataset, network, cast):
    asked = {"kind": "host_annual_work_report", "period_start": date(2025, 1, 1),
             "period_end": date(2025, 12, 31)}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.request_report(by=cast.director, host=dataset.host, **asked)
    assert "host" in refused.value.message_dict  # street A's director does not see street B
    with pytest.raises(ValidationError) as wrong:
        services.request_report(by=cast.superuser, fund=dataset.fund_a, **asked)
    assert "host" in wrong.value.message_dict  # a host's report is not about a fund
    report = services.request_report(by=cast.superuser, host=dataset.host, **asked)
    assert (report.host, report.station, report.fund) == (dataset.host, network.district, None)
    assert report.scope_name == "广州市天河区慈善会"


def test_the_calendar_lists_the_work_report_by_31_may(dataset, network, cast):
    items = [i for i in disclosure_calendar(today=date(2026, 5, 10)) if i.subject == "host"]
    # Its oldest fund was founded in 2024: work reports for 2024 and 2025.
    assert [(i.subject_name, i.due_on, i.status, i.station) for i in items] == [
        ("广州市天河区慈善会", date(2025, 5, 31), ItemStatus.OVERDUE, network.district),
        ("广州市天河区慈善会", date(2026, 5, 31), ItemStatus.DUE, network.district),
    ]
    Report.objects.create(
        kind="host_annual_work_report", station=network.district, host=dataset.host,
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), status=Report.Status.DONE,
        pdf_path="x.pdf", xlsx_path="x.xlsx", csv_path="x.csv",
        published_at=timezone.make_aware(datetime.datetime(2025, 5, 20, 12)),
    )  # fmt: skip
    items = [i for i in disclosure_calendar(today=date(2026, 5, 10)) if i.subject == "host"]
    assert [i.status for i in items] == [ItemStatus.DONE, ItemStatus.DUE]
    # Only who sees the district sees the host's items.
    mine = {i.subject for i in due_and_overdue(user=cast.director, today=date(2026, 5, 10))}
    assert "host" not in mine
    everything = due_and_overdue(user=cast.superuser, today=date(2026, 5, 10))
    assert "host" in {i.subject for i in everything}
