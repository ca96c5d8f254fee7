"""The fund's share by stream and month received, read from the kept days, is the register
read row by row and summed: the newest version of each eligible filing with a share, booked,
accrued or neither, of a year or of every year. The reconciliation by budget code reads it
instead of every stored filing (28.7 s a request at a million filings, 7 Dec)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from jointfund.fund import filings
from jointfund.fund.report_data import newest_versions
from jointfund.store import Database
from jointfund.store.books import Books
from jointfund.store.filing_reads import filing_rows
from jointfund.store.fund_share import FundMonth, fund_share_by_month
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

GAS = "UA-SP-2025-0822"  # the Poltava gas block: its receipts accrue under the cycle


def _line(ref: str, version: int, amount: str, received: str, stream: str = "royalty") -> str:
    return f"{GAS},{received[:7]},{stream},{amount},UAH,{ref},{version},0.00,{received}\n"


@pytest.fixture
def books(db_url: str, tmp_path: Path) -> Iterator[Database]:
    db = built_demo(db_url)
    first = [
        _line("FS-1", 1, "1000.00", "2026-02-16"),
        _line("FS-2", 1, "2500.50", "2026-03-16"),
        _line("FS-3", 1, "700.00", "2026-03-17"),
        _line("FS-4", 1, "90.00", "2026-03-20", stream="permit_fee"),
    ]
    filings.import_filings(db, operator(db), write(tmp_path, "a.csv", HEADER + "".join(first)))
    corrected = [_line("FS-2", 2, "2600.00", "2026-03-16"), _line("FS-3", 2, "0.00", "2026-03-17")]
    filings.import_filings(db, operator(db), write(tmp_path, "b.csv", HEADER + "".join(corrected)))
    yield db
    db.dispose()


def _summed(db: Database, year: int | None) -> list[FundMonth]:
    with db.read() as conn:
        rows = newest_versions(filing_rows(conn))
    months: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        if not (r.eligible and r.currency == "UAH" and r.fund_minor):
            continue
        if year is not None and r.received_on.year != year:
            continue
        sums = months.setdefault((r.stream, r.received_on.isoformat()[:7]), [0, 0, 0, 0])
        sums[0] += 1
        sums[1] += r.fund_minor
        sums[2] += r.fund_minor if r.entry_key is None and r.credit_account else 0
        sums[3] += r.fund_minor if r.entry_key is not None else 0
    return [FundMonth(s, m, *sums) for (s, m), sums in sorted(months.items())]


@pytest.mark.parametrize("year", [None, 2025, 2026])
def test_the_kept_days_sum_to_the_register_read_row_by_row(
    books: Database, year: int | None
) -> None:
    expected = _summed(books, year)
    with books.read() as conn:
        found = fund_share_by_month(conn, "UAH", year=year)
    assert found == expected
    if year != 2025:
        march = [m for m in found if m.month == "2026-03" and m.stream == "royalty"]
        assert march and march[0].accrued_minor >= 2600_00  # FS-2 as corrected, FS-3 gone


def test_the_kept_days_are_checked_by_verify(books: Database) -> None:
    with books.write() as tx:
        tx.execute(text("UPDATE filing_fund_days SET fund_minor = fund_minor + 1"))
    report = Books(books).verify()
    assert any("filing_fund_days row" in f.what for f in report.findings)
