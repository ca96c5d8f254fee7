"""Report tables as plain data: named columns and typed cells, ready for CSV, XLSX or HTML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jointfund.money import exponent, format_amount

# Numbers stay numbers (never neutralised, written as numbers in XLSX); only text is guarded.
Cell = str | int | Decimal | date | bool | None


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet or CSV file: a title, its column names and rows of cells."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def column(self, name: str) -> list[Cell]:
        """Every cell of one column, in row order."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class RowStream:
    """A table whose rows are read as they are written (a sheet of every filed payment):
    iterable once."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[tuple[Cell, ...]]


def major(minor: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal in major units (1234 USD cents -> 12.34)."""
    return Decimal(minor).scaleb(-exponent(currency))


def shown(minor: int, currency: str) -> str:
    """Minor units as grouped text for people ("1,234.56")."""
    return format_amount(minor, currency, grouping=True)
