"""The payments sheet of the EITI summary data as CSV, spelled a line at a time for streaming:
the same bytes as `csv_text(transparency_tables(report)[0])` (transparency_parts says how)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from jointfund.reports.csv_out import csv_rows, csv_text
from jointfund.reports.tables import Cell, Table
from jointfund.reports.transparency import ROW_COLUMNS, FiledPayment, PublicLicence
from jointfund.reports.transparency_parts import LineParts

CHUNK = 5000  # lines a chunk: what `payments_csv` yields at a time


def _fields(_names: Sequence[str], cells: Sequence[Cell]) -> str:
    """Cells as csv_rows spells them inside a longer line (one empty field alone would be
    quoted, so a trailing empty field is spelled with them and cut off)."""
    return csv_rows([(*cells, "")])[:-3]


def payments_csv(
    payments: Iterable[FiledPayment], licences: Mapping[str, PublicLicence], usd: str
) -> Iterator[str]:
    """The header, then the payments' lines, `CHUNK` lines a chunk (memory does not grow with
    the payments)."""
    yield csv_text(Table("payments", ROW_COLUMNS, ()))
    parts = LineParts(usd, _fields)
    lines: list[str] = []
    for p in payments:
        lines.append(",".join(parts.line(p, licences[p.licence_id])) + "\r\n")
        if len(lines) == CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
