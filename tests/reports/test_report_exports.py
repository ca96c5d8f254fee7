"""Journal and balance exports: same numbers as the ledger, formula injection neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jointfund.fund import report_data
from jointfund.ledger import Entry, Posting
from jointfund.reports.csv_out import csv_text
from jointfund.reports.formula_guard import FORMULA_START, neutralise
from jointfund.reports.ledger_exports import balances_table, journal_table
from jointfund.reports.tables import Table
from jointfund.reports.xlsx_out import workbook_bytes
from jointfund.store.books import Books

from .report_fixtures import built_demo

DANGEROUS = ('=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "  =1+1")


def test_neutralise_prefixes_every_formula_start() -> None:
    for text in DANGEROUS:
        assert neutralise(text).startswith("'"), text
    assert neutralise("Royalty") == "Royalty"
    assert neutralise("") == ""
    assert neutralise("a\x00b") == "a b"


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    safe = neutralise(text)
    assert safe[:1] not in FORMULA_START and safe.lstrip(" ")[:1] not in FORMULA_START
    cleaned = "".join(" " if ord(c) < 32 and c not in "\t\n\r" else c for c in text)
    assert safe in (cleaned, "'" + cleaned)


def test_csv_and_xlsx_guard_text_but_keep_numbers_numbers() -> None:
    table = Table(
        "t",
        ("text", "amount", "when"),
        tuple((t, Decimal("-1.50"), date(2026, 1, 2)) for t in DANGEROUS),
    )
    rows = list(csv.reader(io.StringIO(csv_text(table), newline="")))
    assert all(r[0].startswith("'") for r in rows[1:])
    assert all(r[1] == "-1.50" and r[2] == "2026-01-02" for r in rows[1:])
    sheet = load_workbook(io.BytesIO(workbook_bytes([table])))["t"]
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s" and str(row[0].value).startswith("'")
        assert row[1].data_type == "n" and Decimal(str(row[1].value)) == Decimal("-1.5")


def test_exports_carry_the_ledger_and_defuse_a_hostile_memo(sqlite_url: str) -> None:
    db = built_demo(sqlite_url)
    books = Books(db)
    books.post(
        Entry(
            "hostile",
            date(2026, 9, 1),
            "transfer",
            (Posting("Assets:Cash:USD", -100, "USD"), Posting("Expenses:Operating", 100, "USD")),
            memo="=cmd|' /C calc'!A0",
        )
    )
    journal = journal_table(report_data.all_entries(db))
    postings = sum(len(e.entry.postings) for e in books.journal(limit=10_000))
    assert len(journal.rows) == postings
    assert sum(journal.column("amount_minor")) == 0  # type: ignore[arg-type]
    text = csv_text(journal)
    assert "\n=cmd" not in text and ",=cmd" not in text and "'=cmd" in text
    sheet = load_workbook(io.BytesIO(workbook_bytes([journal])))["journal"]
    memos = [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in memos

    balances = balances_table(report_data.balance_lines(db))
    stored = {(b.account, b.currency): b.amount for b in books.balances()}
    exported = {(r[0], r[1]): r[4] for r in balances.rows}
    assert exported == stored
    book = load_workbook(io.BytesIO(workbook_bytes([balances])))["balances"]
    for account, currency, _partner, amount, minor in book.iter_rows(min_row=2, values_only=True):
        assert stored[(str(account), str(currency))] == minor == round(Decimal(str(amount)) * 100)
    as_of = balances_table(report_data.balance_lines(db, date(2025, 12, 31)))
    assert {r[0] for r in as_of.rows} < {r[0] for r in balances.rows} | {r[0] for r in as_of.rows}
    db.dispose()
