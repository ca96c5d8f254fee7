"""Recorded receipts replayed through the forecast, with no randomness.

This is where the analyst's half meets the books. `yearly_fund_inflows` applies the forecast's
eligibility rules (share, basis, new-licence and resource eligibility, streams) to recorded
filings: the yearly fund share at the receipts' rates, rounded as the books round (half-even in
the receipt currency's minor units, then translated and rounded again). `replay_through_engine`
then runs those receipts through the engine's own contribution cycle and fund rules
(`credited_inflows`, `run_fund`: the code every simulated path goes through), so the transfers,
capital and NAV it gives can be compared with what the books recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.cycle import credited_inflows
from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.fundlayer import ChunkOutput, run_fund
from jointfund.forecast.fundrules import ForecastTerms
from jointfund.forecast.inflows import BonusCells
from jointfund.forecast.model import CompiledModel


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


def yearly_fund_shares(terms: ForecastTerms, receipts: Sequence[Receipt]) -> dict[int, int]:
    """The fund's share of eligible receipts per year in their own currency's minor units (one
    currency per call: the cycle accrues hryvnias, and dollar bonuses apart)."""
    out: dict[int, int] = {}
    for r in receipts:
        if not (
            r.stream in terms.streams
            and (r.new_licence or not terms.new_only)
            and any(terms.covers(name) for name in r.resources)
        ):
            continue
        base = max(r.gross_minor - r.costs_minor, 0) if terms.basis == "net" else r.gross_minor
        out[r.year] = out.get(r.year, 0) + int(np.rint(base * terms.fund_share))
    return {y: v for y, v in out.items() if v}


def replay_through_engine(
    model: CompiledModel,
    uah: Sequence[float],
    usd: Sequence[float],
    uah_per_usd: Sequence[float],
) -> ChunkOutput:
    """One path of the engine fed recorded receipts: `uah` and `usd` are the fund's share paid
    in each model year (hryvnias, and dollars such as PSA bonuses), `uah_per_usd` each year's
    rate (the transfer day's in a year with a transfer). The receipts go through the engine's
    cycle (lag, FX at transfer) and fund rules with the model's contributions and returns."""
    rate = np.asarray(uah_per_usd, dtype=np.float64)[:, None]
    dollars = np.asarray(usd, dtype=np.float64)[:, None]
    raw = np.asarray(uah, dtype=np.float64)[:, None] / rate + dollars
    bonuses = [
        BonusCells(np.zeros(1, dtype=np.intp), np.array([t], dtype=np.int64), float(v))
        for t, v in enumerate(usd)
        if v
    ]
    credited = credited_inflows(model, raw, rate, bonuses)
    return run_fund(model, raw, draw_chunk(model, 0, 0, 1), credited)
