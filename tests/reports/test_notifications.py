import datetime

import pytest
from django.core import mail

from reports.notifications import send_report_ready
from reports.periods import Period
from reports.tasks import generate_report_task
from tests.factories import Role, make_staff

from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_the_stations_directors_are_told_when_a_fund_report_is_ready(dataset, network, cast):
    cast.director.email = "director-a@example.org"
    cast.director.save()
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    assert send_report_ready(report_id=report.pk) == 0  # not done yet: nothing to say
    assert mail.outbox == []
    generate_report_task.apply(args=[report.pk])
    assert send_report_ready(report_id=report.pk) == 1
    # No committee members yet: the director alone.
    assert [m.to for m in mail.outbox] == [["director-a@example.org"]]
    assert "报告已生成" in mail.outbox[0].subject
    assert f"/admin/reports/report/{report.pk}/change/" in mail.outbox[0].body


def test_a_station_without_a_director_tells_the_nearest_one_above(dataset, network, cast):
    cast.director.email = "director-a@example.org"
    cast.director.save()
    first = make_report(
        kind="fund_quarterly_disclosure", station=network.community_a1, fund=dataset.fund_a1
    )
    generate_report_task.apply(args=[first.pk])
    assert send_report_ready(report_id=first.pk) == 1
    assert [m.to for m in mail.outbox] == [["director-a@example.org"]]

    local = make_staff(network.community_a1, Role.DIRECTOR, "director-a1")
    local.email = "a1@example.org"
    local.save()
    mail.outbox.clear()
    second = make_report(
        kind="fund_quarterly_disclosure",
        station=network.community_a1,
        fund=dataset.fund_a1,
        period=Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
    )
    generate_report_task.apply(args=[second.pk])
    assert send_report_ready(report_id=second.pk) == 1
    assert [m.to for m in mail.outbox] == [["a1@example.org"]]  # the street's director no more


@pytest.fixture
def eager_celery():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_finishing_a_fund_report_emails_its_recipients(
    dataset, network, cast, eager_celery, django_capture_on_commit_callbacks
):
    cast.director.email = "director-a@example.org"
    cast.director.save()
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        generate_report_task.apply(args=[report.pk])
    assert [m.to for m in mail.outbox] == [["director-a@example.org"]]
    # A second delivery of the finished job announces nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        generate_report_task.apply(args=[report.pk])
    assert len(mail.outbox) == 1


def test_a_fund_reports_committee_members_are_told_too(dataset, network, cast):
    from funds.models import CommitteeMember
    from funds.services import add_committee_member
    from tests.factories import make_user

    cast.director.email = "director-a@example.org"
    cast.director.save()
    member = make_user("member-a", email="member@example.org")
    add_committee_member(
        fund=dataset.fund_a,
        user=member,
        name="周建国",
        role=CommitteeMember.Role.CHAIR,
        term_start=datetime.date(2025, 1, 1),
    )
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[report.pk])
    # One email each: the director's links to the admin, the member's to the dashboard.
    assert send_report_ready(report_id=report.pk) == 2
    assert [m.to for m in mail.outbox] == [["director-a@example.org"], ["member@example.org"]]
