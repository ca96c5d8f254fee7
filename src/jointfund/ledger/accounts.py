"""Accounts: hierarchical names, the five types, and the sign each type's balance carries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AccountType(StrEnum):
    """The five account types of double-entry bookkeeping."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


ROOTS: dict[str, AccountType] = {
    "Assets": AccountType.ASSET,
    "Liabilities": AccountType.LIABILITY,
    "Equity": AccountType.EQUITY,
    "Income": AccountType.INCOME,
    "Expenses": AccountType.EXPENSE,
}

_COMPONENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Account:
    """An account; `non_negative` refuses postings that would take it below zero."""

    name: str
    currency: str
    opened_on: date
    partner: str | None = None
    non_negative: bool = False
    closed_on: date | None = None

    @property
    def type(self) -> AccountType:
        """The type follows from the root of the name."""
        return account_type(self.name)

    def is_open_on(self, day: date) -> bool:
        """Whether postings dated `day` may go to this account."""
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)


def account_name_problem(name: str) -> str | None:
    """Why `name` is not a valid account name, or None when it is."""
    if not name or len(name) > MAX_NAME_LENGTH:
        return f"account name must be 1 to {MAX_NAME_LENGTH} characters"
    parts = name.split(":")
    if parts[0] not in ROOTS:
        return f"account name must start with one of {', '.join(ROOTS)}"
    if len(parts) < 2:
        return "account name needs at least one component below its root"
    for part in parts[1:]:
        if not _COMPONENT.match(part):
            return (
                f"account name component {part!r} must start with a letter or digit "
                "and hold only letters, digits, '_' and '-'"
            )
    return None


def account_type(name: str) -> AccountType:
    """The type named by the root component."""
    return ROOTS[name.split(":", 1)[0]]


def natural_sign(kind: AccountType) -> int:
    """+1 where a debit balance is normal (assets, expenses), -1 where a credit balance is."""
    return 1 if kind in (AccountType.ASSET, AccountType.EXPENSE) else -1


def in_subtree(name: str, root: str) -> bool:
    """Whether account `name` is `root` or lies below it."""
    return name == root or name.startswith(root + ":")
