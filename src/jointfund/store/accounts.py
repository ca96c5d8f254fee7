"""Opening, closing and reading accounts, and selecting a subtree of them by name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, or_, select

from jointfund.errors import AccountStateError, ConflictError, InputError, NotFoundError, Problem
from jointfund.i18n.message import Message
from jointfund.ledger import Account, Entry, account_name_problem
from jointfund.money import is_currency
from jointfund.store.row_chain import bump_version, chain_inserted
from jointfund.store.tables.ledger import accounts, day_totals
from jointfund.store.tables.ledger import balances as balances_t


def account_from_row(row: Row[Any]) -> Account:
    """Turn an `accounts` row into the domain record."""
    return Account(
        name=row.name,
        currency=row.currency,
        opened_on=row.opened_on,
        partner=row.partner,
        non_negative=bool(row.non_negative),
        closed_on=row.closed_on,
    )


def open_account(conn: Connection, account: Account) -> bool:
    """Open `account`; True when created, False when the same account already exists."""
    problems = []
    if reason := account_name_problem(account.name):
        problems.append(Problem(reason, field="name"))
    if not is_currency(account.currency):
        problems.append(
            Problem(
                Message("unknown currency {currency!r}", currency=account.currency),
                field="currency",
            )
        )
    if problems:
        raise InputError(problems)
    existing = conn.execute(select(accounts).where(accounts.c.name == account.name)).first()
    if existing is not None:
        if account_from_row(existing) != account:
            raise ConflictError(
                Message("account {name} exists with other attributes", name=account.name)
            )
        return False
    key = conn.execute(
        accounts.insert().values(
            name=account.name,
            type=account.type.value,
            currency=account.currency,
            partner=account.partner,
            non_negative=account.non_negative,
            opened_on=account.opened_on,
            closed_on=account.closed_on,
        )
    ).inserted_primary_key
    chain_inserted(conn, accounts, key)
    return True


def close_account(conn: Connection, name: str, on: date) -> None:
    """Close an account whose balance is zero and that has nothing dated after `on`."""
    row = conn.execute(select(accounts).where(accounts.c.name == name)).first()
    if row is None:
        raise NotFoundError(Message("no account {name}", name=name))
    if row.closed_on is not None:
        if row.closed_on == on:
            return
        raise AccountStateError(
            Message("account {name} was closed on {closed_on}", name=name, closed_on=row.closed_on)
        )
    balance = conn.execute(
        select(balances_t.c.amount).where(balances_t.c.account_id == row.id)
    ).scalar()
    if balance:
        raise AccountStateError(
            Message(
                "account {name} has a balance of {balance}; it must be zero",
                name=name,
                balance=balance,
            )
        )
    later = conn.execute(
        select(func.count())
        .select_from(day_totals)
        .where(day_totals.c.account_id == row.id, day_totals.c.day > on)
    ).scalar()
    if later:
        raise AccountStateError(
            Message("account {name} has postings dated after {on}", name=name, on=on)
        )
    bump_version(conn, accounts, accounts.c.id == row.id, closed_on=on)


def list_accounts(conn: Connection) -> list[Account]:
    """Every account, by name."""
    return [account_from_row(r) for r in conn.execute(select(accounts).order_by(accounts.c.name))]


def accounts_by_name(conn: Connection, names: Iterable[str]) -> dict[str, tuple[int, Account]]:
    """Id and record of each named account that exists."""
    wanted = sorted(set(names))
    found: dict[str, tuple[int, Account]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in conn.execute(select(accounts).where(accounts.c.name.in_(chunk))):
            found[row.name] = (row.id, account_from_row(row))
    return found


def account_names(conn: Connection) -> dict[int, str]:
    """Account id to name, for decoding postings."""
    return {r.id: r.name for r in conn.execute(select(accounts.c.id, accounts.c.name))}


def ensure_accounts(conn: Connection, wanted: Iterable[Account]) -> None:
    """Open the accounts that do not exist yet; leave existing ones as they are."""
    wanted = list(wanted)
    known = accounts_by_name(conn, (a.name for a in wanted))
    for account in wanted:
        if account.name not in known:
            open_account(conn, account)


def _partner_in(name: str) -> str | None:
    parts = name.split(":")
    if len(parts) >= 3 and parts[0] == "Equity" and parts[1] in ("Capital", "InKind"):
        return parts[2]
    return None


def open_accounts_for(conn: Connection, batch: Iterable[Entry], opened_on: date) -> None:
    """Open every account `batch` posts to that does not exist yet (cash may not go negative)."""
    wanted: dict[str, Account] = {}
    for entry in batch:
        for posting in entry.postings:
            wanted.setdefault(
                posting.account,
                Account(
                    posting.account,
                    posting.currency,
                    opened_on,
                    partner=_partner_in(posting.account),
                    non_negative=posting.account.startswith("Assets:Cash:"),
                ),
            )
    ensure_accounts(conn, wanted.values())


def subtree_params(root: str) -> dict[str, str]:
    """Bound values for `SUBTREE`: the root itself and the LIKE pattern of its descendants."""
    return {"root": root, "root_like": root.replace("%", r"\%") + ":%"}


SUBTREE = or_(accounts.c.name == bindparam("root"), accounts.c.name.like(bindparam("root_like")))
