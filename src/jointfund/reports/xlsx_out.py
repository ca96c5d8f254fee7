"""Writing report tables as an XLSX workbook, one sheet per table, text cells guarded."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from jointfund.reports.formula_guard import neutralise
from jointfund.reports.tables import Cell

_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name)[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _value(cell: Cell) -> object:
    if isinstance(cell, str):
        return neutralise(cell)
    return cell


def _number_format(cell: Cell) -> str | None:
    if isinstance(cell, Decimal):
        places = max(0, -int(cell.as_tuple().exponent))
        return "#,##0" + ("." + "0" * places if places else "")
    return None


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> SheetCell:
    cell = WriteOnlyCell(sheet, value=cast(Any, _value(value)))
    fmt = _number_format(value)
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, str):
        # Never let openpyxl infer a formula from text, whatever it holds.
        cell.data_type = "s"
    return cell


EXCEL_ROWS = 1_048_576
"""The most rows a sheet holds in Excel (and in the XLSX format's other readers)."""


class SheetSource(Protocol):
    """A sheet's name, column names and rows: a `Table`, or rows read as they are written."""

    @property
    def name(self) -> str: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> Iterable[Sequence[Cell]]: ...


def write_workbook(
    tables: Iterable[SheetSource], out: BinaryIO, *, sheet_rows: int = EXCEL_ROWS
) -> None:
    """The tables as an XLSX workbook written to `out`, one sheet each (names made unique and
    legal); a table longer than a sheet holds goes on over sheets "name (2)", "name (3)", each
    with the header, so no reader drops or refuses rows past its limit.

    Written row by row in openpyxl's write-only mode: each row goes to the sheet's file as it
    is appended, so the workbook never holds a cell object per cell of the tables (a
    200,000-row transparency workbook took 1.5 GB the other way), and rows read as they are
    written keep memory flat in the number of rows."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = _new_sheet(book, table, taken)
        written = 1
        for row in table.rows:
            if written == sheet_rows:
                sheet, written = _new_sheet(book, table, taken), 1
            sheet.append([_cell(sheet, c) for c in row])
            written += 1
    book.save(out)


def _new_sheet(book: Workbook, table: SheetSource, taken: set[str]) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(_sheet_title(table.name, taken))  # the stubs say Any
    for col, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(name) + 4))
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, c) for c in table.columns])
    made: WriteOnlyWorksheet = sheet
    return made


def workbook_bytes(tables: Sequence[SheetSource]) -> bytes:
    """The tables as XLSX bytes (`write_workbook` into memory)."""
    buffer = io.BytesIO()
    write_workbook(tables, buffer)
    return buffer.getvalue()


def write_xlsx(tables: Sequence[SheetSource], path: Path) -> Path:
    """Write the tables to an XLSX file and return its path."""
    with path.open("wb") as out:
        write_workbook(tables, out)
    return path
