"""Accounts as the administrator keeps them: open one, close one with a zero balance."""

from __future__ import annotations

from datetime import date, datetime

from jointfund import store
from jointfund.fund import door
from jointfund.governance import Interface, User
from jointfund.ledger import Account
from jointfund.store import Database


def open_account(
    db: Database,
    actor: User,
    account: Account,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> bool:
    """Open an account (the same attributes again change nothing); True when opened now."""
    with door.act(db, actor, "ledger.post", interface=interface, now=now) as act:
        created = store.accounts.open_account(act.tx, account)
        if not created:
            act.unchanged()
            return False
        act.note(
            "accounts.open",
            f"account:{account.name}",
            {"currency": account.currency, "opened_on": account.opened_on.isoformat()},
        )
    return True


def close_account(
    db: Database,
    actor: User,
    name: str,
    on: date,
    *,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> None:
    """Close an account whose balance is zero, from `on`."""
    with door.act(db, actor, "ledger.post", interface=interface, now=now) as act:
        store.accounts.close_account(act.tx, name, on)
        act.note("accounts.close", f"account:{name}", {"closed_on": on.isoformat()})
