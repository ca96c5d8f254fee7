"""Capital accounts and ownership shares per partner, as of any date, derived from the journal.

A partner's share is contribution-weighted: its contributed capital over all contributed
capital. Fund income, gains and expenses are allocated entry by entry at the shares in force
on the entry's date (every minor unit given out by largest remainder), so each capital account
is opening + contributions + income + unrealised change − distributions at every date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import groupby

from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.ledger import chart
from jointfund.ledger.capital import CapitalAccount
from jointfund.money import allocate
from jointfund.store import Database, Tx
from jointfund.store.journal import JournalLine, journal_lines

_UNREALISED = chart.investment_income("unrealised")
PREFIXES = ("Equity:Capital", "Income", "Expenses")


@dataclass(frozen=True, slots=True)
class CapitalTable:
    """Every partner's capital account on one date, plus fund results no one could take yet."""

    as_of: date | None
    accounts: Mapping[str, CapitalAccount]
    unallocated: int = 0


def shares_of(contributed: Mapping[str, int]) -> dict[str, Fraction]:
    """Ownership from contributed capital; all zero while nobody has contributed."""
    total = sum(contributed.values())
    return {p: Fraction(v, total) if total else Fraction(0) for p, v in contributed.items()}


def _partner_of(account: str, partners: Sequence[str], leaf: str) -> str | None:
    for partner in partners:
        if account == (chart.capital_root(partner) + ":" + leaf):
            return partner
    return None


def compute_capital(
    lines: Iterable[JournalLine], partners: Sequence[str], as_of: date | None = None
) -> CapitalTable:
    """Capital accounts from journal lines (Equity:Capital, Income, Expenses), in date order."""
    contributed: dict[str, int] = dict.fromkeys(partners, 0)
    income: dict[str, int] = dict.fromkeys(partners, 0)
    unrealised: dict[str, int] = dict.fromkeys(partners, 0)
    paid: dict[str, int] = dict.fromkeys(partners, 0)
    unallocated = 0
    for _day, group in groupby(lines, key=lambda line: line.effective_date):
        results: list[JournalLine] = []
        # Contributions dated the same day as a result count before it, whatever the order.
        for line in group:
            if line.currency != chart.REPORTING_CURRENCY:
                continue
            if line.account.startswith(("Income:", "Expenses:")):
                results.append(line)
            elif (p := _partner_of(line.account, partners, "Contributions")) or (
                p := next((q for q in partners if line.account == chart.capital_root(q)), None)
            ):
                contributed[p] -= line.amount
            elif p := _partner_of(line.account, partners, "Income"):
                income[p] -= line.amount
            elif p := _partner_of(line.account, partners, "Distributions"):
                paid[p] += line.amount
        weights = [max(contributed[p], 0) for p in partners]
        for line in results:
            if not any(weights):
                unallocated -= line.amount
                continue
            parts = allocate(-line.amount, weights)
            bucket = unrealised if line.account == _UNREALISED else income
            for partner, part in zip(partners, parts, strict=True):
                bucket[partner] += part
    shares = shares_of(contributed)
    accounts = {
        p: CapitalAccount(p, contributed[p], income[p], unrealised[p], paid[p], shares[p])
        for p in partners
    }
    return CapitalTable(as_of, accounts, unallocated)


def capital_table(conn: Tx, partners: Sequence[str], as_of: date | None = None) -> CapitalTable:
    """Every partner's capital account on `as_of` (end of day), or now."""
    return compute_capital(journal_lines(conn, PREFIXES, as_of), partners, as_of)


def ownership(conn: Tx, partners: Sequence[str], as_of: date | None = None) -> dict[str, Fraction]:
    """Each partner's ownership share on `as_of`, as exact fractions summing to 1 (or all 0)."""
    return {p: a.share for p, a in capital_table(conn, partners, as_of).accounts.items()}


def booked_contributions(table: CapitalTable) -> dict[str, int]:
    """Contributed capital per partner in a capital table."""
    return {p: a.contributions for p, a in table.accounts.items()}


def capital_accounts(db: Database, actor: User, *, as_of: date | None = None) -> CapitalTable:
    """Every partner's capital account and share on `as_of` (or now)."""
    require(actor, "capital.read")
    with db.read() as conn:
        return capital_table(conn, terms_in_force(conn, as_of).partner_ids, as_of)
