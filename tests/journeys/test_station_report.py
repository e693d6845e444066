"""Journey 5: a street's director asks for the station's monthly report in the admin, watches
the page until a real Celery worker has produced it, and downloads the PDF."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from config.celery import app as celery_app
from reports.models import Report
from tests.config.test_celery import worker  # noqa: F401  (the real worker process)

from .conftest import sign_in_to_admin

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.postgres,  # the worker process reads what the live server's requests commit
]


@pytest.fixture
def report_files(settings, tmp_path, monkeypatch):
    """One directory for the report files, for the live server and the worker it starts."""
    directory = tmp_path / "report-files"
    settings.REPORTS_FILES_DIR = directory
    monkeypatch.setenv("REPORTS_FILES_DIR", str(directory))
    return directory


@pytest.fixture
def reports_worker(report_files, worker):  # noqa: F811
    """The worker also takes the ``reports`` queue, where the admin's request sends the job."""
    node, _queue = worker
    replies = celery_app.control.add_consumer("reports", destination=[node], reply=True)
    assert replies and "ok" in replies[0][node], replies
    return node


def test_a_director_requests_a_station_report_and_downloads_the_pdf(
    open_page, live_server, cast, network, reports_worker, report_files, screenshot
):
    page = open_page("desktop")
    sign_in_to_admin(page, live_server, cast.director.username)
    page.goto(f"{live_server.url}/admin/reports/report/")
    page.locator(".object-tools a.addlink").click()  # the ad-hoc report
    page.wait_for_url("**/admin/reports/report/ad-hoc/")
    page.select_option("#id_kind", "station_monthly")
    page.select_option("#id_station", str(network.street_a.pk))
    # The period is last month unless changed: the form fills it in.
    assert page.input_value("#id_period_start") and page.input_value("#id_period_end")
    page.get_by_role("button", name="生成报告").click()

    report = Report.objects.get()
    page.wait_for_url(f"**/admin/reports/report/{report.pk}/change/")
    assert "报告已排队生成，进度见下方。" in page.locator("ul.messagelist").inner_text()
    assert report.station == network.street_a and report.requested_by == cast.director

    # The page refreshes itself while the worker works; the download links appear when done.
    pdf_link = page.get_by_role("link", name="PDF", exact=True)
    pdf_link.wait_for(timeout=120_000)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.progress == 100
    assert "已完成" in page.content()

    with page.expect_download() as download:
        pdf_link.click()
    assert download.value.suggested_filename == report.download_name("pdf")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert f"{network.street_a.name} {report.period_label}月报" in text
    assert "按类别的收入（元）" in text
    # Produced by the worker into the shared directory, not by the web process.
    assert (report_files / report.file_path("pdf")).read_bytes() == content
    screenshot(page, "journey-5-director-report-done")
