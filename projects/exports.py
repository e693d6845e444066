"""Excel export of beneficiaries: Chinese headers, masked values unless the user's role needs
the full ones, and every full value that leaves the system is logged."""

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from . import personal_data, services
from .models import Beneficiary, BeneficiaryViewLog


def beneficiaries_xlsx(*, beneficiaries: Iterable[Beneficiary], by) -> bytes:
    """The workbook's bytes. Rows the user may see in full carry the full ID and phone and are
    logged as exported; all others are masked."""
    access = personal_data.access_for(by)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Beneficiaries")
    headers = [
        pgettext("person", "name"),
        _("gender"),
        _("age"),
        _("ID number"),
        _("phone"),
        _("station"),
        _("categories"),
        _("projects"),
        _("consent date"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    revealed = []
    today = timezone.localdate()
    for beneficiary in beneficiaries:
        if access.may_see_full(beneficiary):
            id_number, phone = beneficiary.id_number, beneficiary.phone
            revealed.append(beneficiary)
        else:
            id_number, phone = beneficiary.id_number_masked, beneficiary.phone_masked
        sheet.append(
            [
                beneficiary.name,
                beneficiary.get_gender_display(),
                beneficiary.age_on(today),
                id_number,
                phone,
                beneficiary.station.name,
                "、".join(c.get_category_display() for c in beneficiary.categories.all()),
                "、".join(p.title for p in beneficiary.projects.all()),
                beneficiary.consent_date,
            ]
        )
    for column, width in zip("ABCDEFGHI", (10, 6, 12, 22, 15, 20, 24, 30, 12), strict=True):
        sheet.column_dimensions[column].width = width
    services.log_personal_data_access(
        beneficiaries=revealed, by=by, action=BeneficiaryViewLog.Action.EXPORT
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
