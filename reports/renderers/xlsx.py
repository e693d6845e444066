"""XLSX with openpyxl: one sheet per section, Chinese headers, numbers stored as numbers."""

import re
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..structure import ReportResult
from . import checked_cell

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="F3D9DA")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, number = base, 2
    while name in taken:
        name = f"{base[:25]}({number})"
        number += 1
    taken.add(name)
    return name


def render_xlsx(result: ReportResult, out: BinaryIO) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for section in result.sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, taken))
        sheet.append(section.table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in section.table.rows:
            sheet.append([checked_cell(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
        if section.note:
            sheet.append([])
            sheet.append([section.note])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(section.table.headers, start=1):
            values = [str(header)] + [str(r[index - 1] or "") for r in section.table.rows]
            width = max(len(v) for v in values)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(12, width * 2), 60)
    if not result.sections:
        workbook.create_sheet(_sheet_title(result.title, taken)).append([result.title])
    workbook.properties.title = result.title
    workbook.save(out)
