"""The files people open: the PDF's Chinese text and figures read back, the spreadsheet's
numbers are numbers, the CSV opens in Excel."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import Report
from reports.renderers import checked_cell
from reports.tasks import generate_report_task
from tests.pdf import assert_fonts_embedded

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosure(dataset) -> Report:
    report = make_report(
        kind="fund_quarterly_disclosure", station=dataset.fund_a.station, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    return report


def read(report: Report, fmt: str) -> bytes:
    return (Path(settings.REPORTS_FILES_DIR) / report.file_path(fmt)).read_bytes()


def test_the_pdf_reads_back_with_its_chinese_title_and_figures(disclosure):
    reader = PdfReader(io.BytesIO(read(disclosure, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "石牌街社区慈善基金 2026年第1季度信息公开" in text
    assert "期末余额" in text and "4,180.00" in text  # the closing balance worked out by hand
    assert "四点半课堂" in text and "600.00" in text
    assert "各项目拨付" in text  # the chart's title, drawn on the server (funds names it)
    # All text in the embedded Chinese font, the chart's labels too.
    assert_fonts_embedded(read(disclosure, "pdf"))


def test_the_spreadsheet_has_one_sheet_per_section_and_numbers_as_numbers(disclosure):
    workbook = load_workbook(io.BytesIO(read(disclosure, "xlsx")))
    assert workbook.sheetnames == [
        "收支与余额", "按类别的收入", "按募捐活动的收入", "各项目拨付", "各项目定向资金余额",
        "管理委员会决议",
    ]  # fmt: skip
    balance = workbook["收支与余额"]
    assert [c.value for c in balance[1]] == ["项目", "金额（元）"]
    assert balance["A5"].value == "期末余额"
    closing = balance["B5"]
    assert closing.data_type == "n" and Decimal(str(closing.value)) == Decimal("4180.00")
    assert closing.number_format == "#,##0.00"


def test_the_csv_is_utf8_with_a_bom_and_plain_numbers(disclosure):
    raw = read(disclosure, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["石牌街社区慈善基金 2026年第1季度信息公开"]
    assert ["期末余额", "4180.00"] in rows
    assert ["按类别的收入"] in rows


def test_the_station_monthly_pdf_has_its_charts_and_comparisons(dataset, network):
    report = make_report(kind="station_monthly", station=network.street_a)
    generate_report_task.apply(args=[report.pk])
    report.refresh_from_db()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(read(report, "pdf"))).pages)
    assert "石牌街" in text and "本年累计" in text and "去年同月" in text


@pytest.mark.parametrize("value", [0.1, True, object()])
def test_cells_refuse_what_is_not_text_int_or_decimal(value):
    with pytest.raises(TypeError):
        checked_cell(value)


def test_a_chart_with_hundreds_of_bars_draws_the_largest_and_sums_the_rest():
    """A district has hundreds of funds: all are in the table, the chart fits on a page."""
    from reports.renderers.pdf import render_pdf
    from reports.structure import Chart, ReportResult, Section, Table

    names = [f"第{i}社区基金" for i in range(1, 301)]
    amounts = [Decimal(i) for i in range(1, 301)]
    result = ReportResult(
        title="第1区",
        subtitle="",
        sections=[
            Section(
                "credits_by_fund",
                "按基金的收入",
                Table(["基金", "本月"], [[n, a] for n, a in zip(names, amounts, strict=True)]),
                chart=Chart(
                    title="按基金的收入（图）",
                    categories=names,
                    series=[("本月", amounts), ("去年同月", amounts)],
                    horizontal=True,
                ),
            )
        ],
    )
    out = io.BytesIO()
    render_pdf(result, out)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert "其他（289项）" in text  # 11 largest bars and one for the other 289
    assert "第300社区基金" in text and "第1社区基金" in text  # the table lists every fund
