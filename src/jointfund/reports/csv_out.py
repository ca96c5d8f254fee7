"""Writing report tables as CSV: UTF-8, one header row, text cells guarded against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from jointfund.reports.formula_guard import neutralise
from jointfund.reports.tables import Cell, Table


def csv_cell(value: Cell) -> str:
    """One cell as CSV text; numbers and dates as written, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def csv_text(table: Table) -> str:
    """The table as CSV text."""
    buffer = io.StringIO()
    # RFC 4180 line ends, so a field holding a bare CR or LF is always quoted.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(c) for c in row])
    return buffer.getvalue()


def csv_rows(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows without a header, as `csv_text` spells them (to stream a table in chunks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    spelled: dict[Cell, str] = {}  # names, codes and labels repeat down a column
    for row in rows:
        line = []
        for c in row:
            text = spelled.get(c) if isinstance(c, str) else None
            if text is None:
                text = csv_cell(c)
                if isinstance(c, str) and len(spelled) < 100_000:
                    spelled[c] = text
            line.append(text)
        writer.writerow(line)
    return buffer.getvalue()


def write_csv(table: Table, path: Path) -> Path:
    """Write the table to a CSV file and return its path."""
    path.write_text(csv_text(table), encoding="utf-8", newline="")
    return path
