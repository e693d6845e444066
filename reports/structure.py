"""What a report kind computes and every renderer draws: a title and sections of tables.

Numbers are ``Decimal`` (money) or ``int`` (counts), never float: the renderers refuse floats
so a rounding error cannot reach paper.
"""

from dataclasses import dataclass, field
from decimal import Decimal

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn on the server: one bar group per category, one bar per series."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | int]]]
    horizontal: bool = False


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]

    def column(self, header: str) -> list[Cell]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str  # stable identifier, for tests and for later kinds that add sections
    title: str
    table: Table
    chart: Chart | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportResult:
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)
