"""A stored FX rate keeps the row of its file it was read from, under the row chain: an edit of
the row behind the software's back is named by `verify`, and books made before rows were kept
upgrade with the row unknown (not guessed) and verify as before. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, update

from jointfund import store
from jointfund.intake.records import FxRecord
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.fx_trace import stored_rate
from jointfund.store.tables.ledger import metadata
from tests.store.migration_rewind import rewind

from ..reliability.tamper_fund import TamperFund, copy_of, tamper_template, tampering

OLD_RATE = FxRecord(date(2025, 6, 2), "USD", "UAH", Decimal("41.5432"))


def _verify_first_bad(url: str) -> str | None:
    db = open_database(url)
    try:
        report = Books(db).verify()
    finally:
        db.dispose()
    return None if report.first_bad is None else report.first_bad.row


def test_verify_names_an_edit_of_a_rates_stored_row(tmp_path: Path) -> None:
    (tmp_path / "template").mkdir()
    (tmp_path / "copy").mkdir()
    fund: TamperFund = copy_of(tamper_template(tmp_path / "template"), tmp_path / "copy")
    rates = metadata.tables["fx_rates"]
    db = open_database(fund.url)
    try:
        with db.read() as conn:
            day = conn.execute(select(func.min(rates.c.on))).scalar_one()
            before = conn.execute(select(rates.c.source_row).where(rates.c.on == day)).scalar()
        assert isinstance(before, int) and before >= 2, "the rate kept its row of fx.csv"
    finally:
        db.dispose()
    assert _verify_first_bad(fund.url) is None
    with tampering(fund.url) as conn:  # the same rate, said to come from another row
        conn.execute(update(rates).where(rates.c.on == day).values(source_row=before + 1))
    named = _verify_first_bad(fund.url)
    assert named is not None and named.startswith('fx_rates:["' + day.isoformat()), named


def test_books_from_before_rows_were_kept_upgrade_with_the_row_unknown(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.write() as conn:  # a rate stored, and chained, as before migration 0026
            store.fx_rates.insert_fx_rates(conn, [(None, OLD_RATE)], source="old-rates.csv")
    finally:
        db.dispose()
    with tampering(db_url) as conn:  # the books as 0025 left them: no column
        conn.exec_driver_sql("ALTER TABLE fx_rates DROP COLUMN source_row")
        rewind(conn, "0025")
    db = open_database(db_url)  # migrates to the newest revision
    try:
        with db.read() as conn:
            rate = stored_rate(conn, OLD_RATE.on, OLD_RATE.base, OLD_RATE.quote)
        assert (rate.source, rate.source_row) == ("old-rates.csv", None), "unknown, not guessed"
        assert Books(db).verify().ok, "the old rate's chained hash still holds"
        with db.write() as conn:  # a rate stored now keeps its row and is chained with it
            store.fx_rates.insert_fx_rates(
                conn, [(7, FxRecord(date(2025, 6, 3), "USD", "UAH", Decimal("41.6")))], "new.csv"
            )
        with db.read() as conn:
            assert stored_rate(conn, date(2025, 6, 3), "USD", "UAH").source_row == 7
        assert Books(db).verify().ok
    finally:
        db.dispose()
