"""Reading the books: balances as of any date, trial balance, the journal in order."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, func, or_, select

from jointfund.errors import NotFoundError
from jointfund.ledger import Entry, PostedEntry, Posting
from jointfund.store.accounts_repo import account_names
from jointfund.store.schema import accounts, balances, day_totals, entries, ledger_head, postings


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One account's balance in minor units (debit-positive)."""

    account: str
    currency: str
    amount: int
    partner: str | None = None


def _subtree_params(root: str) -> dict[str, str]:
    """Bound values for `_SUBTREE`: the root itself and the LIKE pattern of its descendants."""
    return {"root": root, "root_like": root.replace("%", r"\%") + ":%"}


_SUBTREE = or_(accounts.c.name == bindparam("root"), accounts.c.name.like(bindparam("root_like")))


@cache
def _balances_statement(dated: bool, rooted: bool) -> Select[Any]:
    """The balances query for one shape of request, built once (values are bound per call)."""
    if dated:
        total = func.sum(day_totals.c.amount).label("amount")
        stmt = (
            select(accounts.c.name, accounts.c.currency, accounts.c.partner, total)
            .join(day_totals, day_totals.c.account_id == accounts.c.id)
            .where(day_totals.c.day <= bindparam("as_of"))
            .group_by(accounts.c.name, accounts.c.currency, accounts.c.partner)
        )
    else:
        stmt = select(
            accounts.c.name, accounts.c.currency, accounts.c.partner, balances.c.amount
        ).join(balances, balances.c.account_id == accounts.c.id)
    if rooted:
        stmt = stmt.where(_SUBTREE)
    return stmt.order_by(accounts.c.name)


def balances_as_of(
    conn: Connection, as_of: date | None = None, root: str | None = None
) -> list[BalanceRow]:
    """Balances of every account (or of a subtree), now or at the end of `as_of`.

    Now reads the materialised `balances`; a date sums `day_totals` up to it.
    """
    params: dict[str, Any] = _subtree_params(root) if root else {}
    if as_of is not None:
        params["as_of"] = as_of
    rows = conn.execute(_balances_statement(as_of is not None, bool(root)), params)
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


_ENTRY_COLUMNS = (
    entries.c.seq,
    entries.c.key,
    entries.c.effective_date,
    entries.c.kind,
    entries.c.memo,
    entries.c.metadata,
    entries.c.links,
    entries.c.booked_at,
    entries.c.prev_hash,
    entries.c.hash,
    entries.c.reverses_seq,
)
"""The columns an entry is decoded from, in the order `_posted` takes them."""


def _posted(values: Sequence[Any], lines: list[Posting]) -> PostedEntry:
    """An entry from its `_ENTRY_COLUMNS` values (by position: a page decodes many)."""
    seq, key, effective_date, kind, memo, metadata, links, booked_at, prev, hash_, reverses = values
    return PostedEntry(
        seq=seq,
        entry=Entry(
            key=key,
            effective_date=effective_date,
            kind=kind,
            postings=tuple(lines),
            memo=memo,
            metadata=json.loads(metadata),
            links=tuple(json.loads(links)),
        ),
        booked_at=booked_at,
        prev_hash=prev,
        hash=hash_,
        reverses_seq=reverses,
    )


def _decode(row: Row[Any], lines: list[Posting]) -> PostedEntry:
    return _posted([row._mapping[c] for c in _ENTRY_COLUMNS], lines)


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


@cache
def _journal_statements(
    account: bool, start: bool, end: bool, kind: bool
) -> tuple[Select[Any], Select[Any]]:
    """A page of entries after a cursor and the page's postings with their account names, for
    one combination of filters, built once (values are bound per call)."""
    page = select(entries.c.seq).where(entries.c.seq > bindparam("after_seq"))
    if account:
        ids = select(accounts.c.id).where(_SUBTREE)
        page = page.where(
            entries.c.seq.in_(select(postings.c.entry_seq).where(postings.c.account_id.in_(ids)))
        )
    if start:
        page = page.where(entries.c.effective_date >= bindparam("start"))
    if end:
        page = page.where(entries.c.effective_date <= bindparam("end"))
    if kind:
        page = page.where(entries.c.kind == bindparam("kind"))
    page = page.order_by(entries.c.seq).limit(bindparam("limit"))
    lines = (
        select(postings.c.entry_seq, accounts.c.name, postings.c.amount, postings.c.currency)
        .join(accounts, accounts.c.id == postings.c.account_id)
        .where(postings.c.entry_seq.in_(page.scalar_subquery()))
        .order_by(postings.c.entry_seq, postings.c.idx)
    )
    return page.with_only_columns(*_ENTRY_COLUMNS), lines


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
    """Entries filtered by account (subtree), date range and kind, in chain order.

    Two queries whatever the page size: the entries, then their postings (the page's filter
    runs again inside the second, on the same snapshot).
    """
    params: dict[str, Any] = {"after_seq": after_seq, "limit": limit}
    params |= _subtree_params(account) if account else {}
    params |= {k: v for k, v in (("start", start), ("end", end), ("kind", kind)) if v}
    page, postings_of_page = _journal_statements(bool(account), bool(start), bool(end), bool(kind))
    found = conn.execute(page, params).all()
    if not found:
        return []
    lines: dict[int, list[Posting]] = defaultdict(list)
    for seq, name, amount, currency in conn.execute(postings_of_page, params):
        lines[seq].append(Posting(name, int(amount), currency))
    return [_posted(row, lines[row[0]]) for row in found]


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
