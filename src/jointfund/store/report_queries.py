"""Read-only queries the reports need beyond the ledger façade: cash by entry and kind, roles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, func, select

from jointfund.store.governance_tables import users
from jointfund.store.schema import accounts, entries, postings

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


def active_users_with_role(conn: Connection, role: str) -> int:
    """How many active users hold a role (e.g. `auditor`)."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(users)
            .where(users.c.role == role, users.c.active.is_(True))
        ).scalar()
        or 0
    )
