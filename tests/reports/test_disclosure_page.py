"""/disclosure/: published disclosure reports by station and fund, downloadable, phone-sized,
and never a person's data."""

import io
import re

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import Report
from reports.tasks import generate_report_task
from tests.conftest import assert_fits_phone_width, save_screenshot

from .conftest import make_report

PERSONAL = ["张三", "李四", "13812345678", "110105199001011234", "director-a", "finance-a"]


@pytest.fixture
def published(dataset, network, cast):
    cast.director.first_name, cast.director.last_name = "志明", "陈"
    cast.director.save()
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a,
        requested_by=cast.finance_officer,
    )  # fmt: skip
    generate_report_task.apply(args=[report.pk])
    report = services.publish_report(report=Report.objects.get(pk=report.pk), by=cast.director)
    unpublished = make_report(
        kind="fund_quarterly_disclosure", station=network.street_b, fund=dataset.fund_b
    )
    generate_report_task.apply(args=[unpublished.pk])
    return report


@pytest.mark.django_db
def test_the_page_lists_published_disclosures_by_station_and_fund(client, published):
    html = client.get("/disclosure/").content.decode()
    assert "信息公开" in html
    assert "石牌街" in html and "石牌街社区慈善基金" in html and "基金季度信息公开" in html
    assert "2026年第1季度" in html
    assert "林和街社区慈善基金" not in html  # done but not published
    for fmt in ("pdf", "xlsx", "csv"):
        assert f"/disclosure/{published.code}.{fmt}" in html
    assert len(html.encode()) < 100_000


@pytest.mark.django_db
def test_the_page_and_the_files_show_no_personal_data(client, published):
    html = client.get("/disclosure/").content.decode()
    pdf = b"".join(client.get(f"/disclosure/{published.code}.pdf").streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    csv = b"".join(client.get(f"/disclosure/{published.code}.csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "4,180.00" in text and "4180.00" in csv  # the figures are there ...
    for value in [*PERSONAL, "陈志明", "志明"]:  # ... donors' and staff's names are not
        assert value not in html and value not in text and value not in csv
    assert not re.search(r"1[3-9]\d{9}", html)  # no mobile number at all


@pytest.mark.django_db
def test_files_of_unpublished_reports_are_not_public(client, dataset, network):
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[report.pk])
    assert client.get(f"/disclosure/{report.code}.pdf").status_code == 404
    assert client.get(f"/disclosure/{report.pk}.pdf").status_code == 404


@pytest.mark.django_db
def test_the_page_filters_by_station(client, published, network):
    assert (
        "石牌街社区慈善基金"
        in client.get(f"/disclosure/?station={network.street_a.code}").content.decode()
    )
    assert (
        "石牌街社区慈善基金"
        not in client.get(f"/disclosure/?station={network.street_b.code}").content.decode()
    )
    assert client.get("/disclosure/?station=nope").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_fits_a_phone(phone_page, live_server, dataset, network, cast):
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[report.pk])
    # The superuser publishes: a transactional test starts without the migrations' role groups.
    report = services.publish_report(report=Report.objects.get(pk=report.pk), by=cast.superuser)
    services.correct_report(
        report=report, by=cast.superuser, note="更正：第二季度的一笔捐赠误记入本季度，已调整。"
    )
    correction = Report.objects.get(version=2)
    generate_report_task.apply(args=[correction.pk])
    services.publish_report(report=Report.objects.get(pk=correction.pk), by=cast.superuser)

    phone_page.goto(f"{live_server.url}/disclosure/")
    assert phone_page.locator("h1").inner_text().startswith("信息公开")
    assert phone_page.locator(".disclosure-item").count() == 2
    assert phone_page.get_by_text("更正：第二季度").is_visible()
    button = phone_page.locator(".disclosure-files .button").first
    box = button.bounding_box()
    assert box["height"] >= 44  # thumb-sized
    font_size = phone_page.evaluate(
        "getComputedStyle(document.querySelector('.disclosure-date')).fontSize"
    )
    assert float(font_size.removesuffix("px")) >= 16
    assert_fits_phone_width(phone_page)
    save_screenshot(phone_page, "reports-disclosure-phone")
    with phone_page.expect_download() as download:
        phone_page.locator(".disclosure-files a", has_text="CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")


@pytest.fixture
def published_project_report(dataset, network, cast):
    """The final report of 四点半课堂 (closed 20 March 2026), whose beneficiaries have names,
    ID numbers, phones and addresses on record, published by street A's director."""
    from .people_data import seed_people

    seed_people(dataset, network)
    report = make_report(
        kind="project_final", station=dataset.project_2.station, project=dataset.project_2
    )
    generate_report_task.apply(args=[report.pk])
    return services.publish_report(report=Report.objects.get(pk=report.pk), by=cast.director)


@pytest.mark.django_db
def test_a_published_project_report_is_listed_by_project(
    client, published, published_project_report, dataset
):
    report = published_project_report
    html = client.get("/disclosure/").content.decode()
    assert "暨南社区" in html and "四点半课堂" in html and "项目结项报告" in html
    assert f"?project={dataset.project_2.code}" in html
    # The project's own page of disclosures: its reports only.
    html = client.get(f"/disclosure/?project={dataset.project_2.code}").content.decode()
    assert f"/disclosure/{report.code}.pdf" in html and "<h1>信息公开: 四点半课堂</h1>" in html
    assert f"/disclosure/{published.code}.pdf" not in html
    html = client.get(f"/disclosure/?fund={dataset.fund_a.code}").content.decode()
    assert f"/disclosure/{published.code}.pdf" in html and report.code not in html
    assert client.get("/disclosure/?project=nope").status_code == 404
    # Published: the project's final report is no longer owed.
    from reports.calendar import ItemStatus, disclosure_calendar

    final = [
        item for item in disclosure_calendar(projects=None)
        if item.project == dataset.project_2 and item.what.startswith("结项报告")
    ]  # fmt: skip
    assert [item.status for item in final] == [ItemStatus.DONE]


@pytest.mark.django_db
def test_a_project_report_shows_counts_never_the_people(client, published_project_report):
    report = published_project_report
    pdf = b"".join(client.get(f"/disclosure/{report.code}.pdf").streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    csv = b"".join(client.get(f"/disclosure/{report.code}.csv").streaming_content).decode(
        "utf-8-sig"
    )
    html = client.get("/disclosure/").content.decode()
    assert "四点半课堂" in text and "600.00" in csv  # the figures are there ...
    from projects.models import Beneficiary

    people = Beneficiary.objects.all()
    assert people.count() == 3
    for person in people:  # ... the people helped are not: no name, ID, phone or address
        for value in (person.name, person.phone, person.address, "13812345678", "华师东区"):
            assert value and value not in text and value not in csv and value not in html
    assert not re.search(r"\d{17}[\dX]", text + csv + html)  # no resident ID number at all
