"""Vectorised state receipts that flow into the fund: licence timelines, output, royalties, fees."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import ChunkDraws
from jointfund.forecast.model import CompiledModel, Schedule
from jointfund.forecast.streams import FloatArray


def tri_inv(u: FloatArray, a: float, c: float, b: float) -> FloatArray:
    """Inverse CDF of the triangular distribution (min a, mode c, max b)."""
    if b == a:
        return np.full_like(u, a)
    fc = (c - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (c - a))
    right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
    return np.where(u < fc, left, right)


def royalty_per_unit(schedule: Schedule, price: FloatArray) -> FloatArray:
    """Royalty per unit of output at these prices under a tiered schedule."""
    if len(schedule.rates) == 1 and math.isinf(schedule.marginal_above[0]):
        return schedule.rates[0] * price
    idx = np.searchsorted(np.asarray(schedule.bounds[:-1]), price, side="left")
    rate = np.asarray(schedule.rates)[idx]
    above = np.asarray(schedule.marginal_above)[idx]
    mrate = np.asarray(schedule.marginal_rates)[idx]
    finite = np.where(np.isinf(above), price, above)
    out: FloatArray = rate * np.minimum(price, finite) + mrate * np.maximum(price - finite, 0.0)
    return out


def take_arrays(
    model: CompiledModel, prices: list[FloatArray | None]
) -> list[tuple[FloatArray, float]]:
    """Per take: (array, multiplier) whose product is the eligible receipt per unit, (years, n).

    Flat rates return the price array itself with the rate as multiplier, saving a pass.
    """
    out: list[tuple[FloatArray, float]] = []
    for take in model.takes:
        p = prices[take.commodity]
        assert p is not None
        sched = model.schedules[take.schedule]
        if take.psa:
            out.append((p, model.psa_royalty + model.psa_profit_take))
        elif not model.count_royalty:
            out.append((p, 0.0))
        elif len(sched.rates) == 1 and math.isinf(sched.marginal_above[0]):
            out.append((p, sched.rates[0]))
        else:
            out.append((royalty_per_unit(sched, p), 1.0))
    return out


def fx_path(model: CompiledModel, z: FloatArray) -> FloatArray:
    """UAH per USD, (years, n): log s0 + drift*t + an exact OU deviation starting at 0."""
    s0, drift, kappa, sigma = model.fx
    decay = math.exp(-kappa)
    sd = sigma * math.sqrt((1.0 - math.exp(-2.0 * kappa)) / (2.0 * kappa))
    dev = np.empty_like(z)
    dev[0] = 0.0
    for t in range(1, z.shape[0]):
        dev[t] = dev[t - 1] * decay + sd * z[t]
    dev += (math.log(s0) + drift * np.arange(z.shape[0]))[:, None]
    return np.exp(dev, out=dev)


def territory_states(model: CompiledModel, draws: ChunkDraws) -> NDArray[np.int8]:
    """Control state, (units, years, n): 0 controlled, 1 frontline, 2 occupied."""
    n, years = draws.n, model.years
    states = np.empty((len(model.units), years, n), dtype=np.int8)
    if not model.units:
        return states
    cum = np.asarray([u.cum for u in model.units])  # (units, from-state, 2)
    states[:, 0, :] = np.asarray([u.initial for u in model.units], dtype=np.int8)[:, None]
    if np.all(cum[:, :, 0] == [1.0, 0.0, 0.0]) and np.all(cum[:, :, 1] == [1.0, 1.0, 0.0]):
        states[:] = states[:, :1, :]  # frozen line: no draw can move any state
        return states
    # For float32 u and a float64 threshold t, u >= t exactly when u >= the smallest float32 >= t,
    # so comparing in float32 against that gives the reference's float64 answer.
    up = cum.astype(np.float32)
    up = np.where(up.astype(np.float64) < cum, np.nextafter(up, np.float32(2)), up)
    for i, u in enumerate(draws.territory):
        # bucket each draw among the unit's distinct thresholds once; the sequential part is then
        # a lookup of (current state, bucket) in a tiny table
        cuts = np.unique(up[i].ravel())
        bucket = np.zeros((years, n), dtype=np.int8)
        for c in cuts:
            bucket += u >= c
        width = len(cuts) + 1
        table = np.zeros((3, width), dtype=np.int8)
        for s in range(3):
            for k in range(width):
                probe = cuts[k - 1] if k > 0 else np.float32(-1)
                table[s, k] = int(probe >= up[i, s, 0]) + int(probe >= up[i, s, 1])
        flat = table.ravel()
        row = states[i]
        for t in range(1, years):
            row[t] = flat[row[t - 1] * np.int8(width) + bucket[t]]
    return states


def territory_factor(model: CompiledModel, states: NDArray[np.int8]) -> FloatArray:
    """Output factor by control state, same shape as `states`."""
    out: FloatArray = np.take(np.asarray(model.output_factor), states)
    return out


def production_profile(years: int, ramp: int, life: int) -> FloatArray:
    """Output share by k = year - production start, at index k + years (k in [-years, 2 years])."""
    k = np.arange(-years, 2 * years + 1, dtype=np.float64)
    inv = 1.0 / ramp if ramp > 0 else 1.0
    prof = np.clip((k + 1.0) * inv, 0.0, 1.0)
    prof[k >= life] = 0.0
    return prof


def deposit_inflows(
    model: CompiledModel,
    draws: ChunkDraws,
    prices: list[FloatArray | None],
    fx: FloatArray,
) -> FloatArray:
    """Fund-share receipts (USD) summed over every eligible component, (years, n)."""
    years, n = model.years, draws.n
    takes = take_arrays(model, prices)
    states = territory_states(model, draws)
    total = np.zeros((years, n))
    rows = np.arange(years, dtype=np.int64)[:, None]
    cols = np.arange(n)
    for comp, u, z in zip(model.new, draws.new_u, draws.new_z, strict=True):
        licensed = u[0] < comp.p_licence
        lic = np.floor(tri_inv(u[1], *comp.licence_year)).astype(np.int64)
        failed = u[2] < comp.p_fail
        dev = np.floor(tri_inv(u[3], *comp.dev_years)).astype(np.int64)
        start = lic + dev
        # only paths that reach production inside the horizon carry output: work on those columns
        cols_p = np.flatnonzero(licensed & ~failed & (start < years))
        if cols_p.size:
            begin = np.maximum(start[cols_p], -years)
            prof = production_profile(years, comp.ramp, comp.life)
            work = np.take(prof, rows + (years - begin)[None, :])
            take, rate = takes[comp.take]
            work *= take[:, cols_p]
            work *= territory_factor(model, states[comp.unit][:, cols_p])
            sd = comp.capacity_log_sd
            scale = comp.capacity * comp.share * np.exp(sd * z[0, cols_p] - 0.5 * sd * sd)
            work *= (scale * rate)[None, :]
            total[:, cols_p] += work
        _add_licence_payments(model, comp, total, licensed, lic, states[comp.unit], fx, cols)
    for ex in model.existing:
        k = np.arange(years) - ex.first
        volume = np.where((k >= 0) & (k < ex.life), ex.output * ex.share, 0.0)
        if not volume.any():
            continue
        take, rate = takes[ex.take]
        total += (volume * rate)[:, None] * take * territory_factor(model, states[ex.unit])
    return total


def _add_licence_payments(
    model: CompiledModel,
    comp: object,
    total: FloatArray,
    licensed: NDArray[np.bool_],
    lic: NDArray[np.int64],
    states: NDArray[np.int8],
    fx: FloatArray,
    cols: NDArray[np.int64],
) -> None:
    """Permit fee (UAH at that year's rate) and PSA bonus in the licence year, unless occupied."""
    from jointfund.forecast.model import NewComponent

    assert isinstance(comp, NewComponent)
    fee = comp.fee_uah if model.count_fee else 0.0
    bonus = comp.bonus_usd if model.count_bonus else 0.0
    if fee == 0.0 and bonus == 0.0:
        return
    years = total.shape[0]
    inside = licensed & (lic >= 0) & (lic < years)
    at = np.where(inside, lic, 0)
    payable = inside & (states[at, cols] != 2)
    amount = (fee / fx[at, cols] + bonus) * comp.share
    total[at[payable], cols[payable]] += amount[payable]  # one cell per path: no duplicates
