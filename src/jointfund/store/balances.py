"""Balances as of any date: the materialised totals now, day totals summed for a date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select

from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.accounts import SUBTREE, subtree_params
from jointfund.store.tables.ledger import (
    accounts,
    balances,
    day_totals,
)


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One account's balance in minor units (debit-positive)."""

    account: str
    currency: str
    amount: int
    partner: str | None = None


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
        stmt = stmt.where(SUBTREE)
    return stmt.order_by(accounts.c.name)


def balances_as_of(
    conn: Connection, as_of: date | None = None, root: str | None = None
) -> list[BalanceRow]:
    """Balances of every account (or of a subtree), now or at the end of `as_of`.

    Now reads the materialised `balances`; a date sums `day_totals` up to it.
    """
    params: dict[str, Any] = subtree_params(root) if root else {}
    if as_of is not None:
        params["as_of"] = as_of
    rows = conn.execute(_balances_statement(as_of is not None, bool(root)), params)
    return [BalanceRow(r.name, r.currency, int(r.amount), r.partner) for r in rows if r.amount]


def balance(conn: Connection, account: str, as_of: date | None = None) -> int:
    """One account's balance (0 when it has none), in minor units."""
    row = conn.execute(select(accounts.c.id).where(accounts.c.name == account)).first()
    if row is None:
        raise NotFoundError(Message("no account {account}", account=account))
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
