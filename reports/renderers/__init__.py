"""Renderers draw a ``ReportResult`` into a file object: PDF, XLSX and CSV."""

from decimal import Decimal

from ..structure import Cell


def checked_cell(value: Cell) -> Cell:
    """The value, if it is one a report may print; floats are refused (money is Decimal)."""
    if value is None or isinstance(value, (str, Decimal)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"a report cell must be str, int or Decimal, not {type(value).__name__}")


def format_number(value: Cell) -> str:
    """How a number reads on paper: 1,234.50 for money, 12 for counts."""
    value = checked_cell(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value
