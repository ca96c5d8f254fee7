"""The vectorised Monte Carlo step: one chunk of paths from draws to per-path results."""

from __future__ import annotations

from collections.abc import Callable

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
from jointfund.forecast.prices import Columns, price_paths
from jointfund.forecast.streams import FloatArray
from jointfund.forecast.territory import StateArray, territory_states
from jointfund.forecast.uncertainty import path_params

# the price paths of a model on some draws, for the paths `columns` name (see price_paths)
PriceSource = Callable[[CompiledModel, Draws, Columns], list[FloatArray | None]]
# the UAH/USD paths of a model on some draws, None where no receipt needs them (see model_fx)
FxSource = Callable[[CompiledModel, Draws], FloatArray | None]


def model_prices(model: CompiledModel, draws: Draws, columns: Columns) -> list[FloatArray | None]:
    """Every needed commodity's price paths, from the model's own (or drawn) parameters."""
    drawn = path_params(model, draws)  # None unless parameter uncertainty is drawn
    return price_paths(model.prices, model.chol, draws.price, model.priced, columns, drawn)


def model_fx(model: CompiledModel, draws: Draws) -> FloatArray | None:
    """The hryvnia's path when some receipt or transfer needs it (None otherwise)."""
    return fx_path(model, draws.fx) if needs_fx(model) else None


def receipts(
    model: CompiledModel,
    draws: Draws,
    states: StateArray | None = None,
    lines: list[Timeline] | None = None,
    prices: PriceSource = model_prices,
    fx_of: FxSource = model_fx,
) -> tuple[FloatArray, FloatArray | None]:
    """What the fund receives, (years, n): the receipts, and what the contribution cycle
    credits each year (None: the receipts themselves). Territory, licence timelines (no licence
    while occupied), prices (only where needed), FX, receipts, the transfer lag and FX at
    transfer. `states` and `lines`: as simulate_chunk; `prices` and `fx_of`: where the price
    and FX paths come from (a sensitivity design keeps them between rows that share them)."""
    if states is None:
        states = territory_states(model, draws)
    if lines is None:
        lines = timelines(model, draws, states)
    columns = price_columns(model, lines, draws.n)
    fx = fx_of(model, draws)
    bonuses: list[BonusCells] = []
    raw = deposit_inflows(model, lines, prices(model, draws, columns), columns, fx, states, bonuses)
    if model.first_share != 1.0:  # the booked part of year 0 is in the books' accruals
        raw[0] *= model.first_share
    credited = credited_inflows(model, raw, fx, bonuses) if uses_cycle(model) else None
    return raw, credited


def simulate_chunk(
    model: CompiledModel,
    draws: Draws,
    states: StateArray | None = None,
    lines: list[Timeline] | None = None,
) -> ChunkOutput:
    """The receipts, then the fund rules. `states` and `lines`: the territory paths and the new
    components' timelines when the caller already has them for these draws (read, never
    written)."""
    raw, credited = receipts(model, draws, states, lines)
    return run_fund(model, raw, draws, credited)


def run_chunk(
    model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool
) -> ChunkOutput:
    """Draw and simulate paths [start, stop); a pure function, so it can run on any worker.

    The draws are made as the engine reads them (LazyDraws): the same numbers as draw_chunk.
    """
    return simulate_chunk(model, LazyDraws(model, entropy, start, stop, antithetic))
