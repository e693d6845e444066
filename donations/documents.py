"""PDF documents: the receipt, the donation point's QR poster and a donor's annual statement.

Text is set in the Chinese font of ``core.pdf_fonts``, embedded (subset) in each file, so the
PDF reads the same on any phone or computer. QR codes are drawn as vectors by ReportLab.
"""

import io
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from core import pdf_fonts
from core.people import display_name
from core.site import absolute_url
from funds.money import format_yuan

from .capital_numerals import amount_in_capitals

FONT = pdf_fonts.register()
RED = Color(0.706, 0.137, 0.173)
GREY = Color(0.4, 0.4, 0.4)


def _date(value) -> str:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines that fit ``width`` (CJK text has no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if char == "\n" or pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = "" if char == "\n" else char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _new_canvas(buffer: io.BytesIO, pagesize, title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(str(_("Social Work and Charity Station Platform")))
    return canvas


def receipt_pdf(receipt) -> bytes:
    """The receipt as a PDF: number, check code and QR to verify, date, payer, purpose, amount
    in figures and capital numerals, receiving organisation and handler."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = io.BytesIO()
        width, height = landscape(A5)
        canvas = _new_canvas(buffer, (width, height), receipt.number)
        host = receipt.host
        canvas.setFillColor(RED)
        canvas.setFont(FONT, 20)
        canvas.drawCentredString(width / 2, height - 22 * mm, _("Donation receipt"))
        canvas.setFont(FONT, 11)
        canvas.drawCentredString(width / 2, height - 29 * mm, host.name)
        canvas.setFillColor(black)
        canvas.setFont(FONT, 10)
        canvas.drawString(
            15 * mm, height - 38 * mm, _("No. %(number)s") % {"number": receipt.number}
        )
        canvas.drawRightString(
            width - 15 * mm,
            height - 38 * mm,
            _("Check code: %(code)s") % {"code": receipt.check_code},
        )
        rows = [
            (_("Date"), _date(receipt.issued_at)),
            (_("Payer"), receipt.payer_name),
            (_("Project / purpose"), receipt.purpose),
            (_("Amount in figures"), format_yuan(receipt.amount)),
            (_("Amount in words"), amount_in_capitals(receipt.amount)),
            (_("Receiving organisation"), f"{host.name}（{host.credit_code}）"),
            (_("Handler"), receipt.handler),
        ]
        top = height - 44 * mm
        row_height = 9 * mm
        left, label_width, right = 15 * mm, 32 * mm, width - 60 * mm
        canvas.setLineWidth(0.6)
        canvas.setStrokeColor(RED)
        canvas.rect(left, top - row_height * len(rows), right - left, row_height * len(rows))
        for index, (label, value) in enumerate(rows):
            y = top - row_height * (index + 1)
            if index:
                canvas.line(left, y + row_height, right, y + row_height)
            canvas.setFont(FONT, 10)
            canvas.setFillColor(GREY)
            canvas.drawString(left + 2 * mm, y + 3 * mm, str(label))
            canvas.setFillColor(black)
            size = 12 if index in (3, 4) else 10.5
            text = _wrap(str(value), right - left - label_width - 4 * mm, size)[0]
            canvas.setFont(FONT, size)
            canvas.drawString(left + label_width, y + 3 * mm, text)
        canvas.line(
            left + label_width - 2 * mm,
            top,
            left + label_width - 2 * mm,
            top - row_height * len(rows),
        )
        verify_url = absolute_url(receipt.get_absolute_url())
        _qr(canvas, verify_url, width - 52 * mm, top - 42 * mm, 40 * mm)
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(width - 32 * mm, top - 47 * mm, _("Scan to verify"))
        canvas.setFillColor(GREY)
        canvas.setFont(FONT, 8)
        canvas.drawString(left, 12 * mm, verify_url)
        if receipt.status == receipt.Status.VOID:
            canvas.saveState()
            canvas.setFillColor(Color(0.8, 0, 0, alpha=0.35))
            canvas.setFont(FONT, 72)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(20)
            canvas.drawCentredString(0, -20, _("VOID"))
            canvas.restoreState()
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def poster_pdf(point, *, url: str, targets: list) -> bytes:
    """An A4 poster for the donation point: its name, a large QR code to ``url``, the host
    and its filing numbers, and what the point collects for."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = io.BytesIO()
        width, height = A4
        canvas = _new_canvas(buffer, A4, point.name)
        canvas.setFillColor(RED)
        canvas.rect(0, height - 45 * mm, width, 45 * mm, stroke=0, fill=1)
        canvas.setFillColor(white)
        canvas.setFont(FONT, 30)
        for index, line in enumerate(_wrap(point.name, width - 30 * mm, 30)[:2]):
            canvas.drawCentredString(width / 2, height - 22 * mm - index * 12 * mm, line)
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(width / 2, height - 40 * mm, _("Community charity donation point"))
        canvas.setFillColor(black)
        canvas.setFont(FONT, 22)
        canvas.drawCentredString(width / 2, height - 62 * mm, _("Scan to give"))
        qr_size = 95 * mm
        _qr(canvas, url, (width - qr_size) / 2, height - 165 * mm, qr_size)
        canvas.setFont(FONT, 10)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(width / 2, height - 171 * mm, url)
        canvas.setFillColor(black)
        y = height - 184 * mm
        hosts, filings = [], []
        for target in targets:
            if target.host.name not in hosts:
                hosts.append(target.host.name)
            if target.filing_number and target.filing_number not in filings:
                filings.append(target.filing_number)
        lines = [_("Fundraising organisation: %(hosts)s") % {"hosts": "、".join(hosts) or "—"}]
        if filings:
            lines.append(_("Public fundraising filing number: %(numbers)s")
                         % {"numbers": "、".join(filings)})  # fmt: skip
        lines.append(_("Collecting for:"))
        lines += [f"· {target.title}（{target.kind_label}）" for target in targets[:8]]
        if point.place:
            lines.append(_("Place: %(place)s") % {"place": point.place})
        if point.opening_hours:
            lines.append(_("Opening hours: %(hours)s") % {"hours": point.opening_hours})
        canvas.setFont(FONT, 13)
        for line in lines:
            for part in _wrap(str(line), width - 40 * mm, 13):
                canvas.drawString(20 * mm, y, part)
                y -= 7 * mm
        canvas.setFont(FONT, 10)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(
            width / 2,
            15 * mm,
            _(
                "Every gift gets a receipt you can verify; see where the money went on the receipt page."
            ),
        )
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def annual_statement_pdf(*, masked_mobile: str, year: int, donations: list) -> bytes:
    """All confirmed gifts of one donor in ``year``, with their receipt numbers and the total."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = io.BytesIO()
        width, height = A4
        title = _("Statement of donations %(year)s") % {"year": year}
        canvas = _new_canvas(buffer, A4, title)
        canvas.setFont(FONT, 18)
        canvas.setFillColor(RED)
        canvas.drawCentredString(width / 2, height - 25 * mm, title)
        canvas.setFillColor(black)
        canvas.setFont(FONT, 11)
        canvas.drawString(
            20 * mm, height - 36 * mm, _("Mobile: %(mobile)s") % {"mobile": masked_mobile}
        )
        canvas.drawRightString(
            width - 20 * mm,
            height - 36 * mm,
            _("Printed %(date)s") % {"date": _date(timezone.now())},
        )
        columns = [20 * mm, 52 * mm, 95 * mm, width - 20 * mm]
        y = height - 48 * mm

        def header(y: float) -> float:
            canvas.setFont(FONT, 10)
            canvas.setFillColor(GREY)
            for x, label in zip(
                columns[:3], (_("Date"), _("Receipt number"), _("Project / purpose")), strict=True
            ):
                canvas.drawString(x, y, str(label))
            canvas.drawRightString(columns[3], y, str(_("Amount")))
            canvas.setFillColor(black)
            return y - 7 * mm

        y = header(y)
        total = Decimal("0.00")
        for donation in donations:
            if y < 30 * mm:
                canvas.showPage()
                y = header(height - 25 * mm)
            receipt = next((r for r in donation.receipts.all() if r.status == "valid"), None)
            canvas.setFont(FONT, 10)
            canvas.drawString(columns[0], y, _date(donation.confirmed_at))
            canvas.drawString(columns[1], y, receipt.number if receipt else str(_("waived")))
            canvas.drawString(
                columns[2], y, _wrap(donation.purpose, columns[3] - columns[2] - 30 * mm, 10)[0]
            )
            canvas.drawRightString(columns[3], y, format_yuan(donation.amount))
            total += donation.amount
            y -= 6.5 * mm
        canvas.line(columns[0], y + 3 * mm, columns[3], y + 3 * mm)
        canvas.setFont(FONT, 12)
        canvas.drawString(
            columns[0], y - 3 * mm, _("Total: %(count)d gifts") % {"count": len(donations)}
        )
        canvas.drawRightString(columns[3], y - 3 * mm, format_yuan(total))
        canvas.setFont(FONT, 11)
        canvas.drawRightString(columns[3], y - 10 * mm, amount_in_capitals(total))
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def goods_receipt_pdf(donation) -> bytes:
    """The goods receipt (物资捐赠收据): number, date, donor (爱心人士 when anonymous), the
    receiving station and point, every item with its quantity, unit, condition and expiry, the
    value only where it is confirmed, and a total in capital numerals only when every item's
    value is confirmed (a partial sum would read as the value of the whole gift)."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = io.BytesIO()
        width, height = A4
        canvas = _new_canvas(buffer, A4, donation.receipt_number)
        point = donation.point
        canvas.setFillColor(RED)
        canvas.setFont(FONT, 20)
        canvas.drawCentredString(width / 2, height - 25 * mm, _("Goods donation receipt"))
        canvas.setFont(FONT, 11)
        canvas.drawCentredString(width / 2, height - 33 * mm, point.station.name)
        canvas.setFillColor(black)
        canvas.setFont(FONT, 10.5)
        left, right = 18 * mm, width - 18 * mm
        y = height - 45 * mm
        for line in (
            _("No. %(number)s") % {"number": donation.receipt_number},
            _("Date: %(date)s") % {"date": _date(donation.received_at)},
            _("Donor: %(name)s") % {"name": donation.public_name},
            _("Received at: %(point)s") % {"point": point.name},
        ):
            canvas.drawString(left, y, line)
            y -= 6.5 * mm
        columns = [left, left + 50 * mm, left + 80 * mm, left + 100 * mm, left + 130 * mm]
        labels = (pgettext("goods", "Item"), _("Quantity"), _("Condition"), _("Expiry date"))
        y -= 4 * mm
        canvas.setFont(FONT, 10)
        canvas.setFillColor(GREY)
        for x, label in zip(columns, labels, strict=False):
            canvas.drawString(x, y, str(label))
        canvas.drawRightString(right, y, str(_("Confirmed value")))
        canvas.setFillColor(black)
        canvas.line(left, y - 2 * mm, right, y - 2 * mm)
        y -= 8 * mm
        items = list(donation.items.all())
        for item in items:
            if y < 40 * mm:
                canvas.showPage()
                canvas.setFont(FONT, 10)
                y = height - 25 * mm
            canvas.drawString(columns[0], y, _wrap(item.name, 48 * mm, 10)[0])
            canvas.drawString(columns[1], y, f"{_quantity(item.quantity)} {item.unit}")
            canvas.drawString(columns[2], y, str(item.get_condition_display()))
            canvas.drawString(columns[3], y, _date(item.expiry_date) if item.expiry_date else "—")
            canvas.drawRightString(right, y, format_yuan(item.value) if item.value else "—")
            y -= 6.5 * mm
        canvas.line(left, y + 3 * mm, right, y + 3 * mm)
        canvas.setFont(FONT, 11)
        canvas.drawString(left, y - 3 * mm, _("%(count)d items in all") % {"count": len(items)})
        if items and all(item.value for item in items):
            total = sum(item.value for item in items)
            canvas.drawRightString(right, y - 3 * mm, format_yuan(total))
            canvas.drawRightString(right, y - 10 * mm, amount_in_capitals(total))
        elif any(item.value for item in items):
            canvas.setFont(FONT, 9)
            canvas.setFillColor(GREY)
            canvas.drawRightString(
                right, y - 3 * mm, _("Value shown only for the items whose value is confirmed.")
            )
            canvas.setFillColor(black)
        canvas.setFont(FONT, 10.5)
        canvas.drawString(
            left,
            y - 20 * mm,
            _("Handler: %(name)s") % {"name": display_name(donation.received_by)},
        )
        canvas.setFont(FONT, 9)
        canvas.setFillColor(GREY)
        canvas.drawString(
            left, 15 * mm, _("Thank you for your gift. The goods go to residents in need.")
        )
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
