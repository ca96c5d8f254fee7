"""Short SQLite reads run on the event loop while the pool has an idle connection; other reads
(long ones, PostgreSQL's, or when every connection is out) go to a worker thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from sqlalchemy import create_engine

from jointfund.http.api.reads import read_briefly, runs_inline
from jointfund.store import Database, open_database


def _thread_of(db: Database, short: bool) -> int:
    return asyncio.run(read_briefly(db, short, threading.get_ident))


def test_short_sqlite_reads_run_inline_only_with_an_idle_connection(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "books.db"))
    try:
        assert runs_inline(db)
        here = threading.get_ident()
        assert _thread_of(db, short=True) == here
        assert _thread_of(db, short=False) != here
        with db.read():  # the one pooled connection is out: a read now would wait for it
            assert not runs_inline(db)
            assert _thread_of(db, short=True) != here
    finally:
        db.dispose()


def test_unpooled_and_postgresql_reads_go_to_a_worker_thread(tmp_path: Path) -> None:
    unpooled = open_database(str(tmp_path / "books.db"), pool=False)
    postgres = Database(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    try:
        assert not runs_inline(unpooled)
        assert not runs_inline(postgres)
    finally:
        unpooled.dispose()
        postgres.dispose()
