"""The books' write lock (PostgreSQL: a row lock on the chain head, held to commit) is taken
once a transaction: asked again it costs no statement, so an upload holds it for fewer round
trips while other writers wait. A lock taken inside a savepoint is not trusted (rolling the
savepoint back releases it), and a new transaction takes it afresh. A second writer still
waits for the first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from jointfund.store import Database, open_database
from jointfund.store.head import lock_books


@pytest.fixture
def books(pg_url: str) -> Iterator[tuple[Database, list[str]]]:
    db = open_database(pg_url)
    locks: list[str] = []

    def seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if "FOR UPDATE" in statement and "ledger_head" in statement:
            locks.append(statement)

    event.listen(db.write_engine, "before_cursor_execute", seen)
    yield db, locks
    db.dispose()


def test_the_lock_is_taken_once_a_transaction(books: tuple[Database, list[str]]) -> None:
    db, locks = books
    with db.write() as conn:
        lock_books(conn)
        lock_books(conn)
        lock_books(conn)
    assert len(locks) == 1
    with db.write() as conn:  # the next transaction does not inherit it
        lock_books(conn)
    assert len(locks) == 2


def test_a_lock_taken_in_a_savepoint_is_taken_again_after_it(
    books: tuple[Database, list[str]],
) -> None:
    db, locks = books
    with db.write() as conn:
        savepoint = conn.begin_nested()
        lock_books(conn)
        savepoint.rollback()  # PostgreSQL releases the row lock with the savepoint
        lock_books(conn)
        lock_books(conn)
    assert len(locks) == 2


def test_a_second_writer_waits_for_the_first(books: tuple[Database, list[str]]) -> None:
    db, _ = books
    held, order = threading.Event(), []

    def second() -> None:
        held.wait()
        with db.write() as conn:
            lock_books(conn)
            order.append("second")

    other = threading.Thread(target=second)
    other.start()
    with db.write() as conn:
        lock_books(conn)
        lock_books(conn)  # asked again: still held, the other writer still waits
        held.set()
        time.sleep(0.3)
        order.append("first")
    other.join(10)
    assert order == ["first", "second"]
