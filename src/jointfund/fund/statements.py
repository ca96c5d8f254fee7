"""ILPA-style capital account statement for one partner and one quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from jointfund.dates import quarter_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund.position import FX_STALE_DAYS, Position, compute_position
from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.i18n.message import Message
from jointfund.ledger.capital import CapitalAccount
from jointfund.reports.performance import Performance
from jointfund.store import Database


@dataclass(frozen=True, slots=True)
class Quarter:
    """A calendar quarter: its label and first and last days."""

    label: str
    start: date
    end: date


def parse_quarter(text: str) -> Quarter:
    """`2026Q1` (or `2026-Q1`) as its first and last days."""
    found, reason = quarter_or_reason(text.strip())
    if found is None:
        raise InputError([Problem(reason, field="quarter", expected=Message("2026Q1 (1991–2100)"))])
    year, q = found
    start = date(year, 3 * q - 2, 1)
    after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Quarter(f"{year}Q{q}", start, after - timedelta(days=1))


def last_completed_quarter(today: date) -> str:
    """The label of the last quarter that has ended before `today` (2026-12-06 -> 2026Q3)."""
    q = (today.month - 1) // 3  # quarters of this year already ended
    return f"{today.year}Q{q}" if q else f"{today.year - 1}Q4"


def default_partner(actor: User, partners: tuple[str, ...] | list[str]) -> str:
    """The partner a statement opens on: a board manager's own, else the first."""
    if actor.partner is not None and actor.partner in partners:
        return actor.partner
    return partners[0]


@dataclass(frozen=True, slots=True)
class CapitalStatement:
    """A partner's capital roll-forward over a quarter, read from the positions at its ends.

    Opening + cash contributions + in kind + inflows credited + income + unrealised change
    − distributions = closing; the share of NAV differs from closing capital by the partner's
    part of the bridge (translation, results not yet allocated, in-kind aid held outside).
    """

    partner: str
    quarter: Quarter
    opening: int
    cash_contributions: int
    in_kind: int
    inflows: int
    income: int
    unrealised: int
    distributions: int
    closing: int
    ownership: Fraction
    nav_share: int
    performance: Performance
    warnings: tuple[str, ...]
    complete: bool

    @property
    def contributions(self) -> int:
        """Every contribution of the quarter: cash, in kind and inflows credited."""
        return self.cash_contributions + self.in_kind + self.inflows

    def rows(self) -> list[tuple[str, int]]:
        """The statement's lines in reading order, amounts in USD minor units."""
        return [
            ("Opening capital", self.opening),
            ("Contributions", self.contributions),
            ("of which cash", self.cash_contributions),
            ("of which in kind", self.in_kind),
            ("of which inflows credited", self.inflows),
            ("Allocated income and realised gains", self.income),
            ("Change in unrealised value", self.unrealised),
            ("Distributions", -self.distributions),
            ("Closing capital", self.closing),
        ]

    def movements(self) -> int:
        """Every movement of the quarter (the lines between opening and closing)."""
        return self.contributions + self.income + self.unrealised - self.distributions


def statement_from(
    partner: str, period: Quarter, before: Position, after: Position
) -> CapitalStatement:
    """A partner's statement from the positions on the day before the quarter and its last day."""
    b, a = before.partners.get(partner), after.partners[partner]
    opening = b.capital if b else CapitalAccount(partner, 0, 0, 0, 0, Fraction(0))
    return CapitalStatement(
        partner=partner,
        quarter=period,
        opening=opening.closing,
        cash_contributions=a.cash_contributions - (b.cash_contributions if b else 0),
        in_kind=a.in_kind - (b.in_kind if b else 0),
        inflows=a.inflows - (b.inflows if b else 0),
        income=a.capital.income - opening.income,
        unrealised=a.capital.unrealised - opening.unrealised,
        distributions=a.capital.distributions - opening.distributions,
        closing=a.closing,
        ownership=a.share,
        nav_share=a.nav_share,
        performance=a.performance,
        warnings=after.warnings,
        complete=after.nav.complete,
    )


def capital_statement(
    db: Database,
    actor: User,
    partner: str,
    quarter: str,
    *,
    stale_after_days: int = FX_STALE_DAYS,
) -> CapitalStatement:
    """A partner's capital account movements over a quarter, with ownership and performance."""
    require(actor, "statements.read")
    period = parse_quarter(quarter)
    with db.read() as conn:
        partners = terms_in_force(conn, period.end).partner_ids
        if partner not in partners:
            choices = ", ".join(partners)
            raise InputError(
                [
                    Problem(
                        Message("unknown partner {partner!r}", partner=partner),
                        field="partner",
                        expected=choices,
                    )
                ]
            )
        before = compute_position(
            conn, partners, period.start - timedelta(days=1), stale_after_days=stale_after_days
        )
        after = compute_position(conn, partners, period.end, stale_after_days=stale_after_days)
    return statement_from(partner, period, before, after)
