"""The register of accruals summed in the database is the register read row by row and summed:
per year of receipt and currency, and per licence and stream; the newest version of a filing
only; received up to a day. The overview's calendar reads the sums, kept per version of the
books: under the contribution cycle every filing accrues until a transfer, and the calendar
read hundreds of thousands of them on every request (24.8 s at ten million filings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event

from jointfund.fund import calendar, cycle_report, filings
from jointfund.store import Database
from jointfund.store.transfers import AccrualRow, AccrualSum, accrual_sums, accruals
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

ACCOUNT = "Equity:Capital:UA:Contributions"
LICENCE = "UA-SP-2025-0822"  # the Poltava gas block: its receipts accrue under the cycle


def _line(ref: str, version: int, amount: str, received: str, stream: str = "royalty") -> str:
    period = received[:7]
    return f"{LICENCE},{period},{stream},{amount},UAH,{ref},{version},0.00,{received}\n"


@pytest.fixture
def books(db_url: str, tmp_path: Path) -> Iterator[Database]:
    db = built_demo(db_url)
    first = [
        _line("ACC-1", 1, "1000.00", "2026-02-16"),
        _line("ACC-2", 1, "2500.50", "2026-03-16"),
        _line("ACC-3", 1, "700.00", "2026-08-17"),
        _line("ACC-4", 1, "90.00", "2026-09-15", stream="permit_fee"),
    ]
    filings.import_filings(db, operator(db), write(tmp_path, "a.csv", HEADER + "".join(first)))
    corrected = [
        _line("ACC-2", 2, "2600.00", "2026-03-16"),
        _line("ACC-3", 2, "0.00", "2026-08-17"),
    ]
    filings.import_filings(db, operator(db), write(tmp_path, "b.csv", HEADER + "".join(corrected)))
    yield db
    db.dispose()


def _summed(rows: list[AccrualRow], as_of: date | None, by_licence: bool) -> list[AccrualSum]:
    grouped: dict[tuple[int, str | None, str | None, str], list[int]] = defaultdict(
        lambda: [0, 0, 0]
    )
    for r in rows:
        if as_of is not None and r.received_on > as_of:
            continue
        key = (
            (r.received_on.year, r.licence_id, r.stream, r.currency)
            if by_licence
            else (r.received_on.year, None, None, r.currency)
        )
        sums = grouped[key]
        sums[0] += 1
        sums[1] += r.fund_minor
        sums[2] += r.reporting_minor
    return sorted(
        (AccrualSum(*key, *sums) for key, sums in grouped.items()),
        key=lambda a: (a.year, a.licence_id or "", a.stream or "", a.currency),
    )


@pytest.mark.parametrize(
    "as_of", [None, date(2025, 12, 31), date(2026, 3, 16), date(2026, 9, 1), date(2027, 1, 31)]
)
@pytest.mark.parametrize("by_licence", [False, True])
def test_the_sums_are_the_register_summed(
    books: Database, as_of: date | None, by_licence: bool
) -> None:
    with books.read() as conn:
        rows = accruals(conn, ACCOUNT)
        sums = accrual_sums(conn, ACCOUNT, as_of=as_of, by_licence=by_licence)
    refs = {r.payer_reference: r for r in rows}
    assert refs["ACC-2"].version == 2 and "ACC-3" not in refs  # corrected; corrected to nothing
    assert sums == _summed(rows, as_of, by_licence)
    if as_of is None or as_of >= date(2026, 3, 16):
        assert sum(s.filings for s in sums) >= 2


def test_the_overview_calendar_is_kept_until_the_books_move(
    books: Database, tmp_path: Path
) -> None:
    admin, day = operator(books), date(2026, 12, 6)
    first = calendar.compliance_calendar(books, admin, as_of=day, rent=False)
    read: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_: object) -> None:
        if "filings" in statement:
            read.append(statement)

    event.listen(books.engine, "before_cursor_execute", seen)
    try:
        assert calendar.compliance_calendar(books, admin, as_of=day, rent=False) == first
    finally:
        event.remove(books.engine, "before_cursor_execute", seen)
    assert read == [], "the same books: the kept answer, no filing read"

    def accrued_2026(items: list[calendar.CalendarItem]) -> int:
        [transfer] = [i for i in items if i.period == "2026" and i.kind == "transfer"]
        return transfer.amounts["accrued UAH"]

    filings.import_filings(
        books, admin, write(tmp_path, "c.csv", HEADER + _line("ACC-5", 1, "10.00", "2026-10-15"))
    )
    later = calendar.compliance_calendar(books, admin, as_of=day, rent=False)
    assert accrued_2026(later.items) > accrued_2026(first.items)


def test_a_period_on_the_page_shows_its_largest_lines_and_counts_them_all(books: Database) -> None:
    report = cycle_report.cycle_report(books, operator(books), as_of=date(2026, 12, 31))
    full = cycle_report.report_dict(report)
    cut = cycle_report.report_dict(report, lines=1)
    assert any(len(p["lines"]) > 1 for p in full["periods"])
    for whole, part in zip(full["periods"], cut["periods"], strict=True):
        assert part["lines_total"] == whole["lines_total"] == len(whole["lines"])
        if whole["lines"]:
            [largest] = part["lines"]
            assert largest == max(whole["lines"], key=lambda x: Decimal(x["amount"]))
