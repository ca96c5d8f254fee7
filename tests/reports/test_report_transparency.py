"""The EITI summary data: every required column and code, totals equal to filings and ledger."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from jointfund.fund import cycle_report, report_data, transparency_data
from jointfund.reports.transparency import (
    GOVERNMENT_ENTITIES,
    ROW_COLUMNS,
    transparency_json,
    transparency_tables,
)
from jointfund.reports.xlsx_out import workbook_bytes
from jointfund.store import Database
from jointfund.store.books import Books
from jointfund.store.filing_reads import filing_rows
from jointfund.terms import RevenueStream, stream_info
from tests.operator import operator

from .report_fixtures import built_demo, demo_db

__all__ = ["demo_db"]

EITI_MINIMUM = (
    "fiscal_year",
    "currency",
    "government_entity",
    "gfs_code",
    "revenue_stream_name",
    "company",
    "company_registry_id",
    "licence_id",
    "payment_form",
    "amount",
)


def _latest_sums(db: Database, year: int | None) -> dict[str, list[int]]:
    with db.read() as conn:
        rows = filing_rows(conn, year=year)
    newest: dict[str, Any] = {}
    for r in rows:
        have = newest.get(r.payer_reference)
        if have is None or r.version > have.version:
            newest[r.payer_reference] = r
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in newest.values():
        s = sums[r.currency]
        s[0] += r.gross_minor
        s[1] += r.fund_minor
        s[2] += r.budget_minor
        s[3] += r.reporting_minor
    return dict(sums)


def test_totals_match_the_filings_on_both_backends(db_url: str) -> None:
    db = built_demo(db_url)
    try:
        for year in (2025, 2026, None):
            report = transparency_data.transparency_report(db, year)
            want = _latest_sums(db, year)
            for name, lines in report.totals.items():
                got: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
                for t in lines:
                    g = got[t.currency]
                    g[0] += t.amount_minor
                    g[1] += t.fund_share_minor
                    g[2] += t.budget_share_minor
                    g[3] += t.fund_share_usd_minor
                assert dict(got) == want, (year, name)
            assert sum(t.payments for t in report.totals["stream"]) == len(report.rows)
    finally:
        db.dispose()


def test_fund_share_equals_what_the_ledger_holds(demo_db: Database) -> None:
    report = transparency_data.transparency_report(demo_db, None)
    books = Books(demo_db)
    # The example's corrected filing arrives in the same file as its first version, and the
    # intake books both; the reconciliation names that (see test_report_reconciliation).
    stale = sum(r.superseded_still_booked for r in report_data.fund_receipts(demo_db))
    # Under the agreement's cycle the fund's share is due when received and reaches the books
    # when transferred: what the ledger holds plus what remains due is the share.
    cycle = cycle_report.cycle_report(demo_db, operator(demo_db), as_of=date(2027, 12, 31))
    remaining: dict[str, int] = defaultdict(int)
    for period in cycle.periods:
        for currency, amount in period.remaining.items():
            remaining[currency] += amount
    uah_share = sum(r.fund_share_minor for r in report.rows if r.currency == "UAH")
    assert uah_share > 0 and books.balance("Assets:Cash:UAH") > 0
    assert books.balance("Assets:Cash:UAH") + remaining["UAH"] == uah_share + stale
    usd_share = sum(r.fund_share_minor for r in report.rows if r.currency == "USD")
    assert usd_share > 0
    contributed = sum(
        e.entry.postings[0].amount
        for e in books.journal(kind="contribution", limit=1000)
        if e.entry.postings[0].currency == "USD"
    )
    assert books.balance("Assets:Cash:USD") + remaining["USD"] == usd_share + contributed


def test_every_required_column_and_a_valid_gfs_code(demo_db: Database) -> None:
    report = transparency_data.transparency_report(demo_db, 2026)
    tables = transparency_tables(report)
    assert set(EITI_MINIMUM) <= set(tables[0].columns)
    codes = {stream_info(s).gfs_code: s for s in RevenueStream}
    seen_streams = set()
    for row in report.rows:
        assert codes[row.gfs_code] == RevenueStream(row.revenue_stream)
        assert row.government_entity == GOVERNMENT_ENTITIES[row.revenue_stream]
        assert row.company and row.company_registry_id and row.project and row.oblast
        assert row.payment_form == (
            "in-kind" if row.revenue_stream == "psa_state_share" else "cash"
        )
        seen_streams.add(row.revenue_stream)
    assert {"royalty", "signature_bonus"} <= seen_streams
    assert [t.name for t in tables] == [
        "payments",
        "by resource",
        "by oblast",
        "by stream",
        "by year",
    ]


def test_xlsx_reopens_with_the_same_numbers(demo_db: Database) -> None:
    report = transparency_data.transparency_report(demo_db, 2025)
    book = load_workbook(io.BytesIO(workbook_bytes(transparency_tables(report))))
    assert book.sheetnames == ["payments", "by resource", "by oblast", "by stream", "by year"]
    sheet = book["payments"]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == ROW_COLUMNS
    amount_col = header.index("amount")
    got = sum(
        round(Decimal(str(r[amount_col])) * 100)
        for r in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert got == sum(r.amount_minor for r in report.rows)
    by_year = book["by year"]
    total = {r[1]: r[3] for r in by_year.iter_rows(min_row=2, values_only=True)}
    for t in report.totals["year"]:
        assert round(Decimal(str(total[t.currency])) * 100) == t.amount_minor


def test_json_is_public_data_only(demo_db: Database) -> None:
    data = transparency_json(transparency_data.transparency_report(demo_db, 2025))
    text = json.dumps(data)
    assert "SYNTH-" not in text  # payer references are internal
    assert "entry_key" not in text and "Equity:" not in text
    assert data["rows"][0]["amount"] == str(Decimal(data["rows"][0]["amount"]))
    assert set(data["totals"]) == {"resource", "oblast", "stream", "year"}


@pytest.mark.parametrize("year", [2019])
def test_a_year_without_filings_is_empty_not_an_error(demo_db: Database, year: int) -> None:
    report = transparency_data.transparency_report(demo_db, year)
    assert report.rows == () and all(not lines for lines in report.totals.values())
