"""The vectorised Monte Carlo step: one chunk of paths from draws to per-path results."""

from __future__ import annotations

from jointfund.forecast.draws import ChunkDraws, draw_chunk
from jointfund.forecast.fundlayer import ChunkOutput, run_fund
from jointfund.forecast.inflows import deposit_inflows, fx_path
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.prices import price_paths


def simulate_chunk(model: CompiledModel, draws: ChunkDraws) -> ChunkOutput:
    """Prices, FX, licence timelines, territory, receipts and fund rules for one chunk."""
    prices = price_paths(model.prices, model.chol, draws.price, model.priced)
    fx = fx_path(model, draws.fx)
    raw = deposit_inflows(model, draws, prices, fx)
    return run_fund(model, raw, draws)


def run_chunk(
    model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool
) -> ChunkOutput:
    """Draw and simulate paths [start, stop); a pure function, so it can run on any worker."""
    return simulate_chunk(model, draw_chunk(model, entropy, start, stop, antithetic))
