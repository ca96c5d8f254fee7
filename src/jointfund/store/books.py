"""The books on one database: every read and write of the journal, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jointfund import store
from jointfund.errors import LedgerError
from jointfund.ledger import Account, Checkpoint, Entry, PostedEntry, PostResult, VerifyReport
from jointfund.ledger import reversal as reversal_of
from jointfund.store.balances import BalanceRow
from jointfund.store.closes import closed_through
from jointfund.store.database import Database
from jointfund.store.head import Head, HeadChange
from jointfund.store.posting import post_batch, rule_problems


class Books:
    """Books on one database; methods are all-or-nothing and safe to retry."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open_account(self, account: Account) -> bool:
        """Open an account (idempotent); True when it was created now."""
        with self.db.write() as conn:
            return store.accounts.open_account(conn, account)

    def close_account(self, name: str, on: date) -> None:
        """Close an account with a zero balance."""
        with self.db.write() as conn:
            store.accounts.close_account(conn, name, on)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        with self.db.read() as conn:
            return store.accounts.list_accounts(conn)

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
            known = store.accounts.accounts_by_name(
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
            return store.journal.get_entry(conn, seq=seq, key=key)

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
            return store.journal.find_entries(
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
            return store.balances.balances_as_of(conn, as_of, root)

    def balances_at_head(
        self, as_of: date | None = None, root: str | None = None
    ) -> tuple[Head, list[BalanceRow]]:
        """`balances` and the chain head of the snapshot it was read from (for a cache)."""
        with self.db.read() as conn:
            return store.head.chain_head(conn), store.balances.balances_as_of(conn, as_of, root)

    def journal_at_head(self, *, after_seq: int, limit: int) -> tuple[Head, list[PostedEntry]]:
        """An unfiltered `journal` page and the chain head of its snapshot (for a cache)."""
        with self.db.read() as conn:
            page = store.journal.find_entries(conn, after_seq=after_seq, limit=limit)
            return store.head.chain_head(conn), page

    def head_change(self, since: Head | None) -> HeadChange:
        """How the books moved on since the head `since` was seen (one read transaction)."""
        with self.db.read() as conn:
            return store.head.head_change(conn, since)

    def balance(self, account: str, as_of: date | None = None) -> int:
        """One account's balance in minor units."""
        with self.db.read() as conn:
            return store.balances.balance(conn, account, as_of)

    def subtree_totals(self, root: str, as_of: date | None = None) -> dict[str, int]:
        """A subtree's total per currency."""
        with self.db.read() as conn:
            return store.balances.subtree_totals(conn, root, as_of)

    def close(self, through: date) -> Checkpoint:
        """Close the books through a date and return the checkpoint to keep."""
        with self.db.write() as conn:
            return store.closes.close_period(conn, through)

    def closed_through(self) -> date | None:
        """Last closed day, if any."""
        with self.db.read() as conn:
            return closed_through(conn)

    def checkpoints(self) -> list[Checkpoint]:
        """Checkpoints of every close."""
        with self.db.read() as conn:
            return store.closes.checkpoints(conn)

    def verify(self, checkpoint: Checkpoint | None = None) -> VerifyReport:
        """Recompute the chain and every balance; compare with a kept checkpoint if given."""
        with self.db.read() as conn:
            return store.verification.verify_books(conn, checkpoint)
