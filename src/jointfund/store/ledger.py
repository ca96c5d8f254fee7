"""The ledger façade: every read and write of the books, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection

from jointfund.errors import LedgerError
from jointfund.ledger import Account, Checkpoint, Entry, PostedEntry, PostResult, VerifyReport
from jointfund.ledger import reversal as reversal_of
from jointfund.store import accounts_repo, integrity, queries
from jointfund.store.database import Database
from jointfund.store.posting import closed_through, post_batch, rule_problems
from jointfund.store.queries import BalanceRow, Head, HeadChange


class Ledger:
    """Books on one database; methods are all-or-nothing and safe to retry."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open_account(self, account: Account) -> bool:
        """Open an account (idempotent); True when it was created now."""
        with self.db.write() as conn:
            return accounts_repo.open_account(conn, account)

    def close_account(self, name: str, on: date) -> None:
        """Close an account with a zero balance."""
        with self.db.write() as conn:
            accounts_repo.close_account(conn, name, on)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        with self.db.read() as conn:
            return accounts_repo.list_accounts(conn)

    def post(self, entry: Entry) -> PostResult:
        """Post one entry (or find it already posted under its key)."""
        return self.post_many([entry])[0]

    def post_many(self, batch: Sequence[Entry]) -> list[PostResult]:
        """Post a batch in one transaction: all of it, or nothing and an error."""
        if not batch:
            return []
        with self.db.write() as conn:
            return post_batch(conn, batch)

    def problems(self, batch: Sequence[Entry]) -> list[tuple[int, LedgerError]]:
        """Every ledger rule the batch would break, by index, without writing anything."""
        with self.db.read() as conn:
            known = accounts_repo.accounts_by_name(
                conn, (p.account for e in batch for p in e.postings)
            )
            return rule_problems(batch, known, closed_through(conn))

    def reverse(self, key: str, *, new_key: str, on: date, memo: str = "") -> PostResult:
        """Post the reversal of entry `key`, linked to it; an entry is reversed at most once."""
        original = self.entry(key=key)
        return self.post(reversal_of(original.entry, key=new_key, on=on, memo=memo))

    def entry(self, *, seq: int | None = None, key: str | None = None) -> PostedEntry:
        """One stored entry."""
        with self.db.read() as conn:
            return queries.get_entry(conn, seq=seq, key=key)

    def journal(
        self,
        *,
        account: str | None = None,
        start: date | None = None,
        end: date | None = None,
        kind: str | None = None,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[PostedEntry]:
        """Entries filtered by account subtree, dates and kind; page with `after_seq`."""
        with self.db.read() as conn:
            return queries.find_entries(
                conn,
                account=account,
                start=start,
                end=end,
                kind=kind,
                after_seq=after_seq,
                limit=limit,
            )

    def balances(self, as_of: date | None = None, root: str | None = None) -> list[BalanceRow]:
        """Balances now or as of a date, optionally of one subtree."""
        with self.db.read() as conn:
            return queries.balances_as_of(conn, as_of, root)

    def balances_at_head(
        self, as_of: date | None = None, root: str | None = None
    ) -> tuple[Head, list[BalanceRow]]:
        """`balances` and the chain head of the snapshot it was read from (for a cache)."""
        with self.db.read() as conn:
            return queries.chain_head(conn), queries.balances_as_of(conn, as_of, root)

    def journal_at_head(self, *, after_seq: int, limit: int) -> tuple[Head, list[PostedEntry]]:
        """An unfiltered `journal` page and the chain head of its snapshot (for a cache)."""
        with self.db.read() as conn:
            page = queries.find_entries(conn, after_seq=after_seq, limit=limit)
            return queries.chain_head(conn), page

    def head_change(self, since: Head | None) -> HeadChange:
        """How the books moved on since the head `since` was seen (one read transaction)."""
        with self.db.read() as conn:
            return queries.head_change(conn, since)

    def balance(self, account: str, as_of: date | None = None) -> int:
        """One account's balance in minor units."""
        with self.db.read() as conn:
            return queries.balance(conn, account, as_of)

    def subtree_totals(self, root: str, as_of: date | None = None) -> dict[str, int]:
        """A subtree's total per currency."""
        with self.db.read() as conn:
            return queries.subtree_totals(conn, root, as_of)

    def close(self, through: date) -> Checkpoint:
        """Close the books through a date and return the checkpoint to keep."""
        with self.db.write() as conn:
            return integrity.close_period(conn, through)

    def closed_through(self) -> date | None:
        """Last closed day, if any."""
        with self.db.read() as conn:
            return closed_through(conn)

    def checkpoints(self) -> list[Checkpoint]:
        """Checkpoints of every close."""
        with self.db.read() as conn:
            return integrity.checkpoints(conn)

    def verify(self, checkpoint: Checkpoint | None = None) -> VerifyReport:
        """Recompute the chain and every balance; compare with a kept checkpoint if given."""
        with self.db.read() as conn:
            return integrity.verify_books(conn, checkpoint)


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
        """`Ledger.head_change`, on SQLite on the watch's own connection (it never waits for
        the pool, so it may run on the event loop)."""
        if self.db.dialect != "sqlite":
            return Ledger(self.db).head_change(since)
        conn = self._connection()
        with conn.begin():
            return queries.head_change(conn, since)

    def close(self) -> None:
        """Give the watch's connection back (the next look opens another)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._version = None
