"""Where a read runs: a short SQLite read on the event loop, anything else in a worker thread.

A read whose cost is bounded whatever the size of the books (today's balances from the
materialised table, an unfiltered journal page of up to `SHORT_PAGE` entries) holds the
interpreter for a fraction of a millisecond on SQLite and never waits for a writer (WAL
readers see their snapshot); handing it to a worker thread costs more than the read itself.
Such reads run inline while the pool has an idle connection to give them at once. Reads whose
cost grows with the books (balances as of a date sum every earlier day: ~60 ms after a decade),
reads when every pooled connection is out, and every PostgreSQL read (it waits on the network)
go to the thread pool, as FastAPI does for a plain `def` route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from jointfund.fund import Database

T = TypeVar("T")
SHORT_PAGE = 100
"""Unfiltered journal pages up to this many entries count as short reads."""


def runs_inline(db: Database) -> bool:
    """True when a short read on `db` may run on the event loop now."""
    if db.dialect != "sqlite":
        return False
    return db.has_idle_connection()


async def read_briefly(db: Database, short: bool, read: Callable[[], T]) -> T:
    """Run `read` inline when it is `short` and `runs_inline(db)`, else in a worker thread."""
    if short and runs_inline(db):
        return read()
    return await run_in_threadpool(read)
