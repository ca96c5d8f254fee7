"""Priority return (March 2025 U.S. draft): the senior partner takes income until repaid + rate.

Day count, stated once: interest compounds annually on anniversaries of the accrual start
(default: entry into force). Inside an anniversary year it accrues on the compounding
principal by actual days elapsed over the actual days of that anniversary year, so a whole
year earns exactly the rate, leap year or not. Each accrual call rounds once (half-even by
default); splitting a year into several calls can differ by at most one minor unit per call.
Income pays accrued interest first, then principal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import Rounding
from jointfund.money.rounding import round_fraction
from jointfund.terms.anniversaries import add_years, years_completed
from jointfund.terms.contribution import past_aid_minor
from jointfund.terms.schema import PriorityRule, TermSheet


@dataclass(frozen=True, slots=True)
class SeniorBalance:
    """What the senior partner is owed: compounding principal plus interest not yet compounded."""

    principal_minor: int
    accrued_minor: int
    as_of: date

    @property
    def outstanding_minor(self) -> int:
        """Everything owed: principal plus accrued interest."""
        return self.principal_minor + self.accrued_minor


@dataclass(frozen=True, slots=True)
class PrioritySplit:
    """An income amount split into the senior partner's part and the rest, exactly."""

    senior_minor: int
    rest_minor: int
    interest_paid_minor: int
    principal_paid_minor: int
    balance: SeniorBalance


def _rule(terms: TermSheet) -> PriorityRule:
    """The priority section, or an error saying the term sheet has none."""
    if terms.priority is None:
        raise InputError(
            [Problem(Message("{id} has no priority return", id=terms.id), field="priority")]
        )
    return terms.priority


def accrual_start(terms: TermSheet) -> date:
    """The date interest starts and the anchor of its annual compounding."""
    return _rule(terms).accrues_from or terms.entry_into_force


def opening_balance(terms: TermSheet) -> SeniorBalance:
    """The senior balance on the accrual start: the past aid booked as the initial contribution."""
    return SeniorBalance(past_aid_minor(terms), 0, accrual_start(terms))


def accrue(
    balance: SeniorBalance,
    to: date,
    *,
    rate: Decimal,
    anchor: date,
    rounding: Rounding = Rounding.HALF_EVEN,
) -> SeniorBalance:
    """Accrue `rate` a year from the balance's as_of date to `to`, compounding on anniversaries."""
    if to < balance.as_of:
        raise InputError(
            [
                Problem(
                    Message(
                        "cannot accrue backwards from {as_of} to {to}", as_of=balance.as_of, to=to
                    ),
                    field="to",
                )
            ]
        )
    principal, accrued = balance.principal_minor, balance.accrued_minor
    current = max(balance.as_of, min(anchor, to))
    year = years_completed(anchor, current)
    exact_rate = Fraction(rate)
    while current < to:
        year_start, year_end = add_years(anchor, year), add_years(anchor, year + 1)
        segment_end = min(to, year_end)
        fraction_of_year = Fraction((segment_end - current).days, (year_end - year_start).days)
        accrued += round_fraction(principal * exact_rate * fraction_of_year, rounding)
        current = segment_end
        if current == year_end:
            principal, accrued, year = principal + accrued, 0, year + 1
    return SeniorBalance(principal, accrued, to)


def accrue_senior(terms: TermSheet, balance: SeniorBalance, to: date) -> SeniorBalance:
    """Accrue the term sheet's priority rate on `balance` up to `to`."""
    rule = _rule(terms)
    return accrue(balance, to, rate=rule.rate, anchor=accrual_start(terms), rounding=rule.rounding)


def split_income(balance: SeniorBalance, income_minor: int) -> PrioritySplit:
    """Give income to the senior partner up to what it is owed (interest first); rest is left."""
    if isinstance(income_minor, bool) or not isinstance(income_minor, int) or income_minor < 0:
        raise InputError(
            [Problem(Message("income must be non-negative int minor units"), field="income")]
        )
    senior = min(income_minor, balance.outstanding_minor)
    interest = min(senior, balance.accrued_minor)
    principal = senior - interest
    after = SeniorBalance(
        balance.principal_minor - principal, balance.accrued_minor - interest, balance.as_of
    )
    return PrioritySplit(senior, income_minor - senior, interest, principal, after)
