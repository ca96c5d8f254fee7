"""Rent on the compliance calendar: counted from the kept rent days (or, for a day before the
newest receipt, from the filings as they stood then), listed a page at a time, newest receipt
first. A registry files tens of thousands of rent filings a month; the calendar built one
item per filing on every request (52–55 s at a million filings, 7 Dec)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, text

from jointfund.fund import calendar, filings
from jointfund.store import Database
from jointfund.store.books import Books
from jointfund.store.filing_reads import FilingRow, filing_rows
from jointfund.store.licences import licences_by_id
from jointfund.terms.rent import payment_due, period_span, rent_findings
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

TITANIUM, GAS = "UA-SP-2015-0777", "UA-SP-2025-0822"  # rent by quarter; rent by month


def _line(licence: str, period: str, ref: str, version: int, received: str, stream: str) -> str:
    return f"{licence},{period},{stream},1000.00,UAH,{ref},{version},0.00,{received}\n"


@pytest.fixture
def books(db_url: str, tmp_path: Path) -> Iterator[Database]:
    db = built_demo(db_url)
    first = [
        _line(TITANIUM, "2026-Q1", "T-Q1", 1, "2026-05-10", "royalty"),  # met (due 20 May)
        _line(TITANIUM, "2026-02", "T-MONTH", 1, "2026-03-10", "royalty"),  # a month: flagged
        _line(TITANIUM, "2026-Q2", "T-LATE", 1, "2026-09-01", "royalty"),  # due 19 Aug: late
        _line(GAS, "2026-01", "G-1", 1, "2026-02-20", "royalty"),  # met (due 2 March)
        _line(GAS, "2026-03", "G-2", 1, "2026-04-15", "royalty"),  # met (due 30 April)
        _line(GAS, "2026-04", "G-3", 1, "2026-05-12", "royalty"),
        _line(GAS, "2026-04", "G-FEE", 1, "2026-05-12", "permit_fee"),  # not rent
    ]
    filings.import_filings(db, operator(db), write(tmp_path, "a.csv", HEADER + "".join(first)))
    corrected = [
        _line(GAS, "2026-03", "G-2", 2, "2026-06-01", "royalty"),  # now paid late
    ]
    filings.import_filings(db, operator(db), write(tmp_path, "b.csv", HEADER + "".join(corrected)))
    yield db
    db.dispose()


def _rent_as_of(db: Database, as_of: date) -> list[FilingRow]:
    """The rent filings as the books showed them on `as_of`, read row by row."""
    with db.read() as conn:
        rows = [r for r in filing_rows(conn) if r.received_on <= as_of]
    newest: dict[str, FilingRow] = {}
    for r in rows:
        if r.version >= newest.get(r.payer_reference, r).version:
            newest[r.payer_reference] = r
    return [r for r in newest.values() if r.stream == "royalty"]


def _counted(db: Database, rows: list[FilingRow]) -> calendar.RentCounts:
    with db.read() as conn:
        resources = {k: v.resources for k, v in licences_by_id(conn).items()}
    met = late = flagged = 0
    for r in rows:
        span = period_span(r.period)
        assert span is not None
        if r.received_on <= payment_due(span):
            met += 1
        else:
            late += 1
        flagged += bool(rent_findings(resources[r.licence_id], r.stream, r.period, r.received_on))
    return calendar.RentCounts(met, late, flagged)


def _walk(db: Database, as_of: date, **kw: str) -> list[calendar.CalendarItem]:
    """Every page of rent, two filings a page, following each page's cursor."""
    admin, seen, after = operator(db), [], None
    while True:
        found = calendar.compliance_calendar(db, admin, as_of=as_of, after=after, limit=2, **kw)
        assert len(found.rent) <= 2
        seen += found.rent
        if found.rent_next is None:
            return seen
        after = found.rent_next


@pytest.mark.parametrize(
    "as_of", [date(2026, 3, 31), date(2026, 5, 1), date(2026, 6, 1), date(2026, 12, 31)]
)
def test_counts_and_pages_are_the_filings_as_they_stood_on_the_day(
    books: Database, as_of: date
) -> None:
    expected = _rent_as_of(books, as_of)
    found = calendar.compliance_calendar(books, operator(books), as_of=as_of)
    assert found.rent_counts == _counted(books, expected)
    walked = _walk(books, as_of)
    assert sorted(i.reference or "" for i in walked) == sorted(
        f"{r.payer_reference} v{r.version}" for r in expected
    )
    days = [i.done_on for i in walked]
    assert days == sorted(days, reverse=True)  # newest receipt first


def test_a_correction_moves_a_filing_from_met_to_met_late_from_the_day_it_came(
    books: Database,
) -> None:
    admin = operator(books)
    in_may = calendar.compliance_calendar(books, admin, as_of=date(2026, 5, 31))
    in_june = calendar.compliance_calendar(books, admin, as_of=date(2026, 6, 30))
    may = {i.reference: i for i in in_may.rent}
    june = {i.reference: i for i in in_june.rent}
    assert may["G-2 v1"].status == "met" and "G-2 v2" not in may
    assert june["G-2 v2"].status == "met late" and "G-2 v1" not in june
    assert "G-FEE v1" not in may  # a permit fee is not rent
    assert in_may.rent_counts is not None and in_june.rent_counts is not None
    assert in_june.rent_counts.met_late == in_may.rent_counts.met_late + 1
    # Late payments and the titanium filing declared by month break a rule of Art. 257.
    today = calendar.compliance_calendar(books, admin, as_of=date(2026, 12, 31))
    rent = {i.reference: i for i in today.rent}
    assert rent["T-MONTH v1"].breaks and rent["T-LATE v1"].breaks and rent["G-2 v2"].breaks
    assert not rent["T-Q1 v1"].breaks and not rent["G-1 v1"].breaks


def test_the_counts_are_kept_until_the_books_move(books: Database, tmp_path: Path) -> None:
    admin, day = operator(books), date(2026, 12, 31)
    first = calendar.compliance_calendar(books, admin, as_of=day)
    read: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_: object) -> None:
        read.append(statement)

    event.listen(books.engine, "before_cursor_execute", seen)
    try:
        assert calendar.compliance_calendar(books, admin, as_of=day) == first
    finally:
        event.remove(books.engine, "before_cursor_execute", seen)
    assert not [s for s in read if "filing_rent_days" in s or "GROUP BY" in s]
    late = _line(TITANIUM, "2026-Q3", "T-LATER", 1, "2026-12-01", "royalty")
    filings.import_filings(books, admin, write(tmp_path, "c.csv", HEADER + late))
    later = calendar.compliance_calendar(books, admin, as_of=day)
    assert later.rent_counts is not None and first.rent_counts is not None
    assert later.rent_counts.met_late == first.rent_counts.met_late + 1  # due 19 November
    assert later.rent[0].reference == "T-LATER v1"


def test_one_licences_rent_is_paged_alone(books: Database) -> None:
    walked = _walk(books, date(2026, 12, 31), licence_id=TITANIUM)
    refs = {i.reference for i in walked}
    assert {"T-Q1 v1", "T-MONTH v1", "T-LATE v1"} <= refs
    assert all(i.licence_id == TITANIUM for i in walked)


def test_the_kept_rent_days_are_checked_by_verify(books: Database) -> None:
    assert Books(books).verify().ok
    with books.write() as tx:
        tx.execute(text("UPDATE filing_rent_days SET payments = payments + 1"))
    report = Books(books).verify()
    assert any("filing_rent_days row" in f.what for f in report.findings)


def test_without_rent_the_calendar_holds_the_cycle_only(books: Database) -> None:
    found = calendar.compliance_calendar(
        books, operator(books), as_of=date(2026, 12, 31), rent=False
    )
    assert found.rent == [] and found.rent_counts is None and found.rent_next is None
    assert calendar.calendar_dict(found)["rent"] is None
    assert {i.kind for i in found.items} <= {"report", "transfer", "annual_report", "audit"}
