"""Reads that trace the books both ways: an entry's filings, and one account's postings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.filing_reads import FilingRow, filing_row
from jointfund.store.tables.ledger import accounts, entries, postings
from jointfund.store.tables.registry import filings


def filings_of_entry(
    conn: Connection, key: str, *, after_id: int = 0, limit: int
) -> tuple[list[FilingRow], int]:
    """The filing versions an entry booked, in id order after `after_id` (at most `limit`),
    and how many there are: read along the (entry_key, id) index."""
    rows = conn.execute(
        select(filings)
        .where(filings.c.entry_key == key, filings.c.id > after_id)
        .order_by(filings.c.id)
        .limit(limit)
    )
    found = [filing_row(r) for r in rows]
    count = conn.execute(
        select(func.count()).select_from(filings).where(filings.c.entry_key == key)
    ).scalar()
    return found, int(count or 0)


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One posting to an account, with the account's balance after it (minor units)."""

    seq: int
    day: date
    kind: str
    memo: str
    amount: int
    balance: int


@dataclass(frozen=True, slots=True)
class AccountHistory:
    """A page of an account's postings in chain order after a seq, and its opening balance."""

    account: str
    currency: str
    type: str
    opening: int
    lines: list[AccountLine]
    count: int
    more: bool = False


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def account_history(
    conn: Connection, account: str, *, after_seq: int, limit: int
) -> AccountHistory:
    """The postings to `account` of the next `limit` entries after entry `after_seq` that post
    to it (an entry is never cut between pages), in chain order, each with the running
    balance; read along the (account_id, entry_seq) index."""
    found = conn.execute(
        select(accounts.c.id, accounts.c.currency, accounts.c.type).where(
            accounts.c.name == account
        )
    ).first()
    if found is None:
        raise NotFoundError(Message("no account {account}", account=account))
    mine = postings.c.account_id == found.id
    opening = int(
        conn.execute(
            select(func.coalesce(func.sum(postings.c.amount), 0)).where(
                mine, postings.c.entry_seq <= after_seq
            )
        ).scalar()
        or 0
    )
    count = conn.execute(select(func.count()).select_from(postings).where(mine)).scalar()
    seqs = list(
        conn.execute(
            select(postings.c.entry_seq)
            .where(mine, postings.c.entry_seq > after_seq)
            .group_by(postings.c.entry_seq)
            .order_by(postings.c.entry_seq)
            .limit(limit + 1)
        ).scalars()
    )
    more = len(seqs) > limit
    lines: list[AccountLine] = []
    if seqs:
        last = seqs[min(limit, len(seqs)) - 1]
        rows = conn.execute(
            select(
                postings.c.entry_seq,
                postings.c.amount,
                entries.c.effective_date,
                entries.c.kind,
                entries.c.memo,
            )
            .join(entries, entries.c.seq == postings.c.entry_seq)
            .where(mine, postings.c.entry_seq > after_seq, postings.c.entry_seq <= last)
            .order_by(postings.c.entry_seq, postings.c.idx)
        )
        running = opening
        for r in rows:
            running += int(r.amount)
            lines.append(
                AccountLine(
                    int(r.entry_seq), _day(r.effective_date), r.kind, r.memo, int(r.amount), running
                )
            )
    return AccountHistory(
        account, found.currency, found.type, opening, lines, int(count or 0), more
    )
