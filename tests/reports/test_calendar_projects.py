"""Projects on the disclosure calendar: a project running longer than six months publishes
progress every three months and its final report within three months after it closes; the
daily job reminds its lead; while a disclosure is late the project cannot raise money."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from donations.targets import Target, check_open
from projects import services as project_services
from projects.models import ProgressUpdate, Project
from reports.calendar import ItemStatus, disclosure_calendar
from reports.models import Report
from reports.notifications import send_disclosure_reminders
from reports.periods import add_months, quarter
from tests.projects.conftest import make_project, team  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
date = datetime.date


def published_project_report(project, kind, period, on: date) -> Report:
    """A project report published on a given day (set up directly: the calendar only reads it)."""
    return Report.objects.create(
        kind=kind, station=project.station, project=project, period_start=period.start,
        period_end=period.end, status=Report.Status.DONE, pdf_path="x.pdf", xlsx_path="x.xlsx",
        csv_path="x.csv", published_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(12))),
    )  # fmt: skip


def project_dates(items, title):
    return [
        (i.due_on, i.status) for i in items if i.subject == "project" and i.subject_name == title
    ]


def test_project_due_dates_follow_the_cadence(dataset):
    items = disclosure_calendar(today=date(2026, 11, 28))
    # 长者饭堂 started on 10 November 2025 with no end set: running longer than six months by
    # now, so progress is due every three months from its start.
    assert project_dates(items, "长者饭堂") == [
        (date(2026, 2, 10), ItemStatus.OVERDUE),
        (date(2026, 5, 10), ItemStatus.OVERDUE),
        (date(2026, 8, 10), ItemStatus.OVERDUE),
        (date(2026, 11, 10), ItemStatus.OVERDUE),
        (date(2027, 2, 10), ItemStatus.UPCOMING),  # its window opened on 10 November
    ]
    # 四点半课堂 ran 5 March 2025 – 20 March 2026: progress while it ran, then the final report
    # (use of the money, what was left) within three months after the close.
    assert project_dates(items, "四点半课堂") == [
        (date(2025, 6, 5), ItemStatus.OVERDUE),
        (date(2025, 9, 5), ItemStatus.OVERDUE),
        (date(2025, 12, 5), ItemStatus.OVERDUE),
        (date(2026, 3, 5), ItemStatus.OVERDUE),
        (date(2026, 6, 20), ItemStatus.OVERDUE),
    ]
    assert project_dates(items, "林和助残")[-1] == (date(2026, 12, 1), ItemStatus.DUE)
    # A project still being designed owes nothing.
    assert project_dates(items, "邻里互助") == []


def test_a_project_running_under_six_months_owes_only_its_final_report(dataset):
    Project.objects.filter(pk=dataset.project_2.pk).update(end_date=date(2025, 8, 1))
    items = disclosure_calendar(today=date(2025, 9, 1))
    assert project_dates(items, "四点半课堂") == [(date(2025, 11, 1), ItemStatus.UPCOMING)]


def test_publishing_the_project_report_or_an_update_meets_the_obligations(dataset, cast):
    project_1, project_2 = dataset.project_1, dataset.project_2
    published_project_report(
        project_1, "project_progress_quarterly", quarter(2026, 2), on=date(2026, 7, 5)
    )
    items = disclosure_calendar(today=date(2026, 11, 28))
    # Published on 5 July: it meets every window opened before then, not the one from 10 Aug.
    assert [s for _, s in project_dates(items, "长者饭堂")] == [
        ItemStatus.DONE, ItemStatus.DONE, ItemStatus.DONE, ItemStatus.OVERDUE,
        ItemStatus.UPCOMING,
    ]  # fmt: skip
    # A public progress update of the project is a progress publication too.
    ProgressUpdate.objects.create(
        project=project_1, title="近况", body="送餐如常", author=cast.director,
        published_at=timezone.make_aware(datetime.datetime(2026, 9, 1, 9)),
    )  # fmt: skip
    items = disclosure_calendar(today=date(2026, 11, 28))
    assert project_dates(items, "长者饭堂")[3] == (date(2026, 11, 10), ItemStatus.DONE)
    # Only a final report meets the final obligation.
    assert project_dates(items, "四点半课堂")[-1][1] == ItemStatus.OVERDUE
    published_project_report(project_2, "project_final", quarter(2026, 1), on=date(2026, 5, 2))
    items = disclosure_calendar(today=date(2026, 11, 28))
    assert project_dates(items, "四点半课堂")[-1] == (date(2026, 6, 20), ItemStatus.DONE)


@pytest.fixture
def late_project(network, team):  # noqa: F811
    """Started four months ago, planned to run a year: its first progress report (due a month
    ago) is late. The projects app's own 180-day rule does not apply yet."""
    today = timezone.localdate()
    start = add_months(today, -4)
    return make_project(
        network.community_a1, lead=team.lead, status=Project.Status.ACTIVE, start_date=start,
        end_date=add_months(start, 12),
    )  # fmt: skip


def test_a_project_with_an_overdue_disclosure_cannot_raise_money(
    dataset,
    late_project,
    team,  # noqa: F811
    settings,
):
    project = Project.objects.get(pk=late_project.pk)
    with pytest.raises(ValidationError, match="逾期未公开") as refused:
        project_services.ensure_can_fundraise(project=project)
    assert refused.value.code == "overdue_disclosure"
    with pytest.raises(ValidationError) as gift:
        check_open(Target(fund=dataset.fund_a, project=project))
    assert "逾期未公开" in " ".join(gift.value.message_dict["target"])
    with pytest.raises(ValidationError, match="逾期未公开"):
        project_services.reopen_fundraising(project=project, by=team.lead)
    assert Project.objects.get(pk=project.pk).status == Project.Status.ACTIVE

    # Publishing progress lifts the block.
    project_services.publish_progress_update(
        project=project, by=team.lead, title="第一季度进展", body="已服务长者120人次"
    )
    project = Project.objects.get(pk=project.pk)
    project_services.ensure_can_fundraise(project=project)
    check_open(Target(fund=dataset.fund_a, project=project))


def test_the_block_is_the_calendars_hook(late_project, settings):
    settings.FUNDRAISING_GUARDS = []  # without the reports calendar's guard: allowed
    project_services.ensure_can_fundraise(project=Project.objects.get(pk=late_project.pk))


def test_the_daily_job_reminds_the_projects_lead(late_project, team, cast):  # noqa: F811
    cast.director.email = "director-a@example.org"
    cast.director.save()
    assert send_disclosure_reminders() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"lead@example.org", "director-a@example.org"}
    body = by_address["lead@example.org"].body
    assert late_project.title in body and "【已逾期】" in body


def test_the_admin_calendar_shows_project_items(client, cast, late_project):
    client.force_login(cast.director)
    html = client.get("/admin/reports/report/calendar/").content.decode()
    assert late_project.title in html and "华师社区" in html and "（项目）" in html
    html = client.get("/admin/reports/report/").content.decode()
    assert late_project.title in html  # the list shows what is due, too
