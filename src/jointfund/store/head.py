"""The journal chain's head, and how the books moved on since a head was seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, func, select

from jointfund.store.database import Database
from jointfund.store.tables.ledger import (
    entries,
    ledger_head,
)
from jointfund.store.tx_memo import recall, remember


@dataclass(frozen=True, slots=True)
class Head:
    """The end of the hash chain: the last entry's seq and hash (0 and the genesis hash before
    the first). Journal pages and balances are a function of it: entries and postings are
    append-only, accounts frozen but for their closing day, and the totals change only with
    new entries."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class HeadChange:
    """What happened to the books since a head was seen: the head now; whether the chain now
    continues the one seen (entries were only appended after it); if so, the earliest
    effective date among the appended entries (None when there are none)."""

    head: Head
    extends: bool
    earliest: date | None


_HEAD = select(ledger_head.c.last_seq, ledger_head.c.last_hash).where(ledger_head.c.id == 1)


_HASH_AT = select(entries.c.hash).where(entries.c.seq == bindparam("seq"))


_EARLIEST_AFTER = select(func.min(entries.c.effective_date)).where(entries.c.seq > bindparam("seq"))


def chain_head(conn: Connection) -> Head:
    """The chain head as stored (one row, read by its key)."""
    row = conn.execute(_HEAD).one()
    return Head(int(row.last_seq), str(row.last_hash))


def head_change(conn: Connection, since: Head | None) -> HeadChange:
    """How the books moved on from `since` (None: never seen, so nothing is known to extend).

    The chain extends `since` when it is still stored at `since.seq` with the same hash (the
    hash covers every earlier entry); anything else (the books rebuilt) is not an extension.
    """
    head = chain_head(conn)
    if since is None:
        return HeadChange(head, False, None)
    if head == since:
        return HeadChange(head, True, None)
    if head.seq <= since.seq:
        return HeadChange(head, False, None)
    if since.seq > 0:
        stored = conn.execute(_HASH_AT, {"seq": since.seq}).scalar()
        if stored != since.hash:
            return HeadChange(head, False, None)
    earliest = conn.execute(_EARLIEST_AFTER, {"seq": since.seq}).scalar()
    if isinstance(earliest, str):  # SQLite hands back a min() of dates as text
        earliest = date.fromisoformat(earliest)
    return HeadChange(head, True, earliest)


class CommitWatch:
    """Whether anything was committed to the books' SQLite file since the last look, for the
    price of one pragma: `PRAGMA data_version` changes whenever another connection commits, so
    it is read on a connection kept for the purpose, which never writes. PostgreSQL has no such
    counter: there every look says "maybe" and the chain head is read again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: Connection | None = None
        self._version: object = None

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self.db.engine.connect()
        return self._conn

    def changed(self) -> bool:
        """False only when nothing was committed since the previous call (SQLite)."""
        if self.db.dialect != "sqlite":
            return True
        driver = self._connection().connection.driver_connection
        assert driver is not None
        version = driver.execute("PRAGMA data_version").fetchone()
        if version == self._version:
            return False
        self._version = version
        return True

    def head_change(self, since: Head | None) -> HeadChange:
        """`head_change` in a read transaction; on SQLite on the watch's own connection (it
        never waits for the pool, so it may run on the event loop)."""
        if self.db.dialect != "sqlite":
            with self.db.read() as conn:
                return head_change(conn, since)
        conn = self._connection()
        with conn.begin():
            return head_change(conn, since)

    def close(self) -> None:
        """Give the watch's connection back (the next look opens another)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._version = None


_HELD = "jointfund.books_locked"


def lock_books(conn: Connection) -> None:
    """Serialise this write transaction with every other writer of the books (PostgreSQL row
    lock on the chain head; SQLite's BEGIN IMMEDIATE already does it). Take it before reading
    anything a decision depends on, so a concurrent writer cannot slip in between.

    Asked again in a transaction that took it outside any savepoint (PostgreSQL keeps it until
    commit), it costs no statement: an upload asked four times, each a round trip while every
    other writer waited."""
    if recall(conn, _HELD):
        return
    lock_head(conn)
    remember(conn, _HELD, True)  # not inside a savepoint: rolling it back releases the lock


def lock_head(conn: Connection) -> tuple[int, str]:
    stmt = select(ledger_head.c.last_seq, ledger_head.c.last_hash).where(ledger_head.c.id == 1)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).one()
    return int(row.last_seq), str(row.last_hash)
