"""The contribution cycle on paths: a year's receipts reach the fund by the transfer deadline.

Receipts accrue in the year they are paid (`raw`, valued at that year's rate); the term sheet's
cycle transfers them `transfer_lag_years` later, and with FX at transfer their hryvnia amount is
valued at the transfer year's rate: raw[t] * fx[t] / fx[t + lag]. A dollar PSA bonus keeps its
amount. Accruals the books hold on the as-of day arrive in their own transfer years.
"""

from __future__ import annotations

import numpy as np

from jointfund.forecast.inflows import BonusCells
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.streams import FloatArray


def uses_cycle(model: CompiledModel) -> bool:
    """True when credited inflows differ from receipts (a lag, or accruals from the books)."""
    return model.terms.transfer_lag_years > 0 or (
        model.start is not None and bool(model.start.arrivals_uah or model.start.arrivals_usd)
    )


def credited_inflows(
    model: CompiledModel, raw: FloatArray, fx: FloatArray | None, bonuses: list[BonusCells]
) -> FloatArray:
    """What the transfers credit, (years, n): receipts moved to their transfer year and revalued
    at its rate, plus the books' untransferred accruals."""
    years = raw.shape[0]
    lag = min(model.terms.transfer_lag_years, years)
    out = np.empty_like(raw)
    out[:lag] = 0.0
    moved, paid = out[lag:], raw[: years - lag]
    if lag > 0 and model.terms.fx_at_transfer and fx is not None:
        np.multiply(paid, fx[: years - lag], out=moved)  # back to hryvnias ...
        moved /= fx[lag:]  # ... and into dollars at the transfer year's rate
        for cells in bonuses:  # dollars: undo the revaluation
            keep = cells.at + lag < years
            cols, at = cells.cols[keep], cells.at[keep]
            out[at + lag, cols] += cells.amount * (1.0 - fx[at, cols] / fx[at + lag, cols])
    else:
        moved[...] = paid
    start = model.start
    if start is not None:
        for k, amount in enumerate(start.arrivals_uah[:years]):
            if amount:
                assert fx is not None  # needs_fx holds when hryvnia accruals start the paths
                out[k] += amount / fx[k]
        for k, amount in enumerate(start.arrivals_usd[:years]):
            out[k] += amount
    return out
