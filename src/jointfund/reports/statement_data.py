"""What the quarterly fund statement is built from: balances, capital, flows, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from jointfund.ledger.capital import CapitalAccount
from jointfund.reports.ledger_exports import BalanceLine
from jointfund.reports.periods import Period

if TYPE_CHECKING:
    from jointfund.reports.performance import Performance

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

    Kind `paid_in`: a contribution (negative) or a correction of one (positive, lowers paid-in);
    kind `distribution`: paid out (positive) or a reversal of one (negative).
    """

    on: date
    partner: str
    amount: int
    kind: str = "paid_in"
    entry_kind: str = ""


@dataclass(frozen=True, slots=True)
class TranslatedLine:
    """An asset or liability balance on a day, in its currency and in the reporting currency.

    `usd` is None when no rate at all is known on or before the day (the NAV is then
    incomplete); `status` is `base` (already USD), `current`, `stale` (the latest rate is older
    than the limit) or `missing`.
    """

    account: str
    currency: str
    amount: int
    usd: int | None
    rate: Decimal | None
    rate_date: date | None
    status: str


@dataclass(frozen=True, slots=True)
class StatementInput:
    """Everything the quarterly statement needs, gathered from the books by `fund`.

    NAV lines (translated, with their rates), capital, performance and the bridge from capital
    to NAV come from the fund's position at each end of the period: the statement recomputes
    none of them. `warnings` name stale or missing rates; `complete` is False when a balance
    has no rate at all (the title then says the NAV is incomplete). `restated` lists the
    differences from the statement issued before, when this one replaces it.
    """

    fund_name: str
    terms_id: str
    period: Period
    reporting_currency: str
    opening: tuple[BalanceLine, ...]
    closing: tuple[BalanceLine, ...]
    nav_opening: tuple[TranslatedLine, ...]
    nav_closing: tuple[TranslatedLine, ...]
    capital_opening: tuple[CapitalPosition, ...]
    capital_closing: tuple[CapitalPosition, ...]
    capital_to_nav: tuple[tuple[str, int], ...]
    investments: tuple[InvestmentFacts, ...]
    cash_moves: tuple[CashMove, ...]
    performance: Performance
    partner_performance: tuple[tuple[str, Performance], ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True
    known_at: str | None = None
    restated: tuple[str, ...] = ()
    fund_name_uk: str = ""  # the term sheet's Ukrainian title, for a report in Ukrainian
