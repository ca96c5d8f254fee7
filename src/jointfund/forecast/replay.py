"""Actual receipts replayed through the forecast's fund rules, with no randomness.

This is where the analyst's half meets the books: fed the filings the fund really booked, the
engine's vectorised rules (share, basis, new-licence and resource eligibility, streams) must give
the same yearly inflows as the ledger, to the cent. Amounts are rounded the way the books round
them: the fund's share half-even in the receipt currency's minor units, then translated at the
receipt's rate and rounded half-even again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.fundrules import ForecastTerms


@dataclass(frozen=True, slots=True)
class Receipt:
    """One state receipt as the engine sees it (amounts in minor units of its currency)."""

    year: int
    stream: str  # engine stream name: royalty, permit_fee, psa_state_share or bonus
    resources: tuple[str, ...]
    new_licence: bool
    gross_minor: int
    costs_minor: int
    reporting_per_unit: float  # reporting-currency minor units per receipt minor unit


def yearly_fund_inflows(terms: ForecastTerms, receipts: Sequence[Receipt]) -> dict[int, int]:
    """Fund inflows per calendar year in reporting-currency minor units."""
    if not receipts:
        return {}
    eligible = np.array(
        [
            r.stream in terms.streams
            and (r.new_licence or not terms.new_only)
            and any(terms.covers(name) for name in r.resources)
            for r in receipts
        ]
    )
    gross = np.array([r.gross_minor for r in receipts], dtype=np.float64)
    costs = np.array([r.costs_minor for r in receipts], dtype=np.float64)
    base = np.maximum(gross - costs, 0.0) if terms.basis == "net" else gross
    # np.rint rounds half to even, as the books do.
    share: NDArray[np.float64] = np.rint(base * terms.fund_share) * eligible
    rate = np.array([r.reporting_per_unit for r in receipts], dtype=np.float64)
    value = np.rint(share * rate)
    years = np.array([r.year for r in receipts])
    return {
        int(y): int(value[years == y].sum()) for y in np.unique(years) if value[years == y].any()
    }
