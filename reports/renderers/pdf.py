"""PDF with ReportLab: Chinese in the embedded font of ``core.pdf_fonts``, tables,
and bar charts drawn on the server, in colours that stay distinct when printed in grey."""

from decimal import Decimal
from typing import BinaryIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core import pdf_fonts

from ..structure import Chart, ReportResult, Section
from . import format_number

FONT = pdf_fonts.register()

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Dark red and mid grey: distinct on screen and on a black-and-white printer.
SERIES_COLOURS = [
    colors.HexColor("#8f1d24"),
    colors.HexColor("#9aa5b1"),
    colors.HexColor("#323f4b"),
]

STYLES = {
    "title": ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, spaceAfter=4),
    "subtitle": ParagraphStyle(
        "subtitle", fontName=FONT, fontSize=11, leading=15, textColor=colors.HexColor("#52606d")
    ),
    "heading": ParagraphStyle(
        "heading", fontName=FONT, fontSize=13.5, leading=18, spaceBefore=10, spaceAfter=4
    ),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=14),
    "number": ParagraphStyle(
        "number", fontName=FONT, fontSize=10.5, leading=14, alignment=TA_RIGHT
    ),
    "note": ParagraphStyle(
        "note", fontName=FONT, fontSize=9.5, leading=13, textColor=colors.HexColor("#52606d")
    ),
}


def render_pdf(result: ReportResult, out: BinaryIO) -> None:
    generated = date_format(timezone.localtime(), "DATETIME_FORMAT")
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=result.title,
        author=_("Social Work and Charity Station Platform"),
    )
    story = [
        Paragraph(_escape(result.title), STYLES["title"]),
        Paragraph(_escape(result.subtitle), STYLES["subtitle"]),
        Spacer(1, 6 * mm),
    ]
    for section in result.sections:
        story.extend(_section(section))
    for note in result.notes:
        story.append(Paragraph(_escape(note), STYLES["note"]))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(colors.HexColor("#7b8794"))
        canvas.drawString(MARGIN, 10 * mm, _("Generated %(when)s") % {"when": generated})
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, 10 * mm, _("Page %(page)s") % {"page": doc.page}
        )
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(section: Section) -> list:
    heading = Paragraph(_escape(section.title), STYLES["heading"])
    parts = [heading, _table(section)]
    if section.note:
        parts.append(Spacer(1, 2 * mm))
        parts.append(Paragraph(_escape(section.note), STYLES["note"]))
    flowables = [KeepTogether(parts)]
    if section.chart is not None:
        flowables.append(Spacer(1, 3 * mm))
        flowables.append(_chart(section.chart))
    flowables.append(Spacer(1, 4 * mm))
    return flowables


def _table(section: Section) -> Table:
    headers = [Paragraph(_escape(h), STYLES["cell"]) for h in section.table.headers]
    rows = [headers]
    for row in section.table.rows:
        rows.append(
            [
                Paragraph(_escape(format_number(cell)), STYLES["number"])
                if isinstance(cell, (int, Decimal))
                else Paragraph(_escape(format_number(cell)), STYLES["cell"])
                for cell in row
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph(_escape(_("No entries in this period.")), STYLES["note"])])
        rows[1].extend([""] * (len(headers) - 1))
    columns = len(headers)
    first = CONTENT_WIDTH * (0.46 if columns > 2 else 0.62)
    widths = [first] + [(CONTENT_WIDTH - first) / max(columns - 1, 1)] * (columns - 1)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3d9da")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# More bars than this do not fit on a page (a district has hundreds of funds): the largest
# are drawn and the rest summed into one bar; the table above the chart lists them all.
MAX_CHART_BARS = 12


def _largest(chart: Chart, limit: int = MAX_CHART_BARS) -> Chart:
    if len(chart.categories) <= limit:
        return chart
    order = sorted(
        range(len(chart.categories)),
        key=lambda i: -sum(abs(values[i]) for _name, values in chart.series),
    )
    kept, rest = sorted(order[: limit - 1]), order[limit - 1 :]
    other = _("Others (%(count)s)") % {"count": len(rest)}
    return Chart(
        title=chart.title,
        categories=[chart.categories[i] for i in kept] + [other],
        series=[
            (name, [values[i] for i in kept] + [sum(values[i] for i in rest)])
            for name, values in chart.series
        ],
        horizontal=chart.horizontal,
    )


def _chart(chart: Chart) -> Drawing:
    """A bar chart with its title, a legend under it, and each bar's value printed beside it,
    so the figures can be read from paper."""
    chart = _largest(chart)
    count = len(chart.categories)
    series_count = len(chart.series)
    data = [[float(value) for value in values] for _name, values in chart.series]
    peak = max((max(values, default=0) for values in data), default=0) or 1
    legend_height = 13 * series_count + 4 if series_count > 1 else 0
    top = 24 + legend_height  # title and legend above the plot
    if chart.horizontal:
        plot_height = max(50, 22 * count * series_count)
        height = plot_height + top + 30
        drawing = Drawing(CONTENT_WIDTH, height)
        plot = HorizontalBarChart()
        plot.x, plot.y = 150, 25
        plot.width, plot.height = CONTENT_WIDTH - 150 - 70, plot_height
        plot.categoryAxis.labels.boxAnchor = "e"
        plot.categoryAxis.labels.dx = -6
        plot.categoryAxis.reverseDirection = True
        plot.barLabels.boxAnchor = "w"
        plot.barLabels.dx = 3
    else:
        plot_height = 150
        height = plot_height + top + 45
        drawing = Drawing(CONTENT_WIDTH, height)
        plot = VerticalBarChart()
        plot.x, plot.y = 60, 40
        plot.width, plot.height = CONTENT_WIDTH - 80, plot_height
        plot.categoryAxis.labels.boxAnchor = "n"
        plot.categoryAxis.labels.dy = -4
        plot.barLabels.boxAnchor = "s"
        plot.barLabels.dy = 2
    plot.data = data
    plot.categoryAxis.categoryNames = [_short(c) for c in chart.categories]
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 9
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 8.5
    plot.valueAxis.labels.dx = -3
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = peak * 1.15
    plot.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    plot.barLabelFormat = lambda v: f"{v:,.2f}"
    plot.barLabels.fontName = FONT
    plot.barLabels.fontSize = 8
    plot.barSpacing = 2
    plot.groupSpacing = 8
    for index in range(series_count):
        plot.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        plot.bars[index].strokeColor = colors.black
        plot.bars[index].strokeWidth = 0.3
    drawing.add(plot)
    drawing.add(String(0, height - 14, chart.title, fontName=FONT, fontSize=11))
    if series_count > 1:
        legend = Legend()
        legend.fontName = FONT
        legend.fontSize = 9
        legend.x, legend.y = 8, height - 24
        legend.alignment = "right"
        legend.deltay = 13
        legend.columnMaximum = series_count  # one under the other: long labels fit
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
            for i, (name, _values) in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing
