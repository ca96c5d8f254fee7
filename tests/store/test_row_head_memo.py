"""The row chain's head, once a write transaction has moved it, is known without asking again:
an upload chains its filings and then its audit record, and the second read of the head was a
round trip under the books' lock while every other writer waited. A move inside a savepoint is
forgotten (rolling it back undoes the move), a new transaction reads the head afresh, and a
second writer still waits for the first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from jointfund.governance.roles import Interface
from jointfund.store import Database, open_database
from jointfund.store.audit import append_audit
from jointfund.store.row_chain import row_head
from jointfund.store.row_chain_verify import row_findings

AT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def books(db_url: str) -> Iterator[tuple[Database, list[str]]]:
    db = open_database(db_url)
    reads: list[str] = []

    def seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "row_chain_head" in statement:
            reads.append(statement)

    event.listen(db.write_engine, "before_cursor_execute", seen)
    yield db, reads
    db.dispose()


def _note(conn: Any, n: int) -> None:
    append_audit(conn, at=AT, actor=None, interface=Interface.CLI, action="test", target=f"t{n}")


def _head(db: Database, reads: list[str]) -> int:
    """The head's seq now (SQLite reads on the writers' engine: not counted)."""
    with db.read() as conn:
        seq = row_head(conn)[0]
    reads.clear()
    return seq


def _chain_holds(db: Database, records: int) -> None:
    with db.read() as conn:
        assert row_findings(conn) == []
        assert row_head(conn)[0] == records


def test_the_head_is_read_once_a_transaction(books: tuple[Database, list[str]]) -> None:
    db, reads = books
    start = _head(db, reads)
    with db.write() as conn:
        for n in range(3):
            _note(conn, n)
    assert len(reads) == 1
    with db.write() as conn:  # the next transaction reads it afresh
        _note(conn, 3)
    assert len(reads) == 2
    _chain_holds(db, start + 4)


def test_a_move_in_a_savepoint_rolled_back_is_forgotten(
    books: tuple[Database, list[str]],
) -> None:
    db, reads = books
    start = _head(db, reads)
    with db.write() as conn:
        _note(conn, 0)
        savepoint = conn.begin_nested()
        _note(conn, 1)  # the head known from the move before the savepoint: no read
        savepoint.rollback()
        _note(conn, 2)  # the move inside was undone: the head is read again
        _note(conn, 3)
    assert len(reads) == 2
    _chain_holds(db, start + 3)  # records 0, 2 and 3, linked without a gap


def test_a_move_in_a_savepoint_kept_is_read_again(books: tuple[Database, list[str]]) -> None:
    db, reads = books
    start = _head(db, reads)
    with db.write() as conn:
        with conn.begin_nested():
            _note(conn, 0)
        _note(conn, 1)
        _note(conn, 2)
    assert len(reads) == 2
    _chain_holds(db, start + 3)


@pytest.mark.postgres
def test_a_second_writer_waits_for_the_first(pg_url: str) -> None:
    db = open_database(pg_url)
    held, order = threading.Event(), []

    def second() -> None:
        held.wait()
        with db.write() as conn:
            _note(conn, 9)
            order.append("second")

    other = threading.Thread(target=second)
    other.start()
    try:
        with db.write() as conn:
            _note(conn, 0)
            held.set()
            time.sleep(0.3)
            _note(conn, 1)  # the head from this transaction's own move: still locked
            order.append("first")
        other.join(10)
        assert order == ["first", "second"]
        with db.read() as conn:
            assert row_findings(conn) == []
    finally:
        db.dispose()
