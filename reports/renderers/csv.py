"""CSV: UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""

import csv
import io
from typing import BinaryIO

from ..structure import ReportResult
from . import checked_cell


def render_csv(result: ReportResult, out: BinaryIO) -> None:
    """Sections one after another: a title row, the header row, the rows, a blank row."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([result.title])
    writer.writerow([result.subtitle])
    writer.writerow([])
    for section in result.sections:
        writer.writerow([section.title])
        writer.writerow(section.table.headers)
        for row in section.table.rows:
            # Plain numbers (1234.50, no separators) so spreadsheets read them as numbers.
            writer.writerow(["" if cell is None else str(checked_cell(cell)) for cell in row])
        if section.note:
            writer.writerow([section.note])
        writer.writerow([])
    for note in result.notes:
        writer.writerow([note])
    text.flush()
    text.detach()  # leave the binary file open for the caller
