"""The disclosure calendar: what must be published by when (DOMAIN.md cadences), the daily
reminder, and the block on new fundraising while a disclosure is overdue."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from funds.models import Campaign
from projects.models import Project
from reports.calendar import (
    ItemStatus,
    disclosure_calendar,
    due_and_overdue,
    ensure_no_overdue_disclosure,
)
from reports.models import Report
from reports.notifications import send_disclosure_reminders
from reports.periods import quarter, year
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db
date = datetime.date


def published(fund, kind, period, on: datetime.date) -> Report:
    """A report published on a given day (set up directly: the calendar only reads it)."""
    return Report.objects.create(
        kind=kind, station=fund.station, fund=fund, period_start=period.start,
        period_end=period.end, status=Report.Status.DONE, pdf_path="x.pdf", xlsx_path="x.xlsx",
        csv_path="x.csv", published_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(12))),
    )  # fmt: skip


def due_dates(items, subject_name):
    return [(i.due_on, i.status) for i in items if i.subject_name == subject_name]


def test_due_dates_follow_the_cadences(dataset):
    items = disclosure_calendar(today=date(2026, 11, 28))
    # Fund A (founded 2024): annual statements for 2024 and 2025, by 31 May of the next year.
    assert due_dates(items, "石牌街社区慈善基金") == [
        (date(2025, 5, 31), ItemStatus.OVERDUE),
        (date(2026, 5, 31), ItemStatus.OVERDUE),
    ]
    assert due_dates(items, "华师社区基金") == [(date(2026, 5, 31), ItemStatus.OVERDUE)]
    # The campaign runs 1 Sep 2025 – 30 Jun 2026 (> 6 months): progress every 3 months while it
    # runs, full results within 3 months after the end.
    assert due_dates(items, "99公益日联合劝募") == [
        (date(2025, 12, 1), ItemStatus.OVERDUE),
        (date(2026, 3, 1), ItemStatus.OVERDUE),
        (date(2026, 6, 1), ItemStatus.OVERDUE),
        (date(2026, 9, 30), ItemStatus.OVERDUE),
    ]


def test_a_short_campaign_owes_only_its_final_results(dataset):
    Campaign.objects.filter(pk=dataset.campaign.pk).update(ends_on=date(2026, 2, 28))
    items = disclosure_calendar(today=date(2026, 5, 1))
    assert due_dates(items, "99公益日联合劝募") == [(date(2026, 5, 28), ItemStatus.DUE)]


def test_statuses_before_the_deadline(dataset):
    items = disclosure_calendar(today=date(2026, 2, 15))
    assert due_dates(items, "99公益日联合劝募") == [
        (date(2025, 12, 1), ItemStatus.OVERDUE),
        (date(2026, 3, 1), ItemStatus.DUE),  # within 30 days
    ]
    assert due_dates(items, "石牌街社区慈善基金") == [
        (date(2025, 5, 31), ItemStatus.OVERDUE),
        (date(2026, 5, 31), ItemStatus.UPCOMING),
    ]


def test_publishing_meets_the_obligations(dataset):
    fund = dataset.fund_a
    published(fund, "fund_quarterly_disclosure", quarter(2025, 4), on=date(2025, 11, 20))
    published(fund, "fund_annual_statement", year(2024), on=date(2025, 5, 20))
    items = disclosure_calendar(today=date(2026, 2, 15))
    assert due_dates(items, "99公益日联合劝募") == [
        (date(2025, 12, 1), ItemStatus.DONE),
        (date(2026, 3, 1), ItemStatus.DUE),  # nothing published since 1 Dec yet
    ]
    assert due_dates(items, "石牌街社区慈善基金")[0] == (date(2025, 5, 31), ItemStatus.DONE)


def test_the_settings_change_the_cadence(dataset, settings):
    settings.REPORTS_DISCLOSURE_RULES = {
        **settings.REPORTS_DISCLOSURE_RULES, "annual_due": (3, 31), "progress_every_months": 2,
    }  # fmt: skip
    items = disclosure_calendar(today=date(2026, 2, 15))
    assert [d for d, _ in due_dates(items, "99公益日联合劝募")] == [
        date(2025, 11, 1), date(2026, 1, 1), date(2026, 3, 1),
    ]  # fmt: skip
    assert [d for d, _ in due_dates(items, "石牌街社区慈善基金")] == [
        date(2025, 3, 31),
        date(2026, 3, 31),
    ]


def test_an_overdue_disclosure_blocks_new_fundraising(dataset):
    fund, campaign = dataset.fund_a, dataset.campaign
    with pytest.raises(ValidationError, match="逾期未公开") as error:
        ensure_no_overdue_disclosure(campaign=campaign, today=date(2026, 2, 15))
    assert error.value.code == "overdue_disclosure"
    with pytest.raises(ValidationError):
        ensure_no_overdue_disclosure(fund=fund, today=date(2026, 2, 15))

    published(fund, "fund_quarterly_disclosure", quarter(2025, 4), on=date(2026, 1, 10))
    ensure_no_overdue_disclosure(campaign=campaign, today=date(2026, 2, 15))  # no longer late
    with pytest.raises(ValidationError, match="2024年度财务报告"):
        ensure_no_overdue_disclosure(fund=fund, today=date(2026, 2, 15))
    published(fund, "fund_annual_statement", year(2024), on=date(2026, 2, 1))
    ensure_no_overdue_disclosure(fund=fund, today=date(2026, 2, 15))


def test_staff_see_only_their_stations_items(dataset, cast):
    today = date(2026, 11, 28)
    subjects = {i.subject_name for i in due_and_overdue(user=cast.director, today=today)}
    assert subjects == {"石牌街社区慈善基金", "华师社区基金", "99公益日联合劝募", "长者饭堂",
                        "四点半课堂"}  # fmt: skip
    # The social worker of community B1 sees nothing above it (fund B is at street B), only
    # the project of B1.
    assert {i.subject_name for i in due_and_overdue(user=cast.social_worker, today=today)} == {
        "林和助残"
    }
    # The host's work report belongs to the district, above both streets.
    assert {i.subject_name for i in due_and_overdue(user=cast.superuser, today=today)} == {
        *subjects, "林和街社区慈善基金", "林和助残", "广州市天河区慈善会",
    }  # fmt: skip
    assert due_and_overdue(user=cast.outsider, today=today) == []


def test_the_calendar_reads_in_a_fixed_number_of_queries(
    dataset, network, django_assert_num_queries
):
    # Funds, campaigns, projects, fund publications, project reports and updates, hosts, the
    # hosts' funds, the funds' stations, the common stations, host publications.
    with django_assert_num_queries(11):
        disclosure_calendar(today=date(2026, 11, 28))
    for number in range(5):
        make_campaign(
            dataset.host, dataset.fund_b, title=f"活动{number}", goal=100,
            starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 1), filing_number="X",
        )  # fmt: skip
        Project.objects.create(
            station=network.community_b1, title=f"项目{number}", kind=Project.Kind.ASSISTANCE,
            category=Project.Category.DISABILITY, status=Project.Status.ACTIVE,
            start_date=date(2025, 1, 1),
        )  # fmt: skip
    with django_assert_num_queries(11):
        disclosure_calendar(today=date(2026, 11, 28))


def test_the_daily_job_reminds_the_responsible_directors(dataset, cast, network):
    cast.director.email = "director-a@example.org"
    cast.director.save()
    sent = send_disclosure_reminders(today=date(2026, 2, 15))
    assert sent == 1  # street B has no director with an email: nobody to tell there
    message = mail.outbox[0]
    assert message.to == ["director-a@example.org"]
    assert "待公开事项" in message.subject
    assert "99公益日联合劝募" in message.body and "【已逾期】" in message.body
    assert "/admin/reports/report/calendar/" in message.body
