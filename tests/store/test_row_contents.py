"""On SQLite the database spells each protected row for `verify` (one string per row instead of
25 values): the same bytes as the Python spelling the row chain was written with, and where
the two could ever differ, the Python spelling decides, so no difference in spelling is
reported as an edit."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    insert,
    select,
    text,
)

from jointfund.ledger.hashing import canonical_row
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.row_chain import PROTECTED, RowCanon
from jointfund.store.row_contents import row_contents, spelled_by_database
from jointfund.store.tables.ledger import metadata
from jointfund.store.tables.registry import filings
from tests.reliability.tamper_fund import tampering
from tests.reports.report_fixtures import built_demo

# Every character of the first three Unicode blocks but NUL (the books refuse it), and those
# JSON encoders are known to treat apart.
_TEXTS = [chr(c) for c in range(1, 0x300)] + ["\u2028", "\u2029", "\ufeff", "😀", 'a"b\\c']


def _python_hashed(conn: Connection, table: Table) -> list[bytes]:
    canon = RowCanon(table)
    pk = list(table.primary_key.columns)
    rows = conn.execute(select(table).order_by(*pk))
    return [hashlib.sha256(canonical_row(canon.spelled(tuple(r)))).digest() for r in rows]


def test_sqlite_spells_every_row_as_the_python_spelling_does(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'probe.db'}")
    probe = Table(
        "probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("text", Text),
        Column("day", Date),
        Column("flag", Boolean),
        Column("amount", BigInteger),
    )
    try:
        with engine.begin() as conn:
            probe.create(conn)
            conn.execute(
                insert(probe),
                [
                    {
                        "text": text,
                        "day": date(2025, 1 + i % 12, 1 + i % 28),
                        "flag": (None, True, False)[i % 3],
                        "amount": (-(2**63), 2**63 - 1, 0, None)[i % 4],
                    }
                    for i, text in enumerate(_TEXTS)
                ],
            )
        with engine.connect() as conn:
            assert spelled_by_database(conn, probe)
            hashed = [row.digest for part in row_contents(conn, probe, 100) for row in part]
            assert hashed == _python_hashed(conn, probe)
    finally:
        engine.dispose()


def test_the_example_funds_rows_are_spelled_alike_by_both(tmp_path: Path) -> None:
    db = built_demo(f"sqlite:///{tmp_path / 'fund.db'}")
    try:
        with db.read() as conn:
            spelled_here = [n for n in PROTECTED if spelled_by_database(conn, metadata.tables[n])]
            assert "filings" in spelled_here and "audit_log" in spelled_here  # late columns
            for name in spelled_here:
                table = metadata.tables[name]
                by_database = [r.digest for p in row_contents(conn, table, 50) for r in p]
                assert by_database == _python_hashed(conn, table), name
    finally:
        db.dispose()


def test_a_day_stored_in_another_spelling_is_named_as_an_edit_as_is_a_changed_value(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'fund.db'}"
    built_demo(url).dispose()
    with tampering(url) as conn:  # the same day, stored without its zeros
        zeros = text("received_on LIKE '%-0%'")
        row = conn.execute(select(filings.c.id, filings.c.received_on).where(zeros).limit(1)).one()
        day: date = row.received_on
        conn.exec_driver_sql(
            "UPDATE filings SET received_on = ? WHERE id = ?",
            (f"{day.year}-{day.month}-{day.day}", row.id),
        )
    db = open_database(url)
    try:  # verify used to stop here with a traceback from the driver's date type
        report = Books(db).verify()
        assert [f.row for f in report.findings if f.row] == [f"filings:{row.id}"], report.findings
    finally:
        db.dispose()
    with tampering(url) as conn:
        conn.exec_driver_sql(
            "UPDATE filings SET received_on = ?, stream = 'bonus' WHERE id = ?",
            (day.isoformat(), row.id),
        )
    db = open_database(url)
    try:
        report = Books(db).verify()
        assert [f.row for f in report.findings if f.row] == [f"filings:{row.id}"], report.findings
        assert "edited behind the books' back" in report.findings[0].what
    finally:
        db.dispose()
