"""The trial balance and the balance sheet as of the end of any day, in exact minor units.

Both read the balances as of the day (`books.balances`); each currency is its own ledger, so
debits equal credits per currency, and assets equal liabilities plus equity plus the
period's result per currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jointfund.fund import books
from jointfund.governance import User
from jointfund.ledger import AccountType, account_type, natural_sign
from jointfund.store import Database

__all__ = ["SECTIONS", "BalanceSheet", "SheetLine", "TrialBalance", "TrialLine", "balance_sheet",
           "trial_balance"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrialLine:
    """One account's balance as a debit or a credit (one of the two is zero)."""

    account: str
    currency: str
    debit: int
    credit: int


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """Every account with a balance at the end of `as_of`, and the totals per currency."""

    as_of: date | None
    lines: list[TrialLine]
    debits: dict[str, int]
    credits: dict[str, int]

    @property
    def balanced(self) -> bool:
        """Whether debits equal credits in every currency."""
        return all(self.debits[c] == self.credits.get(c, 0) for c in self.debits) and set(
            self.debits
        ) >= set(self.credits)


def trial_balance(db: Database, actor: User, *, as_of: date | None = None) -> TrialBalance:
    """The trial balance at the end of `as_of` (now when None)."""
    lines: list[TrialLine] = []
    debits: dict[str, int] = {}
    credits: dict[str, int] = {}
    for row in books.balances(db, actor, as_of=as_of):
        debit, credit = max(row.amount, 0), max(-row.amount, 0)
        lines.append(TrialLine(row.account, row.currency, debit, credit))
        debits[row.currency] = debits.get(row.currency, 0) + debit
        credits[row.currency] = credits.get(row.currency, 0) + credit
    return TrialBalance(as_of, lines, debits, credits)


SECTIONS = (AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY)
"""The balance sheet's sections; income less expenses shows as the result within equity."""


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One account on the balance sheet in its natural sign (a liability's credit is +)."""

    account: str
    currency: str
    amount: int


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    """Assets, liabilities and equity per currency at the end of `as_of`, and the result
    (income less expenses) not yet closed to equity."""

    as_of: date | None
    sections: dict[AccountType, list[SheetLine]]
    totals: dict[AccountType, dict[str, int]]
    result: dict[str, int]

    def currencies(self) -> list[str]:
        """Every currency on the sheet, sorted."""
        found = {c for per in self.totals.values() for c in per} | set(self.result)
        return sorted(found)

    def balanced(self, currency: str) -> bool:
        """Whether assets equal liabilities, equity and the result in `currency`."""
        t = {k: v.get(currency, 0) for k, v in self.totals.items()}
        other = t[AccountType.LIABILITY] + t[AccountType.EQUITY] + self.result.get(currency, 0)
        return t[AccountType.ASSET] == other


def balance_sheet(db: Database, actor: User, *, as_of: date | None = None) -> BalanceSheet:
    """The balance sheet at the end of `as_of` (now when None)."""
    sections: dict[AccountType, list[SheetLine]] = {kind: [] for kind in SECTIONS}
    totals: dict[AccountType, dict[str, int]] = {kind: {} for kind in SECTIONS}
    result: dict[str, int] = {}
    for row in books.balances(db, actor, as_of=as_of):
        kind = account_type(row.account)
        if kind in SECTIONS:
            amount = row.amount * natural_sign(kind)
            sections[kind].append(SheetLine(row.account, row.currency, amount))
            totals[kind][row.currency] = totals[kind].get(row.currency, 0) + amount
        else:  # income is a credit, expenses a debit: the result is their difference
            result[row.currency] = result.get(row.currency, 0) - row.amount
    return BalanceSheet(as_of, sections, totals, result)
