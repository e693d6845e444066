"""The 志愿服务证明 as a PDF: ReportLab with the embedded Chinese font of ``config.pdf_fonts``
and a QR code to the public verification page."""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from config import pdf_fonts

from .models import Certificate

FONT = pdf_fonts.register()


def _chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


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
    """The certificate as PDF bytes. The certificate's texts are in Chinese, like the form
    the national volunteer system uses."""
    volunteer = certificate.volunteer
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"志愿服务证明 {certificate.number}")
    pdf.setAuthor(certificate.station.name)
    width, height = A4
    left, right = 25 * mm, width - 25 * mm

    pdf.setFont(FONT, 24)
    pdf.drawCentredString(width / 2, height - 35 * mm, "志愿服务证明")
    pdf.setFont(FONT, 10)
    pdf.drawRightString(right, height - 45 * mm, f"证明编号：{certificate.number}")

    y = height - 60 * mm
    pdf.setFont(FONT, 12)
    id_text = f"居民身份证 {volunteer.id_number_masked}" if volunteer.id_number_masked else "未登记"
    rows = [
        ("姓名", volunteer.real_name),
        ("证件类型及号码", id_text),
        ("志愿者编号", volunteer.number),
        (
            "服务时段",
            f"{_chinese_date(certificate.period_start)}至{_chinese_date(certificate.period_end)}",
        ),
        (
            "累计服务时长",
            f"{certificate.total_hours:.2f} 小时（共 {certificate.record_count} 次，已认证）",
        ),
    ]
    for label, value in rows:
        pdf.drawString(left, y, f"{label}：{value}")
        y -= 9 * mm

    pdf.drawString(left, y, "服务内容：")
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
    statement = (
        f"兹证明 {volunteer.real_name} 同志在上述时段内参加志愿服务，"
        f"经核实累计服务时长 {certificate.total_hours:.2f} 小时（不含往返路途时间）。特此证明。"
    )
    for part in _wrap(statement, right - left, 12):
        pdf.drawString(left, y, part)
        y -= 7 * mm

    y = 55 * mm
    pdf.drawString(left, y, f"出具单位：{certificate.station.name}")
    pdf.drawString(left, y - 8 * mm, f"负责人：{certificate.person_in_charge or '—'}")
    pdf.drawString(left, y - 16 * mm, f"经办人：{certificate.handler or '—'}")
    pdf.drawString(left, y - 24 * mm, f"联系电话：{certificate.contact or '—'}")
    issued = timezone.localtime(certificate.issued_at).date()
    pdf.drawString(left, y - 32 * mm, f"出具日期：{_chinese_date(issued)}")

    qr = QrCodeWidget(verification_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, right - size, 30 * mm)
    # On screen the code is also a link; on paper the address is printed for those who type it.
    pdf.linkURL(verification_url, (right - size, 30 * mm, right, 30 * mm + size), relative=0)
    pdf.setFont(FONT, 8)
    pdf.drawCentredString(right - size / 2, 26 * mm, "扫码核验真伪")
    pdf.setFont(FONT, 7)
    pdf.drawRightString(right, 21 * mm, verification_url)
    pdf.drawCentredString(width / 2, 15 * mm, "本证明免费出具，仅统计经服务站认证的服务时长。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
