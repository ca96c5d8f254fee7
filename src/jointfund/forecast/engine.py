"""The vectorised Monte Carlo step: one chunk of paths from draws to per-path results."""

from __future__ import annotations

from jointfund.forecast.cycle import credited_inflows, uses_cycle
from jointfund.forecast.draws import Draws, LazyDraws
from jointfund.forecast.fundlayer import ChunkOutput, run_fund
from jointfund.forecast.inflows import (
    BonusCells,
    Timeline,
    deposit_inflows,
    fx_path,
    needs_fx,
    price_columns,
    timelines,
)
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.prices import price_paths
from jointfund.forecast.territory import StateArray, territory_states
from jointfund.forecast.uncertainty import path_params


def simulate_chunk(
    model: CompiledModel,
    draws: Draws,
    states: StateArray | None = None,
    lines: list[Timeline] | None = None,
) -> ChunkOutput:
    """Territory, licence timelines (no licence while occupied), prices (only where needed), FX,
    receipts, the contribution cycle (transfer lag, FX at transfer) and fund rules. `states` and
    `lines`: the territory paths and the new components' timelines when the caller already has
    them for these draws (read, never written; a sensitivity design shares them between rows)."""
    if states is None:
        states = territory_states(model, draws)
    if lines is None:
        lines = timelines(model, draws, states)
    columns = price_columns(model, lines, draws.n)
    drawn = path_params(model, draws)  # None unless parameter uncertainty is drawn
    prices = price_paths(model.prices, model.chol, draws.price, model.priced, columns, drawn)
    fx = fx_path(model, draws.fx) if needs_fx(model) else None
    bonuses: list[BonusCells] = []
    raw = deposit_inflows(model, lines, prices, columns, fx, states, bonuses)
    if model.first_share != 1.0:  # the booked part of year 0 is in the books' accruals
        raw[0] *= model.first_share
    credited = credited_inflows(model, raw, fx, bonuses) if uses_cycle(model) else None
    return run_fund(model, raw, draws, credited)


def run_chunk(
    model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool
) -> ChunkOutput:
    """Draw and simulate paths [start, stop); a pure function, so it can run on any worker.

    The draws are made as the engine reads them (LazyDraws): the same numbers as draw_chunk.
    """
    return simulate_chunk(model, LazyDraws(model, entropy, start, stop, antithetic))
