"""Donation exports for staff: Excel (XLSX) and CSV with Chinese headers and masked phones."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from .models import Receipt


def headers() -> list[str]:
    return [
        pgettext("export column", "Reference code"),
        pgettext("export column", "Created"),
        pgettext("export column", "Confirmed"),
        pgettext("export column", "Donor"),
        pgettext("export column", "Shown as"),
        pgettext("export column", "Mobile"),
        pgettext("export column", "Amount (yuan)"),
        pgettext("export column", "Fund"),
        pgettext("export column", "Campaign"),
        pgettext("export column", "Project"),
        pgettext("export column", "Station"),
        pgettext("export column", "Donation point"),
        pgettext("export column", "Channel"),
        pgettext("export column", "Status"),
        pgettext("export column", "Receipt number"),
        pgettext("export column", "Payment reference"),
    ]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def rows(donations) -> list[list]:
    result = []
    for d in donations:
        receipt = next((r for r in d.receipts.all() if r.status == Receipt.Status.VALID), None)
        result.append(
            [
                d.reference,
                _local(d.created_at),
                _local(d.confirmed_at),
                d.donor_name,
                d.public_name,
                d.masked_mobile,
                d.amount,
                d.fund.name,
                d.campaign.title if d.campaign else "",
                d.project.title if d.project else "",
                d.fund.station.name,
                d.point.name if d.point else "",
                d.get_channel_display(),
                d.get_status_display(),
                receipt.number if receipt else "",
                d.payment_reference,
            ]
        )
    return result


def _filename(extension: str) -> str:
    return f"donations-{timezone.localdate():%Y%m%d}.{extension}"


def xlsx_response(donations) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Donations")
    sheet.append(headers())
    for row in rows(donations):
        sheet.append([_csv_safe(v) if isinstance(v, str) else v for v in row])
    for cell in sheet["G"][1:]:
        cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


def csv_response(donations) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel on Windows reads UTF-8 CSV only with a byte order mark
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(donations):
        writer.writerow([f"{v:.2f}" if hasattr(v, "quantize") else _csv_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _csv_safe(value) -> str:
    # A cell starting with = + - @ would run as a formula in Excel (formula injection).
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
