"""What an upload asks while it holds the books' lock: on PostgreSQL every other writer waits
for each of those round trips (five uploaders under fifty readers queue on them;
benchmarks/uploads_under_reads.py). A one-filing upload asked 21 statements under the lock (17 now);
the budget below is what it asks now, so a statement added there is a decision, not a drift."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from jointfund.fund import filings
from jointfund.store import Database
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

BUDGET = 14
"""Statements from taking the lock to the commit (the lock's own statement included)."""


@pytest.fixture
def books(pg_url: str) -> Iterator[Database]:
    db = built_demo(pg_url)
    yield db
    db.dispose()


def _upload(db: Database, folder: Path, n: int) -> list[str]:
    """One one-row upload; the statements it ran from the books' lock on."""
    ran: list[str] = []

    def seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if ran or ("FOR UPDATE" in statement and "ledger_head" in statement):
            ran.append(statement.split("\n")[0])

    row = f"UA-SP-2025-0822,2026-07,royalty,{1000 + n}.00,UAH,LOCK-{n},1,0.00,2026-08-15\n"
    event.listen(db.write_engine, "before_cursor_execute", seen)
    try:
        booked = filings.import_filings(db, operator(db), write(folder, f"u{n}.csv", HEADER + row))
    finally:
        event.remove(db.write_engine, "before_cursor_execute", seen)
    assert booked.booked == 1
    return ran


@pytest.mark.postgres
def test_an_upload_holds_the_lock_for_its_budget_of_statements(
    books: Database, tmp_path: Path
) -> None:
    _upload(books, tmp_path, 0)  # the first upload of a kind may warm what the next reads
    ran = _upload(books, tmp_path, 1)
    assert len(ran) <= BUDGET, "\n".join(ran)
    with books.read() as conn:  # booked, chained and audited all the same
        assert (
            conn.execute(
                text("SELECT count(*) FROM filings WHERE payer_reference LIKE 'LOCK-%'")
            ).scalar_one()
            == 2
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM audit_log WHERE action = 'filings.submit'")
            ).scalar_one()
            >= 2
        )
