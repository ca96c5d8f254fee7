"""Reading the journal: entries and their postings by seq, key, filter or page."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, Row, Select, bindparam, func, or_, select

from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.ledger import Entry, PostedEntry, Posting
from jointfund.store.accounts import SUBTREE, account_names, subtree_params
from jointfund.store.driver_rows import driver_rows
from jointfund.store.keyset import Sort, beyond, cursor_values, ordered
from jointfund.store.tables.ledger import (
    accounts,
    entries,
    postings,
)

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


def _loads(text: str) -> Any:
    """JSON text stored by the books; orjson reads it at a fraction of `json`'s cost (verify
    decodes every entry), `json` takes what orjson refuses (integers beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _posted(values: Sequence[Any], lines: list[Posting]) -> PostedEntry:
    """An entry from its `_ENTRY_COLUMNS` values (by position: a page decodes many)."""
    seq, key, effective_date, kind, memo, metadata, links, booked_at, prev, hash_, reverses = values
    return PostedEntry(
        seq=seq,
        entry=Entry(
            key=key,
            # as SQLite stores it (ISO text) when read through the driver
            effective_date=(
                effective_date
                if type(effective_date) is date
                else date.fromisoformat(effective_date)
            ),
            kind=kind,
            postings=tuple(lines),
            memo=memo,
            metadata=_loads(metadata),
            links=tuple(_loads(links)),
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
    conn: Connection,
    after_seq: int,
    limit: int,
    names: dict[int, str] | None = None,
    through_seq: int | None = None,
) -> JournalPage:
    """Up to `limit` entries after `after_seq` (and up to `through_seq`) with their postings,
    in chain order."""
    names = names if names is not None else account_names(conn)
    within = [entries.c.seq > after_seq]
    if through_seq is not None:
        within.append(entries.c.seq <= through_seq)
    # Through the driver: verify reads every entry this way, and SQLAlchemy's rows were a
    # tenth of its time.
    rows = driver_rows(
        conn, select(*_ENTRY_COLUMNS).where(*within).order_by(entries.c.seq).limit(limit)
    )
    if not rows:
        beyond = [postings.c.entry_seq > after_seq]
        if through_seq is not None:
            beyond.append(postings.c.entry_seq <= through_seq)
        leftover = conn.execute(select(postings.c.entry_seq).where(*beyond).distinct()).scalars()
        return JournalPage([], sorted(int(s) for s in leftover))
    last = rows[-1][0]
    lines: dict[int, list[Posting]] = defaultdict(list)
    posting_rows = driver_rows(
        conn,
        select(postings.c.entry_seq, postings.c.account_id, postings.c.amount, postings.c.currency)
        .where(postings.c.entry_seq > after_seq, postings.c.entry_seq <= last)
        .order_by(postings.c.entry_seq, postings.c.idx),
    )  # a page's rows at once: fetching them one by one cost verify a fifth of its time
    for seq, account_id, amount, currency in posting_rows:
        lines[seq].append(Posting(names.get(account_id, f"#{account_id}"), int(amount), currency))
    present = {r[0] for r in rows}
    orphans = sorted(s for s in lines if s not in present)
    return JournalPage([_posted(r, lines.get(r[0], [])) for r in rows], orphans)


def iter_journal(
    conn: Connection, page_size: int = 5000, after_seq: int = 0, through_seq: int | None = None
) -> Iterator[JournalPage]:
    """The journal after `after_seq` and up to `through_seq` (all of it by default) in chain
    order, a page at a time so memory stays bounded."""
    names = account_names(conn)
    after = after_seq
    while True:
        page = journal_page(conn, after, page_size, names, through_seq)
        yield page
        if not page.entries:
            return
        after = page.entries[-1].seq


# The journal's sorts, each read along an index with the chain order breaking ties: the
# chain order itself, the effective date, the kind (migration 0024) and the key (SQLite keeps
# the rowid, the seq, at the end of each index).
JOURNAL_SORTS = {
    "seq": (entries.c.seq,),
    "date": (entries.c.effective_date, entries.c.seq),
    "kind": (entries.c.kind, entries.c.seq),
    "key": (entries.c.key, entries.c.seq),
}


@cache
def _journal_statements(
    account: bool,
    start: bool,
    end: bool,
    kind: bool,
    sort: Sort,
    cursor: bool,
) -> tuple[Select[Any], Select[Any]]:
    """A page of entries after a cursor (its sort values bound as `c0`, `c1`, ...) and the
    page's postings with their account names, for one combination of filters and sort,
    built once (values are bound per call)."""
    columns = JOURNAL_SORTS[sort.name]
    page = select(entries.c.seq)
    if cursor:
        values: list[Any] = [bindparam(f"c{i}", type_=c.type) for i, c in enumerate(columns)]
        page = page.where(beyond(columns, values, sort.descending))
    if account:
        ids = select(accounts.c.id).where(SUBTREE)
        page = page.where(
            entries.c.seq.in_(select(postings.c.entry_seq).where(postings.c.account_id.in_(ids)))
        )
    if start:
        page = page.where(entries.c.effective_date >= bindparam("start"))
    if end:
        page = page.where(entries.c.effective_date <= bindparam("end"))
    if kind:
        page = page.where(entries.c.kind == bindparam("kind"))
    page = page.order_by(*ordered(columns, sort.descending)).limit(bindparam("limit"))
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
    sort: Sort | None = None,
) -> list[PostedEntry]:
    """Entries filtered by account (subtree), date range and kind, in chain order (or the
    order of `sort`, one of `JOURNAL_SORTS`), the page after entry `after_seq`.

    Two queries whatever the page size: the entries, then their postings (the page's filter
    runs again inside the second, on the same snapshot).
    """
    order = sort or Sort("seq")
    params: dict[str, Any] = {"limit": limit}
    params |= subtree_params(account) if account else {}
    params |= {k: v for k, v in (("start", start), ("end", end), ("kind", kind)) if v}
    columns = JOURNAL_SORTS[order.name]
    cursor: tuple[Any, ...] | None = None
    if after_seq:
        cursor = (
            (after_seq,)
            if order.name == "seq"
            else cursor_values(conn, columns, entries.c.seq, after_seq)
        )
    params |= {f"c{i}": v for i, v in enumerate(cursor or ())}
    page, postings_of_page = _journal_statements(
        bool(account), bool(start), bool(end), bool(kind), order, cursor is not None
    )
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
        raise NotFoundError(Message("no entry {entry}", entry=seq if seq is not None else key))
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
class JournalLine:
    """One posting with its entry's date, order and kind: the raw stuff of capital accounts."""

    effective_date: date
    seq: int
    kind: str
    account: str
    amount: int
    currency: str


def journal_lines(
    conn: Connection,
    prefixes: Iterable[str],
    as_of: date | None = None,
    known_at: str | None = None,
) -> list[JournalLine]:
    """Postings to accounts under any of `prefixes`, in date then chain order, up to `as_of`;
    with `known_at` (a stored timestamp) only entries booked by then (the books as known)."""
    where = or_(
        *(
            or_(accounts.c.name == p, accounts.c.name.like(p.replace("%", r"\%") + ":%"))
            for p in prefixes
        )
    )
    stmt = (
        select(
            entries.c.effective_date,
            entries.c.seq,
            entries.c.kind,
            accounts.c.name,
            postings.c.amount,
            postings.c.currency,
        )
        .join(postings, postings.c.entry_seq == entries.c.seq)
        .join(accounts, accounts.c.id == postings.c.account_id)
        # The accounts first, then their postings by the account index: asked as a join
        # condition, SQLite walked every entry by date (2.8 s at a million entries, for the
        # capital lines' few hundred postings).
        .where(postings.c.account_id.in_(select(accounts.c.id).where(where)))
        .order_by(entries.c.effective_date, entries.c.seq, postings.c.idx)
    )
    if as_of is not None:
        stmt = stmt.where(entries.c.effective_date <= as_of)
    if known_at is not None:
        stmt = stmt.where(entries.c.booked_at <= known_at)
    return [
        JournalLine(r.effective_date, int(r.seq), r.kind, r.name, int(r.amount), r.currency)
        for r in conn.execute(stmt)
    ]


def entry_exists(conn: Connection, key: str) -> bool:
    """Whether an entry with this idempotency key is posted."""
    return conn.execute(select(entries.c.seq).where(entries.c.key == key)).first() is not None


_CASH = "Assets:Cash:%"


def entry_cash(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    """Cash each entry moved (sum of its Assets:Cash postings), for the keys that exist."""
    wanted = sorted(set(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(entries.c.key, func.coalesce(func.sum(postings.c.amount), 0).label("cash"))
            .select_from(entries)
            .outerjoin(postings, postings.c.entry_seq == entries.c.seq)
            .outerjoin(accounts, accounts.c.id == postings.c.account_id)
            .where(entries.c.key.in_(chunk))
            .where((accounts.c.name.like(_CASH)) | (accounts.c.id.is_(None)))
            .group_by(entries.c.key)
        )
        found.update({r.key: int(r.cash) for r in rows})
        # An entry without cash postings still exists: it holds zero cash.
        present = conn.execute(select(entries.c.key).where(entries.c.key.in_(chunk))).scalars()
        for key in present:
            found.setdefault(key, 0)
    return found


def cash_moves(conn: Connection, start: date, end: date) -> list[tuple[str, str, int]]:
    """Cash moved between two dates (inclusive) per entry kind and currency."""
    rows = conn.execute(
        select(entries.c.kind, postings.c.currency, func.sum(postings.c.amount).label("amount"))
        .join(postings, postings.c.entry_seq == entries.c.seq)
        .join(accounts, accounts.c.id == postings.c.account_id)
        .where(accounts.c.name.like(_CASH))
        .where(entries.c.effective_date >= start, entries.c.effective_date <= end)
        .group_by(entries.c.kind, postings.c.currency)
        .order_by(entries.c.kind, postings.c.currency)
    )
    return [(r.kind, r.currency, int(r.amount)) for r in rows if r.amount]


def postings_before(conn: Connection, pattern: str, day: date) -> int:
    """How many postings to accounts matching a LIKE pattern are dated before `day`."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(postings)
            .join(entries, entries.c.seq == postings.c.entry_seq)
            .join(accounts, accounts.c.id == postings.c.account_id)
            .where(accounts.c.name.like(pattern), entries.c.effective_date < day)
        ).scalar()
        or 0
    )
