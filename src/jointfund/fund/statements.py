"""ILPA-style capital account statement for one partner and one quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from jointfund.dates import quarter_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund.metrics import Performance, compute_metrics
from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.ledger.capital import CapitalAccount
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
        raise InputError([Problem(reason, field="quarter", expected="2026Q1 (1991–2100)")])
    year, q = found
    start = date(year, 3 * q - 2, 1)
    after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Quarter(f"{year}Q{q}", start, after - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class CapitalStatement:
    """Opening + contributions + income + unrealised change − distributions = closing."""

    partner: str
    quarter: Quarter
    opening: int
    contributions: int
    income: int
    unrealised: int
    distributions: int
    closing: int
    ownership: Fraction
    nav_share: int
    performance: Performance

    def rows(self) -> list[tuple[str, int]]:
        """The statement's lines in reading order, amounts in USD minor units."""
        return [
            ("Opening capital", self.opening),
            ("Contributions", self.contributions),
            ("Allocated income and realised gains", self.income),
            ("Change in unrealised value", self.unrealised),
            ("Distributions", -self.distributions),
            ("Closing capital", self.closing),
        ]


def _delta(after: CapitalAccount, before: CapitalAccount, field: str) -> int:
    return int(getattr(after, field)) - int(getattr(before, field))


def capital_statement(db: Database, actor: User, partner: str, quarter: str) -> CapitalStatement:
    """A partner's capital account movements over a quarter, with ownership and performance."""
    require(actor, "statements.read")
    period = parse_quarter(quarter)
    with db.read() as conn:
        partners = terms_in_force(conn, period.end).partner_ids
        if partner not in partners:
            raise InputError(
                [
                    Problem(
                        f"unknown partner {partner!r}",
                        field="partner",
                        expected=", ".join(partners),
                    )
                ]
            )
        before = compute_metrics(conn, partners, period.start - timedelta(days=1))
        after = compute_metrics(conn, partners, period.end)
    opening, closing = before.capital.accounts[partner], after.capital.accounts[partner]
    return CapitalStatement(
        partner=partner,
        quarter=period,
        opening=opening.closing,
        contributions=_delta(closing, opening, "contributions"),
        income=_delta(closing, opening, "income"),
        unrealised=_delta(closing, opening, "unrealised"),
        distributions=_delta(closing, opening, "distributions"),
        closing=closing.closing,
        ownership=closing.share,
        nav_share=after.partner_nav[partner],
        performance=after.partners[partner],
    )
