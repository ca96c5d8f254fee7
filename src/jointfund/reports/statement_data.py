"""What the quarterly fund statement is built from: balances, capital, flows, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jointfund.ledger.capital import CapitalAccount
from jointfund.money import RateTable
from jointfund.reports.ledger_exports import BalanceLine
from jointfund.reports.periods import Period

# The statement shows each partner's capital account as the books keep it.
CapitalPosition = CapitalAccount


@dataclass(frozen=True, slots=True)
class InvestmentFacts:
    """An investment the board committed to (amounts live in the ledger)."""

    id: str
    name: str
    currency: str
    committed: int


@dataclass(frozen=True, slots=True)
class CashMove:
    """Cash moved in one currency by the entries of one kind during the period."""

    kind: str
    currency: str
    amount: int


@dataclass(frozen=True, slots=True)
class PartnerFlow:
    """A dated capital flow between a partner and the fund, in USD minor units.

    Negative: paid in by the partner (contribution); positive: paid out (distribution).
    """

    on: date
    partner: str
    amount: int


@dataclass(frozen=True, slots=True)
class StatementInput:
    """Everything the quarterly statement needs, gathered from the books by `fund`."""

    fund_name: str
    terms_id: str
    period: Period
    reporting_currency: str
    opening: tuple[BalanceLine, ...]
    closing: tuple[BalanceLine, ...]
    rates: RateTable
    capital_opening: tuple[CapitalPosition, ...]
    capital_closing: tuple[CapitalPosition, ...]
    unallocated_opening: int
    unallocated_closing: int
    investments: tuple[InvestmentFacts, ...]
    cash_moves: tuple[CashMove, ...]
    flows: tuple[PartnerFlow, ...]
