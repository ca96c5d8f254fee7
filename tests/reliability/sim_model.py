"""The fund's rules written again, small and independently of jointfund, for the simulation.

Filings: half of a new licence's USD gross to the fund, credited to UA's capital; a later
version replaces the one before; a repeat of a stored version is a no-op; anything else
received on or before the closed day is refused; a file with any bad line books nothing.
Contributions: US or UA cash, on or after entry into force, after the closed day;
idempotent by partner and reference. FX: one rate per day. Proposals: the agreement needs all
six managers for an investment and refuses every distribution (ten-year lock); the framework
needs a manager of each partner and pays a distribution pro rata to capital, if cash allows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .crash_fund import AGREEMENT, NEW_LICENCE, OLD_LICENCE, Filing

ENTRY_INTO_FORCE = date(2025, 5, 23)
PARTNERS = ("US", "UA")


def received_on(f: Filing) -> date:
    """The day a generated filing says it was received (the 15th of the next month)."""
    month = f.month + 1
    return date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 15)


@dataclass
class Proposal:
    """A proposal as the model sees it."""

    kind: str
    amount: int
    status: str = "open"
    votes: set[str] = field(default_factory=set)


@dataclass
class Model:
    """Balances, capital and proposal states the fund must show after every step."""

    terms: str
    cash: int = 0
    contributed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTNERS, 0))
    distributed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTNERS, 0))
    filings: dict[str, tuple[int, Filing]] = field(default_factory=dict)
    versions: dict[str, dict[int, Filing]] = field(default_factory=dict)
    contributions: dict[tuple[str, str], tuple[int, date]] = field(default_factory=dict)
    rates: dict[date, Decimal] = field(default_factory=dict)
    closed: date | None = None
    proposals: dict[int, Proposal] = field(default_factory=dict)

    @property
    def locked(self) -> bool:
        """Distributions are refused under the agreement's ten-year lock."""
        return self.terms == AGREEMENT

    def capital(self, partner: str) -> int:
        """A partner's capital: contributions (UA's include the inflows) less distributions."""
        return self.contributed[partner] - self.distributed[partner]

    def import_filings(self, batch: list[Filing]) -> bool:
        """Apply a filings file; False (and nothing applied) when the fund must refuse it."""
        trial = copy.deepcopy(self)
        for f in batch:
            if not trial._filing(f, self.versions.get(f.reference, {})):
                return False
        if trial.cash < 0:
            return False
        self.cash, self.filings = trial.cash, trial.filings
        self.contributed, self.versions = trial.contributed, trial.versions
        return True

    def _filing(self, f: Filing, stored_before: dict[int, Filing]) -> bool:
        if f.licence not in (NEW_LICENCE, OLD_LICENCE):
            return False
        if f.version in stored_before:
            # Re-importing any stored version is a no-op when it is the same filing.
            return stored_before[f.version] == f
        stored = self.filings.get(f.reference)
        if self.closed is not None and received_on(f) <= self.closed:
            return False
        if stored is None and f.version != 1:
            return False
        if stored is not None and f.version <= stored[0]:
            return False
        old = stored[1].fund_minor() if stored is not None else 0
        self.cash += f.fund_minor() - old
        self.contributed["UA"] += f.fund_minor() - old
        self.filings[f.reference] = (f.version, f)
        self.versions.setdefault(f.reference, {})[f.version] = f
        return True

    def contribute(self, partner: str, amount: int, on: date, reference: str) -> bool:
        """Record cash from a partner; False when the fund must refuse it."""
        known = self.contributions.get((partner, reference))
        if known is not None:
            return known == (amount, on)
        if partner not in PARTNERS or amount <= 0 or on < ENTRY_INTO_FORCE:
            return False
        if self.closed is not None and on <= self.closed:
            return False
        self.contributions[(partner, reference)] = (amount, on)
        self.cash += amount
        self.contributed[partner] += amount
        return True

    def fx_rate(self, on: date, rate: Decimal) -> bool:
        """Store a USD/UAH rate; another rate for a stored day is refused."""
        if on in self.rates:
            return self.rates[on] == rate
        self.rates[on] = rate
        return True

    def close(self, through: date) -> bool:
        """Close the books through a day; not backwards."""
        if self.closed is not None and through <= self.closed:
            return False
        self.closed = through
        return True

    def propose_ok(self, kind: str, amount: int) -> bool:
        """Whether a proposal is accepted when made."""
        if kind == "distribution":
            return not self.locked and 0 < amount <= self.cash
        return True

    def completes(self, proposal: Proposal, voters: set[str]) -> bool:
        """Whether these votes satisfy the rule for the proposal's kind."""
        if self.terms == AGREEMENT:
            return len(voters) == 6
        return {v.split("-")[0] for v in voters} == {"us", "ua"}

    def exact_split(self, amount: int) -> dict[str, Decimal]:
        """Each partner's exact pro-rata share of `amount` (before rounding to minor units)."""
        capital = {p: max(self.capital(p), 0) for p in PARTNERS}
        total = sum(capital.values())
        return {p: Decimal(amount) * capital[p] / total for p in PARTNERS}
