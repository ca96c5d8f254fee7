"""Rare-event estimation of P(measure >= target) in the final year, for targets plain Monte Carlo
reaches on fewer than RARE_HITS paths: importance sampling from a defensive mixture
(Hesterberg 1995) of the model and of copies whose price or fund-return shocks have a shifted
mean. Each path's weight is the exact ratio of the model's density to the mixture's at the
normals it saw; licence, failure and territory draws are left as they are, so tails that come
from those draws are sampled only as often as plain Monte Carlo samples them (see
docs/forecast-methods.md for the check against plain Monte Carlo).

The proposal runs on its own path indices (far above any run's), so it never reuses the run's
random numbers, and the same seed gives the same estimate.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import ChunkDraws, draw_chunk
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.results import RareEstimate

RARE_HITS = 10
METHOD = "importance sampling (defensive mixture of mean shifts of price and fund-return shocks)"
SHIFTS = (0.3, 0.6, 1.0)  # mean shifts (in s.d.) of one source's yearly shocks per component
DEFENSIVE = 0.1  # weight of the untilted model in the mixture
_OFFSET = 1 << 40  # proposal paths start here: disjoint from any run's [0, paths)
_CHUNK = 8192


def _measures(model: CompiledModel, draws: ChunkDraws) -> NDArray[np.float64]:
    """Final-year (cum_inflow, us_value) per path, (2, n)."""
    out = simulate_chunk(model, draws)
    value = out.dist_us[-1] + out.share_us[-1] * out.nav[-1]
    return np.stack([out.cum_inflow[-1], value]).astype(np.float64)


MEASURE_ROWS = {"cum_inflow": 0, "us_value": 1}


def _tilted(
    draws: ChunkDraws, sources: list[int], theta: NDArray[np.float64]
) -> tuple[ChunkDraws, NDArray[np.float64]]:
    """Draws with shock means shifted by theta (price sources, then fund return; float32 like
    the engine's draws) and, per source and path, the sum of the shifted shocks (K, n).

    Year 0's shocks are never read by the engine, so only years 1.. are shifted."""
    price = list(draws.price)
    sums = np.empty((len(sources) + 1, draws.n))
    for k, c in enumerate(sources):
        arr = price[c].copy()
        arr[1:, 0, :] += np.float32(theta[k])
        price[c] = arr
        sums[k] = arr[1:, 0, :].sum(axis=0, dtype=np.float64)
    fund = draws.fund.copy()
    fund[1:] += np.float32(theta[-1])
    sums[-1] = fund[1:].sum(axis=0, dtype=np.float64)
    return dataclasses.replace(draws, price=tuple(price), fund=fund), sums


def _components(sources: int) -> list[tuple[int, float]]:
    """(source, shift) of every tilted mixture component: each source alone at each shift."""
    return [(k, t) for k in range(sources) for t in SHIFTS]


def estimate(
    model: CompiledModel,
    entropy: int,
    wanted: list[tuple[str, float]],
    *,
    paths: int = 24_000,
) -> list[RareEstimate]:
    """P(measure >= target) in the final year for each (measure, target) in `wanted`, by
    importance sampling from one defensive mixture (one simulation serves every target).

    A measure is "cum_inflow" or "us_value". The proposal mixes the model itself (weight
    DEFENSIVE) with, for every price source and the fund return, the model whose shocks of that
    source have their mean shifted by each of SHIFTS (equal weights); paths are allocated to the
    components in proportion to their weights (stratified). A path's weight is p/q at its
    shocks, exact for the mixture and bounded by 1/DEFENSIVE, so no component can blow the
    variance up. The estimate is the mean of w * 1{hit}, its s.e. the s.d. of w * 1{hit}
    over sqrt(paths) (conservative under stratification).
    """
    sources = sorted(model.drawn)
    names = [f"price:{model.prices[c].name}" for c in sources] + ["fund-return"]
    comps = _components(len(sources) + 1)
    weights = np.asarray([DEFENSIVE] + [(1.0 - DEFENSIVE) / len(comps)] * len(comps))
    counts = np.floor(weights * paths).astype(np.int64)
    counts[0] += paths - counts.sum()
    m = model.years - 1
    ys, sums = [], []
    start = _OFFSET
    for j, count in enumerate(counts):
        theta = np.zeros(len(sources) + 1)
        if j > 0:
            k, t = comps[j - 1]
            theta[k] = t
        for a in range(start, start + int(count), _CHUNK):
            b = min(a + _CHUNK, start + int(count))
            draws, total = _tilted(draw_chunk(model, entropy, a, b), sources, theta)
            ys.append(_measures(model, draws))
            sums.append(total)
        start += int(count)
    y = np.concatenate(ys, axis=1)
    total = np.concatenate(sums, axis=1)  # (sources + 1, paths): sum of the shocks each path saw
    ratio = np.full(y.shape[1], weights[0])  # q / p at each path's shocks
    for j, (k, t) in enumerate(comps, start=1):
        t32 = float(np.float32(t))  # the shift the draws actually received
        ratio += weights[j] * np.exp(t32 * total[k] - 0.5 * m * t32 * t32)
    weight = 1.0 / ratio
    mixture = {"untilted": DEFENSIVE}
    mixture.update({f"{names[k]}+{t}": float(weights[j]) for j, (k, t) in enumerate(comps, 1)})
    out = []
    for measure, target in wanted:
        hit = y[MEASURE_ROWS[measure]] >= target
        values = np.where(hit, weight, 0.0)
        square = float((values**2).sum())
        out.append(
            RareEstimate(
                method=METHOD,
                prob=float(values.mean()),
                se=float(values.std(ddof=1) / math.sqrt(paths)),
                paths=paths,
                hits=int(hit.sum()),
                ess=float(values.sum() ** 2 / square) if square > 0 else 0.0,
                shifts=mixture,
                levels=tuple(float(t) for t in SHIFTS),
            )
        )
    return out
