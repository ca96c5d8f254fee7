"""Reading the books: balances as of any date, trial balance, the journal in order."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from jointfund.errors import NotFoundError
from jointfund.ledger import Entry, PostedEntry, Posting
from jointfund.store.accounts_repo import account_names
from jointfund.store.schema import accounts, balances, day_totals, entries, postings


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One account's balance in minor units (debit-positive)."""

    account: str
    currency: str
    amount: int
    partner: str | None = None


def _subtree(root: str | None) -> Any:
    if not root:
        return None
    return or_(accounts.c.name == root, accounts.c.name.like(root.replace("%", r"\%") + ":%"))


def balances_as_of(
    conn: Connection, as_of: date | None = None, root: str | None = None
) -> list[BalanceRow]:
    """Balances of every account (or of a subtree), now or at the end of `as_of`."""
    if as_of is None:
        stmt = select(
            accounts.c.name, accounts.c.currency, accounts.c.partner, balances.c.amount
        ).join(balances, balances.c.account_id == accounts.c.id)
    else:
        total = func.sum(day_totals.c.amount).label("amount")
        stmt = (
            select(accounts.c.name, accounts.c.currency, accounts.c.partner, total)
            .join(day_totals, day_totals.c.account_id == accounts.c.id)
            .where(day_totals.c.day <= as_of)
            .group_by(accounts.c.name, accounts.c.currency, accounts.c.partner)
        )
    where = _subtree(root)
    if where is not None:
        stmt = stmt.where(where)
    rows = conn.execute(stmt.order_by(accounts.c.name))
    return [BalanceRow(r.name, r.currency, int(r.amount), r.partner) for r in rows if r.amount]


def balance(conn: Connection, account: str, as_of: date | None = None) -> int:
    """One account's balance (0 when it has none), in minor units."""
    row = conn.execute(select(accounts.c.id).where(accounts.c.name == account)).first()
    if row is None:
        raise NotFoundError(f"no account {account}")
    if as_of is None:
        value = conn.execute(select(balances.c.amount).where(balances.c.account_id == row.id))
    else:
        value = conn.execute(
            select(func.sum(day_totals.c.amount)).where(
                day_totals.c.account_id == row.id, day_totals.c.day <= as_of
            )
        )
    return int(value.scalar() or 0)


def subtree_totals(conn: Connection, root: str, as_of: date | None = None) -> dict[str, int]:
    """Sum of a subtree's balances per currency."""
    totals: dict[str, int] = defaultdict(int)
    for row in balances_as_of(conn, as_of, root):
        totals[row.currency] += row.amount
    return dict(totals)


def _decode(row: Row[Any], lines: list[Posting]) -> PostedEntry:
    return PostedEntry(
        seq=row.seq,
        entry=Entry(
            key=row.key,
            effective_date=row.effective_date,
            kind=row.kind,
            postings=tuple(lines),
            memo=row.memo,
            metadata=json.loads(row.metadata),
            links=tuple(json.loads(row.links)),
        ),
        booked_at=row.booked_at,
        prev_hash=row.prev_hash,
        hash=row.hash,
        reverses_seq=row.reverses_seq,
    )


@dataclass(frozen=True, slots=True)
class JournalPage:
    """Entries in seq order plus posting rows whose entry row is missing (a tamper sign)."""

    entries: list[PostedEntry]
    orphans: list[int]


def journal_page(
    conn: Connection, after_seq: int, limit: int, names: dict[int, str] | None = None
) -> JournalPage:
    """Up to `limit` entries after `after_seq` with their postings, in chain order."""
    names = names if names is not None else account_names(conn)
    rows = conn.execute(
        select(entries).where(entries.c.seq > after_seq).order_by(entries.c.seq).limit(limit)
    ).all()
    if not rows:
        leftover = conn.execute(
            select(postings.c.entry_seq).where(postings.c.entry_seq > after_seq).distinct()
        ).scalars()
        return JournalPage([], sorted(int(s) for s in leftover))
    last = rows[-1].seq
    lines: dict[int, list[Posting]] = defaultdict(list)
    posting_rows = conn.execute(
        select(postings)
        .where(postings.c.entry_seq > after_seq, postings.c.entry_seq <= last)
        .order_by(postings.c.entry_seq, postings.c.idx)
    )
    for p in posting_rows:
        lines[p.entry_seq].append(
            Posting(names.get(p.account_id, f"#{p.account_id}"), int(p.amount), p.currency)
        )
    present = {r.seq for r in rows}
    orphans = sorted(s for s in lines if s not in present)
    return JournalPage([_decode(r, lines.get(r.seq, [])) for r in rows], orphans)


def iter_journal(conn: Connection, page_size: int = 5000) -> Iterator[JournalPage]:
    """The whole journal in chain order, a page at a time so memory stays bounded."""
    names = account_names(conn)
    after = 0
    while True:
        page = journal_page(conn, after, page_size, names)
        yield page
        if not page.entries:
            return
        after = page.entries[-1].seq


def find_entries(
    conn: Connection,
    *,
    account: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[PostedEntry]:
    """Entries filtered by account (subtree), date range and kind, in chain order."""
    stmt = select(entries.c.seq).where(entries.c.seq > after_seq)
    if account:
        ids = select(accounts.c.id).where(_subtree(account))
        stmt = stmt.where(
            entries.c.seq.in_(select(postings.c.entry_seq).where(postings.c.account_id.in_(ids)))
        )
    if start:
        stmt = stmt.where(entries.c.effective_date >= start)
    if end:
        stmt = stmt.where(entries.c.effective_date <= end)
    if kind:
        stmt = stmt.where(entries.c.kind == kind)
    seqs = list(conn.execute(stmt.order_by(entries.c.seq).limit(limit)).scalars())
    return _entries_with_postings(conn, seqs)


def _entries_with_postings(conn: Connection, seqs: list[int]) -> list[PostedEntry]:
    """The entries with these seqs and their postings: one query for each, whatever the count."""
    if not seqs:
        return []
    rows = conn.execute(select(entries).where(entries.c.seq.in_(seqs)).order_by(entries.c.seq))
    lines: dict[int, list[Posting]] = defaultdict(list)
    posting_rows = conn.execute(
        select(postings.c.entry_seq, accounts.c.name, postings.c.amount, postings.c.currency)
        .join(accounts, accounts.c.id == postings.c.account_id)
        .where(postings.c.entry_seq.in_(seqs))
        .order_by(postings.c.entry_seq, postings.c.idx)
    )
    for p in posting_rows:
        lines[p.entry_seq].append(Posting(p.name, int(p.amount), p.currency))
    return [_decode(r, lines[r.seq]) for r in rows]


def get_entry(conn: Connection, *, seq: int | None = None, key: str | None = None) -> PostedEntry:
    """One stored entry by seq or idempotency key."""
    stmt = select(entries)
    stmt = stmt.where(entries.c.seq == seq) if seq is not None else stmt.where(entries.c.key == key)
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFoundError(f"no entry {seq if seq is not None else key}")
    lines = [
        Posting(p.name, int(p.amount), p.currency)
        for p in conn.execute(
            select(accounts.c.name, postings.c.amount, postings.c.currency)
            .join(accounts, accounts.c.id == postings.c.account_id)
            .where(postings.c.entry_seq == row.seq)
            .order_by(postings.c.idx)
        )
    ]
    return _decode(row, lines)


def metadata_of_kind(
    conn: Connection, kind: str, through: date
) -> list[tuple[date, dict[str, Any]]]:
    """(effective date, metadata) of every entry of one kind dated up to `through`, in order."""
    rows = conn.execute(
        select(entries.c.effective_date, entries.c.metadata)
        .where(entries.c.kind == kind, entries.c.effective_date <= through)
        .order_by(entries.c.effective_date, entries.c.seq)
    )
    return [(r.effective_date, json.loads(r.metadata)) for r in rows]
