"""The books as users read them: balances, the journal, entries, checkpoints, verification.

Each read checks the permission table and runs in one snapshot; what comes back are plain
records (`BalanceRow`, `PostedEntry`, `VerifyReport`, `Checkpoint`). Writes to the journal
are the use cases of what they book; manual entries and closes are proposals
(`fund.manual_entries`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from jointfund import store
from jointfund.errors import InputError, Problem
from jointfund.fund.kept_reads import version_in
from jointfund.governance import User, require
from jointfund.i18n.message import Message
from jointfund.ledger import Account, Checkpoint, PostedEntry, VerifyReport
from jointfund.store import Database
from jointfund.store.balances import BalanceRow
from jointfund.store.head import CommitWatch, Head, HeadChange
from jointfund.store.keyset import Sort

__all__ = [
    "BalanceRow",
    "BooksInfo",
    "CommitWatch",
    "Head",
    "HeadChange",
    "accounts",
    "balances",
    "balances_at_head",
    "checkpoints",
    "describe",
    "entry",
    "head_change",
    "journal",
    "journal_at_head",
    "subtree_totals",
    "verify",
    "watch",
]


@dataclass(frozen=True, slots=True)
class BooksInfo:
    """Where the books are and which schema they are at."""

    url: str
    dialect: str
    schema_revision: str | None


def describe(db: Database) -> BooksInfo:
    """The database's address (password hidden) and schema revision."""
    url = db.engine.url.render_as_string(hide_password=True)
    return BooksInfo(url, db.dialect, store.schema_revision(db))


def balances(
    db: Database, actor: User, *, as_of: date | None = None, root: str | None = None
) -> list[BalanceRow]:
    """Balances of every account (or a subtree), now or at the end of `as_of`."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.balances.balances_as_of(tx, as_of, root)


def subtree_totals(
    db: Database, actor: User, root: str, *, as_of: date | None = None
) -> dict[str, int]:
    """A subtree's total per currency."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.balances.subtree_totals(tx, root, as_of)


def journal(
    db: Database,
    actor: User,
    *,
    account: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> list[PostedEntry]:
    """Entries filtered by account subtree, dates and kind, in chain order (or the order of
    `sort`, one of `sorting.JOURNAL`), the page after entry `after_seq`."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.journal.find_entries(
            tx,
            account=account,
            start=start,
            end=end,
            kind=kind,
            after_seq=after_seq,
            limit=limit,
            sort=sort,
        )


def entry(
    db: Database, actor: User, *, seq: int | None = None, key: str | None = None
) -> PostedEntry:
    """One stored entry, by its place in the chain or its key."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.journal.get_entry(tx, seq=seq, key=key)


def accounts(db: Database, actor: User) -> list[Account]:
    """Every account, by name."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.accounts.list_accounts(tx)


MAX_VERIFY_WORKERS = 4
"""Processes a full verify replays the journal in (beyond a few, reading the database and
checking the row chain in this process set the pace)."""


def verify(
    db: Database, actor: User, checkpoint: Checkpoint | None = None, *, since: bool = False
) -> VerifyReport:
    """Recompute the chains and every balance; compare with a kept checkpoint when given.

    `since` verifies only what followed the checkpoint (its own hashes prove what preceded
    it): fast on long histories, and the full verify remains the complete proof.
    """
    require(actor, "ledger.verify")
    if since and checkpoint is None:
        raise InputError(
            [Problem(Message("verifying since a checkpoint needs the kept checkpoint"))]
        )
    with db.read() as tx:
        if since and checkpoint is not None:
            return store.verify_since.verify_since(tx, checkpoint)
        workers = min(os.cpu_count() or 1, MAX_VERIFY_WORKERS)
        return store.verification.verify_books(tx, checkpoint, url=db.shared_url, workers=workers)


def checkpoints(db: Database, actor: User) -> list[Checkpoint]:
    """The checkpoint of every close, oldest first."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.closes.checkpoints(tx)


# --- for caches of answers: the chain head a read was taken at -------------------------------


def balances_at_head(
    db: Database, actor: User, *, as_of: date | None = None, root: str | None = None
) -> tuple[Head, list[BalanceRow]]:
    """`balances` and the chain head of the snapshot it was read from."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return store.head.chain_head(tx), store.balances.balances_as_of(tx, as_of, root)


def journal_at_head(
    db: Database, actor: User, *, after_seq: int, limit: int
) -> tuple[Head, list[PostedEntry]]:
    """An unfiltered `journal` page and the chain head of its snapshot."""
    require(actor, "ledger.read")
    with db.read() as tx:
        page = store.journal.find_entries(tx, after_seq=after_seq, limit=limit)
        return store.head.chain_head(tx), page


def books_version(db: Database) -> str:
    """Both chain heads (journal, and the row chain that every filing, licence, rate and
    term sheet joins): any committed change to the books moves one. Public, like a head."""
    with db.read() as tx:
        return version_in(tx)


def head_change(db: Database, since: Head | None) -> HeadChange:
    """How the books moved on since `since` was seen (nothing secret: a hash and a date)."""
    with db.read() as tx:
        return store.head.head_change(tx, since)


def watch(db: Database) -> CommitWatch:
    """A cheap watch for commits to the books (SQLite's data version), for a cache to poll."""
    return CommitWatch(db)


def all_entries(db: Database, actor: User, *, page: int = 5000) -> list[PostedEntry]:
    """The whole journal in chain order (read a page at a time, in one snapshot)."""
    require(actor, "ledger.read")
    found: list[PostedEntry] = []
    with db.read() as tx:
        after = 0
        while part := store.journal.find_entries(tx, after_seq=after, limit=page):
            found.extend(part)
            after = part[-1].seq
    return found
