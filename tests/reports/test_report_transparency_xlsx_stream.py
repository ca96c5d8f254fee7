"""The transparency workbook written as the payments are read: the same sheets and cells as
the workbook built from the whole report, and a table longer than a sheet holds going on over
further sheets with its header, so no reader drops rows past its limit."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jointfund.fund import documents, public_reports, transparency_data
from jointfund.reports.tables import Cell, RowStream, Table
from jointfund.reports.transparency import transparency_tables
from jointfund.reports.xlsx_out import EXCEL_ROWS, workbook_bytes, write_workbook
from jointfund.store import Database
from tests.operator import operator

from .report_fixtures import demo_db

__all__ = ["demo_db"]


def _sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


@pytest.mark.parametrize("year", [None, 2025])
def test_the_streamed_workbook_holds_the_cells_of_the_whole_report(
    demo_db: Database, year: int | None
) -> None:
    streamed = io.BytesIO()
    written = public_reports.write_transparency(demo_db, year, "xlsx", streamed)
    report = transparency_data.transparency_report(demo_db, year)
    assert written == len(report.rows) > 0
    whole = _sheets(workbook_bytes(transparency_tables(report)))
    found = _sheets(streamed.getvalue())
    assert list(found) == list(whole) == ["payments", "by resource", "by oblast", "by stream",
                                          "by year"]  # fmt: skip
    assert found == whole


def test_the_administrator_s_workbook_is_streamed_logged_and_hashed(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "t.xlsx"
    with path.open("wb") as out:
        done = documents.transparency_streamed(
            demo_db, operator(demo_db), out, year=2025, fmt="xlsx"
        )
    assert done.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_workbook(path, read_only=True).sheetnames[0] == "payments"


def test_a_table_longer_than_a_sheet_goes_on_over_further_sheets_with_its_header() -> None:
    drawn: list[int] = []

    def rows() -> Iterator[tuple[Cell, ...]]:
        for n in range(1, 8):
            drawn.append(n)
            yield (n, f"=cmd|{n}", Decimal(n) / 100)

    tables = [
        RowStream("payments", ("n", "text", "amount"), rows()),
        Table("by year", ("year", "payments"), (("2026", 7),)),
    ]
    out = io.BytesIO()
    write_workbook(tables, out, sheet_rows=4)  # a header and three rows a sheet
    found = _sheets(out.getvalue())
    assert list(found) == ["payments", "payments (2)", "payments (3)", "by year"]
    header = ("n", "text", "amount")
    assert [len(found[s]) - 1 for s in list(found)[:3]] == [3, 3, 1]
    assert all(found[s][0] == header for s in list(found)[:3])
    body = [r for s in list(found)[:3] for r in found[s][1:]]
    assert [r[0] for r in body] == list(range(1, 8)) and drawn == list(range(1, 8))
    assert body[0][1] == "'=cmd|1", "text is never a formula"
    assert found["by year"] == [("year", "payments"), ("2026", 7)]
    assert EXCEL_ROWS == 2**20
