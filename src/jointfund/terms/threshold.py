"""Threshold rules (21 Feb 2025 draft): contributions run until a total that later aid raises.

All functions take cumulative figures the caller derives from the ledger, in minor units of
the reporting currency, and return how much is still owed or still fits.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import Rounding, from_decimal
from jointfund.money.rounding import round_fraction
from jointfund.terms.inflow import InflowDecision
from jointfund.terms.schema import TermSheet, ThresholdRule


def _non_negative(**values: int) -> None:
    """Refuse negative or non-integer cumulative figures."""
    problems = [
        Problem(Message("{name} must be non-negative int minor units", name=name), field=name)
        for name, value in values.items()
        if isinstance(value, bool) or not isinstance(value, int) or value < 0
    ]
    if problems:
        raise InputError(problems)


def _rule(terms: TermSheet) -> ThresholdRule | None:
    """The threshold section, if the term sheet has one."""
    return terms.threshold


def threshold_total_minor(terms: TermSheet, *, later_aid_minor: int) -> int | None:
    """The agreed total after later aid raised it, or None when there is no threshold."""
    rule = _rule(terms)
    if rule is None:
        return None
    _non_negative(later_aid_minor=later_aid_minor)
    base = from_decimal(rule.total, terms.reporting_currency)
    if rule.raised_by_aid_of is None:
        return base
    return base + round_fraction(later_aid_minor * Fraction(rule.raise_factor), Rounding.HALF_EVEN)


def headroom_minor(terms: TermSheet, *, contributed_minor: int, later_aid_minor: int) -> int | None:
    """How much more the contributor still owes before the total is reached (None: no threshold)."""
    _non_negative(contributed_minor=contributed_minor)
    total = threshold_total_minor(terms, later_aid_minor=later_aid_minor)
    return None if total is None else max(total - contributed_minor, 0)


def apply_threshold(
    terms: TermSheet, decision: InflowDecision, *, contributed_minor: int, later_aid_minor: int
) -> InflowDecision:
    """Cap an inflow at the remaining headroom; the excess stays in the budget.

    Only eligible decisions crediting the threshold's contributor are capped; others pass.
    """
    rule = _rule(terms)
    headroom = headroom_minor(
        terms, contributed_minor=contributed_minor, later_aid_minor=later_aid_minor
    )
    if (
        rule is None
        or headroom is None
        or not decision.eligible
        or decision.credit_partner != rule.contributor
        or decision.fund_minor <= headroom
    ):
        return decision
    return dataclasses.replace(
        decision,
        fund_minor=headroom,
        budget_minor=decision.gross_minor - headroom,
        reason=f"capped at the remaining threshold headroom of {headroom} minor units",
    )


def matching_shortfall_minor(
    terms: TermSheet, *, contributor_minor: int, match_partner_minor: int
) -> int | None:
    """How far the contributor is below `match_multiple` x the match partner's contributions.

    Rounded up: a fractional minor unit still owed is owed. None when no matching rule exists.
    """
    rule = _rule(terms)
    if rule is None or rule.match_multiple is None:
        return None
    _non_negative(contributor_minor=contributor_minor, match_partner_minor=match_partner_minor)
    target = round_fraction(match_partner_minor * Fraction(rule.match_multiple), Rounding.CEILING)
    return max(target - contributor_minor, 0)
