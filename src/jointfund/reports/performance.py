"""Fund performance for owners: IRR (XIRR), TVPI, DPI and RVPI from dated capital flows and NAV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pyxirr import InvalidPaymentsError, xirr

from jointfund.reports.statement_data import PartnerFlow

_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Performance:
    """Since-inception performance at a date; ratios are None while nothing was paid in."""

    as_of: date
    paid_in: int
    distributed: int
    nav: int
    irr: float | None
    tvpi: Decimal | None
    dpi: Decimal | None
    rvpi: Decimal | None


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(_PLACES)


def performance(flows: Sequence[PartnerFlow], nav: int, as_of: date) -> Performance:
    """Metrics from the owners' point of view: flows to `as_of`, remaining value = NAV."""
    upto = [f for f in flows if f.on <= as_of]
    paid_in = -sum(f.amount for f in upto if f.amount < 0)
    distributed = sum(f.amount for f in upto if f.amount > 0)
    irr: float | None = None
    if paid_in > 0:
        dates = [f.on for f in upto] + [as_of]
        amounts = [f.amount / 100 for f in upto] + [nav / 100]
        try:
            found = xirr(dates, amounts)
        except InvalidPaymentsError:
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
