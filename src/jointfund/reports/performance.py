"""Fund performance for owners: IRR (XIRR), TVPI, DPI and RVPI from dated capital flows and NAV.

The one implementation: `fund.position` feeds it the partners' flows and the statements, the
overview, `metrics` and recoupment read its result. A flow is either paid in (a contribution,
negative; a correction of one is a positive flow of the same kind and lowers paid-in) or a
distribution (positive; a reversal lowers it). Nothing else is a flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from pyxirr import InvalidPaymentsError, xirr

from jointfund.reports.statement_data import PartnerFlow


@dataclass(frozen=True, slots=True)
class Performance:
    """Since-inception performance at a date; ratios are exact and None while nothing was paid
    in; IRR is a float (an estimate by nature) or None when it has no solution."""

    as_of: date
    paid_in: int
    distributed: int
    nav: int
    irr: float | None
    tvpi: Fraction | None
    dpi: Fraction | None
    rvpi: Fraction | None


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator > 0 else None


def performance(flows: Sequence[PartnerFlow], nav: int, as_of: date) -> Performance:
    """Metrics from the owners' point of view: flows to `as_of`, remaining value = NAV."""
    upto = [f for f in flows if f.on <= as_of]
    paid_in = -sum(f.amount for f in upto if f.kind == "paid_in")
    distributed = sum(f.amount for f in upto if f.kind == "distribution")
    irr: float | None = None
    if paid_in > 0:
        dates = [f.on for f in upto] + [as_of]
        amounts = [f.amount / 100 for f in upto] + [nav / 100]
        try:
            found = xirr(dates, amounts)
        except (InvalidPaymentsError, ValueError):
            found = None
        irr = float(found) if found is not None else None
    return Performance(
        as_of=as_of,
        paid_in=paid_in,
        distributed=distributed,
        nav=nav,
        irr=irr,
        tvpi=_ratio(distributed + nav, paid_in),
        dpi=_ratio(distributed, paid_in),
        rvpi=_ratio(nav, paid_in),
    )
