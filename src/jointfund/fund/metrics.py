"""Fund and partner performance: NAV, IRR (XIRR), TVPI, DPI, RVPI, and comparison lines.

Cash flows are seen from each partner: contributions paid in (cash, and in kind at the approved
value) are negative, distributions positive, and the partner's share of NAV is the terminal
value. During the reinvestment lock DPI is 0, so TVPI equals RVPI and rests on NAV alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jointfund.fund.capital import CapitalTable
from jointfund.fund.position import FX_STALE_DAYS, Nav, Position, fund_position
from jointfund.governance import User
from jointfund.reports.performance import Performance
from jointfund.store import Database

__all__ = ["TARGETS", "FundMetrics", "Nav", "Performance", "Recoupment", "fund_metrics"]


COMPARISON_LINE = "comparison line, not a debt"


@dataclass(frozen=True, slots=True)
class RecoupmentTarget:
    """A comparison line: a published sum a partner's receipts and value are set against.

    Not a debt: the signed Agreement creates no debt and counts no aid given before it
    (fund-facts-2026.md D9); the lines only say how the fund compares with figures in the
    public debate.
    """

    id: str
    partner: str
    amount_minor: int
    label: str
    source: str
    nature: str = COMPARISON_LINE


# fund-facts.md §5 "U.S. government (USD)": State Department, $66.9 bn of military assistance
# since 24 Feb 2022; §1.1-1.2: the "$500 bn" of the February 2025 draft Ukraine rejected.
TARGETS: tuple[RecoupmentTarget, ...] = (
    RecoupmentTarget(
        "us-military-aid-since-2022",
        "US",
        66_900_000_000_00,
        "Comparison line: U.S. military assistance to Ukraine since 24 Feb 2022 ($66.9 bn, "
        "State Department); past aid the Agreement does not count, not a debt",
        "https://factually.co/fact-checks/military/us-military-aid-to-ukraine-annual-cumulative-2014-2025-bea8e3",
    ),
    RecoupmentTarget(
        "demanded-500bn",
        "US",
        500_000_000_000_00,
        "Comparison line: the $500 bn of the rejected February 2025 draft; not in the signed "
        "Agreement, not a debt",
        "https://www.pravda.com.ua/eng/news/2025/02/24/7499900/",
    ),
)


@dataclass(frozen=True, slots=True)
class Recoupment:
    """How far a partner has got toward a target: in cash received, and counting its NAV share."""

    target: RecoupmentTarget
    received: int
    value: int

    @property
    def received_share(self) -> Fraction:
        """Distributions received over the target."""
        return Fraction(self.received, self.target.amount_minor)

    @property
    def value_share(self) -> Fraction:
        """Distributions plus NAV share over the target."""
        return Fraction(self.value, self.target.amount_minor)


@dataclass(frozen=True, slots=True)
class FundMetrics:
    """Everything `jointfund metrics` reports on one date: the position and recoupment."""

    position: Position
    recoupment: Sequence[Recoupment]

    @property
    def as_of(self) -> date:
        """The date of the position."""
        return self.position.as_of

    @property
    def nav(self) -> Nav:
        """NAV by line."""
        return self.position.nav

    @property
    def capital(self) -> CapitalTable:
        """Every partner's capital account."""
        return self.position.capital

    @property
    def fund(self) -> Performance:
        """The fund's performance."""
        return self.position.fund

    @property
    def partners(self) -> Mapping[str, Performance]:
        """Each partner's performance (its NAV share as the remaining value)."""
        return {p: x.performance for p, x in self.position.partners.items()}

    @property
    def partner_nav(self) -> Mapping[str, int]:
        """Each partner's share of NAV."""
        return self.position.partner_nav

    @property
    def warnings(self) -> tuple[str, ...]:
        """Stale or missing FX rates behind the figures."""
        return self.position.warnings


def recoupment_of(position: Position) -> list[Recoupment]:
    """Progress toward each target from the position's distributions and NAV shares."""
    return [
        Recoupment(
            t,
            position.partners[t.partner].performance.distributed,
            position.partners[t.partner].performance.distributed
            + position.partners[t.partner].nav_share,
        )
        for t in TARGETS
        if t.partner in position.partners
    ]


def fund_metrics(
    db: Database, actor: User, *, as_of: date, stale_after_days: int = FX_STALE_DAYS
) -> FundMetrics:
    """NAV, capital, IRR/TVPI/DPI/RVPI for the fund and each partner, and recoupment, on `as_of`."""
    found = fund_position(db, actor, as_of=as_of, stale_after_days=stale_after_days)
    return FundMetrics(found, recoupment_of(found))
