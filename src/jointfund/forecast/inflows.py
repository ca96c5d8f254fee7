"""Vectorised state receipts that flow into the fund: licence timelines, output, royalties, fees."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import Draws
from jointfund.forecast.model import CompiledModel, NewComponent, Schedule
from jointfund.forecast.streams import FloatArray
from jointfund.forecast.territory import (
    OCCUPIED,
    StateArray,
    factor_table,
    territory_factor,
)


def tri_inv(u: FloatArray, a: float, c: float, b: float) -> FloatArray:
    """Inverse CDF of the triangular distribution (min a, mode c, max b)."""
    if b == a:
        return np.full_like(u, a)
    fc = (c - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (c - a))
    right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
    return np.where(u < fc, left, right)


def royalty_per_unit(schedule: Schedule, price: FloatArray) -> FloatArray:
    """Royalty per unit of output at these prices under a tiered schedule.

    The tier is the number of upper bounds below the price (a few compares, no sort or search);
    tiers with a marginal part are patched where they apply.
    """
    if len(schedule.rates) == 1 and math.isinf(schedule.marginal_above[0]):
        return schedule.rates[0] * price
    tier = np.zeros(price.shape, dtype=np.uint8)
    for bound in schedule.bounds[:-1]:
        np.add(tier, price > bound, out=tier)
    index = tier.astype(np.intp)
    out: FloatArray = np.take(np.asarray(schedule.rates), index)
    out *= price
    for i, above in enumerate(schedule.marginal_above):
        if math.isinf(above):
            continue
        hit = index == i
        p = price[hit]
        rate, marginal = schedule.rates[i], schedule.marginal_rates[i]
        out[hit] = rate * np.minimum(p, above) + marginal * np.maximum(p - above, 0.0)
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
            out.append((p, model.psa_royalty[take.commodity] + model.psa_profit_take))
        elif not model.count_royalty:
            out.append((p, 0.0))
        elif len(sched.rates) == 1 and math.isinf(sched.marginal_above[0]):
            out.append((p, sched.rates[0]))
        else:
            out.append((royalty_per_unit(sched, p), 1.0))
    return out


def fx_path(model: CompiledModel, z: NDArray[np.floating[Any]]) -> FloatArray:
    """UAH per USD, (years, n): log s0 + drift*t + an exact OU deviation starting at 0."""
    s0, drift, kappa, sigma = model.fx
    decay = math.exp(-kappa)
    sd = sigma * math.sqrt((1.0 - math.exp(-2.0 * kappa)) / (2.0 * kappa))
    dev: FloatArray = np.multiply(z, sd, dtype=np.float64)
    dev[0] = 0.0
    tmp = np.empty_like(dev[0])
    for t in range(1, z.shape[0]):
        np.add(np.multiply(dev[t - 1], decay, out=tmp), dev[t], out=dev[t])
    dev += (math.log(s0) + drift * np.arange(z.shape[0]))[:, None]
    return np.exp(dev, out=dev)


def production_profile(years: int, ramp: int, life: int) -> FloatArray:
    """Output share by k = year - production start, at index k + years (k in [-years, 2 years])."""
    k = np.arange(-years, 2 * years + 1, dtype=np.float64)
    inv = 1.0 / ramp if ramp > 0 else 1.0
    prof = np.clip((k + 1.0) * inv, 0.0, 1.0)
    prof[k >= life] = 0.0
    return prof


@dataclass(frozen=True, slots=True)
class Timeline:
    """A new component's draws as per-path facts: licensed? in which year (offset)? and, for the
    paths that reach production inside the horizon (`cols`), its first year and output scale."""

    licensed: NDArray[np.bool_]
    lic: NDArray[np.int64]
    cols: NDArray[np.intp]
    begin: NDArray[np.int64]
    scale: FloatArray


def nearest_year(x: FloatArray) -> NDArray[np.int64]:
    """Continuous years to whole years, rounding to nearest (halves up), so a triangle's
    mode is its most likely year and its max is reachable (floor made both a year early)."""
    out: NDArray[np.int64] = np.floor(x + 0.5).astype(np.int64)
    return out


def not_while_occupied(lic: NDArray[np.int64], states: StateArray) -> NDArray[np.int64]:
    """Each path's licence year moved to the first year from it in which the deposit is not
    occupied (`years` if it stays occupied to the horizon): no licence is issued, and no
    development starts, in occupied territory."""
    years = states.shape[0]
    inside = np.flatnonzero((lic >= 0) & (lic < years))
    # only paths whose licence year falls in occupied years move: look at those alone
    blocked = inside[states[lic[inside], inside] == OCCUPIED]
    if blocked.size == 0:
        return lic
    free = states[:, blocked] != OCCUPIED
    free &= np.arange(years)[:, None] >= lic[blocked][None, :]
    out = lic.copy()
    out[blocked] = np.where(free.any(axis=0), free.argmax(axis=0), years)
    return out


def timelines(model: CompiledModel, draws: Draws, states: StateArray) -> list[Timeline]:
    """Licence, failure, development and capacity draws of every new component; licensing
    waits until the deposit is not occupied (`states`: encoded control states)."""
    return [
        timeline(comp, u32, z32, states[comp.unit], model.years)
        for comp, u32, z32 in zip(model.new, draws.new_u, draws.new_z, strict=True)
    ]


def timeline(
    comp: NewComponent,
    u32: NDArray[Any],
    z32: NDArray[Any],
    states: NDArray[np.uint16],
    years: int,
) -> Timeline:
    """One new component's timeline from its uniforms `u32`, normals `z32` and its unit's control
    states (years, n): a function of these alone, so equal inputs give an equal timeline."""
    u = u32.astype(np.float64)
    licensed = u[0] < comp.p_licence
    u_lic = u[1]
    if comp.lic_u_floor:  # as of a day: licence years before it are not drawn
        u_lic = comp.lic_u_floor + u_lic * (1.0 - comp.lic_u_floor)
    lic = nearest_year(tri_inv(u_lic, *comp.licence_year))
    lic = not_while_occupied(lic, states)
    failed = u[2] < comp.p_fail
    dev = nearest_year(tri_inv(u[3], *comp.dev_years))
    start = lic + dev
    cols = np.flatnonzero(licensed & ~failed & (start < years))
    sd = comp.capacity_log_sd
    z = z32[0, cols].astype(np.float64)
    scale = comp.capacity * comp.share * np.exp(sd * z - 0.5 * sd * sd)
    return Timeline(licensed, lic, cols, np.maximum(start[cols], -years), scale)


def price_columns(
    model: CompiledModel, lines: list[Timeline], n: int
) -> list[NDArray[np.intp] | None]:
    """Per commodity, the paths whose prices some component needs (None: all of them).

    New components need prices only where they produce; an old permit produces on every path.
    """
    everywhere = {model.takes[ex.take].commodity for ex in model.existing}
    masks: dict[int, NDArray[np.bool_]] = {}
    for comp, line in zip(model.new, lines, strict=True):
        c = model.takes[comp.take].commodity
        if c not in everywhere:
            masks.setdefault(c, np.zeros(n, dtype=np.bool_))[line.cols] = True
    out: list[NDArray[np.intp] | None] = [None] * len(model.prices)
    for c, mask in masks.items():
        cols = np.flatnonzero(mask)
        out[c] = None if cols.size > 0.9 * n else cols
    return out


def deposit_inflows(
    model: CompiledModel,
    lines: list[Timeline],
    prices: list[FloatArray | None],
    columns: list[NDArray[np.intp] | None],
    fx: FloatArray | None,
    states: StateArray,
    bonuses: list[BonusCells] | None = None,
) -> FloatArray:
    """Fund-share receipts (USD) summed over every eligible component, (years, n).

    A new component only touches the paths on which it produces (output) or is licensed (fee);
    `prices[c]` covers the paths `columns[c]` (None: all). `bonuses`, when given, collects the
    dollar bonuses' cells (they keep their amount when a transfer is valued at a later rate).
    """
    years, n = model.years, states.shape[2]
    takes = take_arrays(model, prices)
    table = factor_table(model)
    # new components add scattered paths: path-major rows make that a copy of whole rows
    by_path = np.zeros((n, years))
    rows = np.arange(years, dtype=np.int64)[:, None]
    for comp, line in zip(model.new, lines, strict=True):
        cols = line.cols
        if cols.size:
            take, rate = takes[comp.take]
            have = columns[model.takes[comp.take].commodity]
            if have is None:
                take = np.take(take, cols, axis=1)
            elif have.size != cols.size:  # shared with other components: pick this one's paths
                take = np.take(take, np.searchsorted(have, cols), axis=1)
            first = max(int(line.begin.min()), 0)  # no output anywhere before this year
            prof = production_profile(years, comp.ramp, comp.life)
            work = np.take(prof, rows[first:] + (years - line.begin)[None, :])
            work *= take[first:]
            states_p = np.take(states[comp.unit, first:], cols, axis=1)
            work *= territory_factor(table, states_p)
            work *= (line.scale * rate)[None, :]
            by_path[cols, first:] += work.T
        _add_licence_payments(model, comp, by_path, line, states[comp.unit], fx, bonuses)
    total = np.ascontiguousarray(by_path.T)
    for ex in model.existing:
        k = np.arange(years) - ex.first
        lo, hi = max(ex.first, 0), min(ex.first + ex.life, years)
        if lo >= hi:
            continue
        take, rate = takes[ex.take]
        volume = np.where((k >= 0) & (k < ex.life), ex.output * ex.share, 0.0)[lo:hi]
        work = territory_factor(table, states[ex.unit, lo:hi])
        work *= take[lo:hi]
        work *= (volume * rate)[:, None]
        total[lo:hi] += work
    return total


def needs_fx(model: CompiledModel) -> bool:
    """True when some permit fee (paid in UAH) counts, when transfers are valued at a later
    year's rate, or when untransferred hryvnia accruals start the paths: the FX path is needed."""
    terms = model.terms
    if terms.fx_at_transfer and terms.transfer_lag_years > 0:
        return True
    if model.start is not None and any(model.start.arrivals_uah):
        return True
    return model.count_fee and any(c.fee_uah != 0.0 for c in model.new)


@dataclass(frozen=True, slots=True)
class BonusCells:
    """Dollar bonus receipts of one component: paths, year indices and amounts."""

    cols: NDArray[np.intp]
    at: NDArray[np.int64]
    amount: float


def _add_licence_payments(
    model: CompiledModel,
    comp: NewComponent,
    by_path: FloatArray,
    line: Timeline,
    states: StateArray,
    fx: FloatArray | None,
    bonuses: list[BonusCells] | None,
) -> None:
    """Permit fee (UAH at that year's rate) and PSA bonus in the licence year, unless occupied
    or already paid (a licence the books issued before the as-of day)."""
    fee = comp.fee_uah if model.count_fee else 0.0
    bonus = comp.bonus_usd if model.count_bonus else 0.0
    if (fee == 0.0 and bonus == 0.0) or comp.issued:
        return
    years = by_path.shape[1]
    lic = line.lic
    cols = np.flatnonzero(line.licensed & (lic >= 0) & (lic < years))
    at = lic[cols]
    keep = states[at, cols] != OCCUPIED
    cols, at = cols[keep], at[keep]
    rate = fx[at, cols] if fee != 0.0 and fx is not None else 1.0
    by_path[cols, at] += (fee / rate + bonus) * comp.share  # one cell per path: no duplicates
    if bonuses is not None and bonus != 0.0 and cols.size:
        bonuses.append(BonusCells(cols, at, bonus * comp.share))
