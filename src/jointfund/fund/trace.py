"""Tracing the books both ways, as an auditor reads them: an entry with the filings it sums,
and one account's postings with the running balance."""

from __future__ import annotations

from datetime import date

from jointfund import store
from jointfund.governance import User, require
from jointfund.ledger import PostedEntry
from jointfund.store import Database
from jointfund.store.counts import count_entries
from jointfund.store.filing_reads import FilingRow
from jointfund.store.fx_trace import (
    RateEntry,
    StoredRate,
    entries_at_rate,
    parse_rate_words,
    rates_of_entry,
    stored_rate,
)
from jointfund.store.trace import AccountHistory, AccountLine, account_history
from jointfund.store.trace import filings_of_entry as store_filings_of_entry

__all__ = [
    "MAX_FILINGS",
    "AccountHistory",
    "AccountLine",
    "FilingRow",
    "RateEntry",
    "StoredRate",
    "account_ledger",
    "entry_filings",
    "entry_rates",
    "filings_of_entry",
    "journal_count",
    "parse_rate_words",
    "rate_entries",
]

MAX_FILINGS = 500
"""An entry page lists at most this many of its filings (and says how many there are)."""


def entry_filings(
    db: Database, actor: User, *, seq: int, limit: int = MAX_FILINGS
) -> tuple[PostedEntry, list[FilingRow], int]:
    """One entry, the filing versions it booked (at most `limit`) and how many there are."""
    require(actor, "ledger.read")
    require(actor, "filings.read")
    with db.read() as tx:
        entry = store.journal.get_entry(tx, seq=seq)
        found, count = store_filings_of_entry(tx, entry.entry.key, limit=limit)
    return entry, found, count


def filings_of_entry(
    db: Database, actor: User, key: str, *, after_id: int = 0, limit: int = 100
) -> tuple[list[FilingRow], int]:
    """A page of the filing versions the entry `key` booked, in id order, and how many."""
    require(actor, "filings.read")
    with db.read() as tx:
        return store_filings_of_entry(tx, key, after_id=after_id, limit=limit)


def journal_count(
    db: Database,
    actor: User,
    *,
    account: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
) -> int:
    """How many entries the journal's filters match (the journal page's total)."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return count_entries(tx, account=account, start=start, end=end, kind=kind)


def account_ledger(
    db: Database, actor: User, account: str, *, after_seq: int = 0, limit: int = 100
) -> AccountHistory:
    """A page of one account's postings after entry `after_seq`, with the running balance."""
    require(actor, "ledger.read")
    with db.read() as tx:
        return account_history(tx, account, after_seq=after_seq, limit=limit)


def entry_rates(db: Database, actor: User, *, seq: int) -> list[StoredRate]:
    """The stored FX rates entry `seq` was booked at (through the filings it sums), each with
    the file it was imported from and how many of the entry's filings used it."""
    require(actor, "ledger.read")
    require(actor, "filings.read")
    with db.read() as tx:
        entry = store.journal.get_entry(tx, seq=seq)
        return rates_of_entry(tx, entry.entry.key)


def rate_entries(
    db: Database,
    actor: User,
    *,
    on: date,
    base: str,
    quote: str,
    after_seq: int = 0,
    limit: int = 100,
) -> tuple[StoredRate, list[RateEntry], int]:
    """One stored FX rate, a page of the entries booked at it in chain order after
    `after_seq`, and how many entries there are."""
    require(actor, "ledger.read")
    require(actor, "filings.read")
    with db.read() as tx:
        rate = stored_rate(tx, on, base, quote)
        found, count = entries_at_rate(tx, rate, after_seq=after_seq, limit=limit)
    return rate, found, count
