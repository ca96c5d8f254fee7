"""Writing report tables as an XLSX workbook, one sheet per table, text cells guarded."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from jointfund.reports.formula_guard import neutralise
from jointfund.reports.tables import Cell, Table

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


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as XLSX bytes, one sheet each (sheet names made unique and legal).

    Written row by row in openpyxl's write-only mode: each row goes to the sheet's file as it
    is appended, so the workbook never holds a cell object per cell of the tables (a
    200,000-row transparency workbook took 1.5 GB the other way)."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.name, taken))
        for col, name in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(name) + 4))
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(sheet, c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """Write the tables to an XLSX file and return its path."""
    path.write_bytes(workbook_bytes(tables))
    return path
