"""All random numbers one chunk of paths consumes, drawn from the per-source streams."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jointfund.forecast.model import CompiledModel
from jointfund.forecast.streams import DrawSpec, FloatArray, draw_range

DEPOSIT_UNIFORMS = 4  # licensed?, licence year, failure?, development years


@dataclass(frozen=True, slots=True)
class ChunkDraws:
    """Draws for paths [start, stop); the path axis is last everywhere.

    price: per commodity (sorted order) an array (years, factors, n) of independent normals;
        empty for commodities the model neither prices nor correlates with a priced one.
    new_u / new_z: per new component (DEPOSIT_UNIFORMS, n) uniforms and (1, n) normals.
    territory: per territory unit (years, n) float32 uniforms (row 0 unused: the start state is
        known); compared with thresholds only, see inflows.territory_states.
    fx, fund: (years, n) normals.  contrib: per random contribution (u, z), each
        (window years, n) over model.window(item).
    """

    start: int
    stop: int
    price: tuple[FloatArray, ...]
    new_u: tuple[FloatArray, ...]
    new_z: tuple[FloatArray, ...]
    territory: tuple[FloatArray, ...]
    fx: FloatArray
    fund: FloatArray
    contrib: dict[str, tuple[FloatArray, FloatArray]]

    @property
    def n(self) -> int:
        """Number of paths."""
        return self.stop - self.start


def source_ids(model: CompiledModel) -> list[str]:
    """Every random source id this model draws from (for the manifest)."""
    ids = [f"price:{p.name}" for c, p in enumerate(model.prices) if c in model.drawn]
    ids += [f"deposit:{c.deposit_id}" for c in model.new]
    ids += [f"territory:{u.deposit_id}" for u in model.units]
    ids += ["fx", "fund-return"]
    ids += [f"contribution:{c.id}" for c in model.contributions if c.fixed is None]
    return ids


def draw_chunk(
    model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool = False
) -> ChunkDraws:
    """Draw every random number for paths [start, stop) of this model."""
    y = model.years

    def get(source: str, *specs: DrawSpec, f32: bool = False) -> list[FloatArray]:
        return draw_range(entropy, source, specs, start, stop, antithetic, f32)

    drawn = model.drawn
    price = tuple(
        get(f"price:{p.name}", DrawSpec("normal", (y, p.factors)))[0]
        if c in drawn
        else np.empty((0, p.factors, 0))
        for c, p in enumerate(model.prices)
    )
    new_u, new_z = [], []
    for c in model.new:
        u, z = get(
            f"deposit:{c.deposit_id}",
            DrawSpec("uniform", (DEPOSIT_UNIFORMS,)),
            DrawSpec("normal", (1,)),
        )
        new_u.append(u)
        new_z.append(z)
    territory = tuple(
        get(f"territory:{u.deposit_id}", DrawSpec("uniform", (y,)), f32=True)[0]
        for u in model.units
    )
    fx = get("fx", DrawSpec("normal", (y,)))[0]
    fund = get("fund-return", DrawSpec("normal", (y,)))[0]
    contrib: dict[str, tuple[FloatArray, FloatArray]] = {}
    for item in model.contributions:
        if item.fixed is None:
            first, last = model.window(item)
            rows = last - first
            cu, cz = get(
                f"contribution:{item.id}", DrawSpec("uniform", (rows,)), DrawSpec("normal", (rows,))
            )
            contrib[item.id] = (cu, cz)
    return ChunkDraws(start, stop, price, tuple(new_u), tuple(new_z), territory, fx, fund, contrib)
