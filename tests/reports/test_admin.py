"""Staff pages: the scoped list with progress, the ad-hoc form, downloads, publishing and the
calendar, in Chinese."""

import datetime

import pytest
from django.utils import timezone

from reports.models import Report
from reports.tasks import generate_report_task

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(dataset, network):
    mine = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[mine.pk])
    theirs = make_report(
        kind="fund_quarterly_disclosure", station=network.street_b, fund=dataset.fund_b
    )
    generate_report_task.apply(args=[theirs.pk])
    running = make_report(kind="station_monthly", station=network.community_a1)
    Report.objects.filter(pk=running.pk).update(
        status=Report.Status.RUNNING, progress=62, progress_step="正在生成 PDF"
    )
    return Report.objects.get(pk=mine.pk), Report.objects.get(pk=theirs.pk), running


def test_the_list_shows_the_users_reports_with_progress(client, cast, reports):
    mine, theirs, running = reports
    client.force_login(cast.director)
    html = client.get("/admin/reports/report/").content.decode()
    assert "石牌街社区慈善基金" in html and "林和街社区慈善基金" not in html
    assert 'aria-valuenow="62"' in html and "正在生成 PDF" in html
    assert '<meta http-equiv="refresh"' in html  # something is running: the page refreshes
    assert "基金季度信息公开" in html and "临时报告" in html


def test_a_report_outside_the_users_stations_is_404(client, cast, reports):
    mine, theirs, _ = reports
    client.force_login(cast.director)
    assert client.get(f"/admin/reports/report/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/reports/report/{theirs.pk}/download/pdf/").status_code == 404
    assert client.post(f"/admin/reports/report/{theirs.pk}/publish/").status_code == 404


def test_downloads_of_the_users_reports(client, cast, reports):
    mine, *_ = reports
    client.force_login(cast.finance_officer)
    page = client.get(f"/admin/reports/report/{mine.pk}/change/").content.decode()
    assert f"/admin/reports/report/{mine.pk}/download/xlsx/" in page
    response = client.get(f"/admin/reports/report/{mine.pk}/download/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/admin/reports/report/{mine.pk}/download/exe/").status_code == 404


def test_the_running_report_page_refreshes_and_shows_its_step(client, cast, reports):
    *_, running = reports
    client.force_login(cast.director)
    html = client.get(f"/admin/reports/report/{running.pk}/change/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html and "正在生成 PDF" in html
    assert "/download/" not in html  # no files before it is done


def test_the_ad_hoc_form_queues_a_report_for_the_users_scope(
    client, cast, dataset, network, django_capture_on_commit_callbacks
):
    client.force_login(cast.director)
    page = client.get("/admin/reports/report/ad-hoc/").content.decode()
    assert "石牌街社区慈善基金" in page and "林和街社区慈善基金" not in page
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/admin/reports/report/ad-hoc/",
            {"kind": "station_monthly", "station": network.community_a1.pk,
             "period_start": "2026-03-01", "period_end": "2026-03-31"},
        )  # fmt: skip
    report = Report.objects.get(kind="station_monthly", station=network.community_a1)
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/change/")
    assert report.requested_by == cast.director and not report.scheduled and len(queued) == 1
    page = client.get(response["Location"]).content.decode()
    assert "报告已排队生成" in page and 'content="3"' in page


def test_the_ad_hoc_form_fills_its_dates_in_the_browsers_format(client, cast, network):
    # A date field shows only an ISO 8601 value; "2026/10/01" would show as empty.
    from reports.periods import previous_complete

    client.force_login(cast.director)
    page = client.get("/admin/reports/report/ad-hoc/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    last_month = previous_complete("month", timezone.localdate())
    html = page.content.decode()
    assert f'name="period_start" value="{last_month.start.isoformat()}"' in html
    assert f'name="period_end" value="{last_month.end.isoformat()}"' in html


def test_the_ad_hoc_form_refuses_a_scope_outside_the_users_stations(client, cast, dataset, network):
    client.force_login(cast.director)
    response = client.post(
        "/admin/reports/report/ad-hoc/",
        {"kind": "fund_quarterly_disclosure", "fund": dataset.fund_b.pk,
         "period_start": "2026-01-01", "period_end": "2026-03-31"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "fund_quarterly_disclosure", "period_start": "2026-01-01", "period_end": "2026-03-31"},
         "这类报告针对基金：请选择一个基金。"),
        ({"kind": "station_monthly", "period_start": "2026-03-31", "period_end": "2026-03-01"},
         "结束日期不能早于开始日期。"),
        ({"kind": "station_monthly", "period_start": "2099-01-01", "period_end": "2099-01-31"},
         "该期间尚未开始。"),
    ],
)  # fmt: skip
def test_the_ad_hoc_form_explains_bad_input(client, cast, network, data, message):
    client.force_login(cast.director)
    if data["kind"] == "station_monthly":
        data = {**data, "station": network.street_a.pk}
    response = client.post("/admin/reports/report/ad-hoc/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Report.objects.exists()


def test_the_director_publishes_from_the_report_page(client, cast, reports):
    mine, *_ = reports
    client.force_login(cast.finance_officer)
    client.post(f"/admin/reports/report/{mine.pk}/publish/")
    assert not Report.objects.get(pk=mine.pk).is_published
    client.force_login(cast.director)
    page = client.get(f"/admin/reports/report/{mine.pk}/change/").content.decode()
    assert "发布到信息公开页面" in page
    client.post(f"/admin/reports/report/{mine.pk}/publish/")
    assert Report.objects.get(pk=mine.pk).is_published
    page = client.get(f"/admin/reports/report/{mine.pk}/change/").content.decode()
    assert "发布更正" in page and "已公开的报告不再修改" in page


def test_the_calendar_page_and_list_show_what_is_due(client, cast, reports):
    client.force_login(cast.director)
    html = client.get("/admin/reports/report/calendar/").content.decode()
    assert "99公益日联合劝募" in html and "已逾期" in html and "林和街社区慈善基金" not in html
    assert "即将到期和已逾期的信息公开" in client.get("/admin/reports/report/").content.decode()


def test_reports_are_not_edited_or_deleted_in_the_admin(client, cast, reports):
    mine, *_ = reports
    client.force_login(cast.superuser)
    html = client.get(f"/admin/reports/report/{mine.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert client.post(f"/admin/reports/report/{mine.pk}/delete/").status_code == 403
    assert Report.objects.filter(pk=mine.pk).exists()
    assert datetime.date(2026, 1, 1) == mine.period_start


def test_the_ad_hoc_form_takes_a_project_or_a_host(
    client, cast, dataset, network, django_capture_on_commit_callbacks
):
    client.force_login(cast.director)
    page = client.get("/admin/reports/report/ad-hoc/").content.decode()
    assert "长者饭堂" in page and "林和助残" not in page  # projects of the user's stations
    assert "广州市天河区慈善会" not in page  # its funds reach beyond street A
    with django_capture_on_commit_callbacks():
        response = client.post(
            "/admin/reports/report/ad-hoc/",
            {"kind": "project_progress_quarterly", "project": dataset.project_1.pk,
             "period_start": "2026-04-01", "period_end": "2026-06-30"},
        )  # fmt: skip
    report = Report.objects.get(kind="project_progress_quarterly")
    assert response.status_code == 302 and report.project == dataset.project_1
    assert report.station == network.community_a1
    client.force_login(cast.superuser)
    page = client.get("/admin/reports/report/ad-hoc/").content.decode()
    assert "广州市天河区慈善会" in page
    with django_capture_on_commit_callbacks():
        response = client.post(
            "/admin/reports/report/ad-hoc/",
            {"kind": "host_annual_work_report", "host": dataset.host.pk,
             "period_start": "2025-01-01", "period_end": "2025-12-31"},
        )  # fmt: skip
    assert response.status_code == 302
    assert Report.objects.get(kind="host_annual_work_report").host == dataset.host
