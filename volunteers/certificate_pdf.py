"""The 志愿服务证明 as a PDF: ReportLab with the embedded Chinese font of ``core.pdf_fonts``
and a QR code to the public verification page."""

import io

from django.utils import timezone
from django.utils.translation import pgettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from core import pdf_fonts

from .models import Certificate

FONT = pdf_fonts.register()


def _date(value) -> str:
    return pgettext("certificate date", "%(month)s/%(day)s/%(year)s") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
    }


def _line(label: str, value) -> str:
    return pgettext("certificate", "%(label)s: %(value)s") % {"label": label, "value": value}


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (Chinese has no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def render_certificate_pdf(certificate: Certificate, verification_url: str) -> bytes:
    """The certificate as PDF bytes, in the active language: in Chinese (the default) its texts
    are those of the form the national volunteer system uses."""
    volunteer = certificate.volunteer
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    title = pgettext("certificate", "Volunteer service certificate")
    pdf.setTitle(f"{title} {certificate.number}")
    pdf.setAuthor(certificate.station.name)
    width, height = A4
    left, right = 25 * mm, width - 25 * mm

    pdf.setFont(FONT, 24)
    pdf.drawCentredString(width / 2, height - 35 * mm, title)
    pdf.setFont(FONT, 10)
    pdf.drawRightString(
        right,
        height - 45 * mm,
        _line(pgettext("certificate", "Certificate number"), certificate.number),
    )

    y = height - 60 * mm
    pdf.setFont(FONT, 12)
    id_text = (
        pgettext("certificate", "Resident identity card %(number)s")
        % {"number": volunteer.id_number_masked}
        if volunteer.id_number_masked
        else pgettext("certificate", "Not registered")
    )
    rows = [
        (pgettext("certificate", "Name"), volunteer.real_name),
        (pgettext("certificate", "Type and number of identity document"), id_text),
        (pgettext("certificate", "Volunteer number"), volunteer.number),
        (
            pgettext("certificate", "Period of service"),
            pgettext("certificate", "%(start)s to %(end)s")
            % {"start": _date(certificate.period_start), "end": _date(certificate.period_end)},
        ),
        (
            pgettext("certificate", "Total hours of service"),
            pgettext("certificate", "%(hours)s hours (%(count)s times, verified)")
            % {"hours": f"{certificate.total_hours:.2f}", "count": certificate.record_count},
        ),
    ]
    for label, value in rows:
        pdf.drawString(left, y, _line(label, value))
        y -= 9 * mm

    pdf.drawString(left, y, _line(pgettext("certificate", "Service content"), ""))
    y -= 7 * mm
    pdf.setFont(FONT, 11)
    for line in certificate.service_content.splitlines() or ["—"]:
        for part in _wrap(line, right - left - 8 * mm, 11):
            if y < 95 * mm:
                break
            pdf.drawString(left + 8 * mm, y, part)
            y -= 6 * mm

    pdf.setFont(FONT, 12)
    y = min(y - 6 * mm, 90 * mm)
    statement = pgettext(
        "certificate",
        "This is to certify that %(name)s took part in volunteer service in the period above, "
        "with %(hours)s verified hours of service in total (travel time not included).",
    ) % {"name": volunteer.real_name, "hours": f"{certificate.total_hours:.2f}"}
    for part in _wrap(statement, right - left, 12):
        pdf.drawString(left, y, part)
        y -= 7 * mm

    y = 55 * mm
    footer = [
        (pgettext("certificate", "Issued by"), certificate.station.name),
        (pgettext("certificate", "Person in charge"), certificate.person_in_charge or "—"),
        (pgettext("certificate", "Handled by"), certificate.handler or "—"),
        (pgettext("certificate", "Contact telephone"), certificate.contact or "—"),
        (
            pgettext("certificate", "Date of issue"),
            _date(timezone.localtime(certificate.issued_at).date()),
        ),
    ]
    for n, (label, value) in enumerate(footer):
        pdf.drawString(left, y - 8 * n * mm, _line(label, value))

    qr = QrCodeWidget(verification_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, right - size, 30 * mm)
    # On screen the code is also a link; on paper the address is printed for those who type it.
    pdf.linkURL(verification_url, (right - size, 30 * mm, right, 30 * mm + size), relative=0)
    pdf.setFont(FONT, 8)
    pdf.drawCentredString(
        right - size / 2, 26 * mm, pgettext("certificate", "Scan to check it is genuine")
    )
    pdf.setFont(FONT, 7)
    pdf.drawRightString(right, 21 * mm, verification_url)
    pdf.drawCentredString(
        width / 2,
        15 * mm,
        pgettext(
            "certificate",
            "This certificate is issued free of charge and counts only service hours verified "
            "by the station.",
        ),
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
