"""Territory control paths, vectorised: every unit's yearly state from its uniforms and thresholds.

States are kept as 4 x state (0 controlled, 4 frontline, 8 occupied) in uint16, so one year's step
is two cheap integer passes: each year's uniforms are first turned, in bulk, into a code holding
the next state for each of the three current states (4 bits each), and the sequential part is then
`code >> current & 12`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import Draws
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.streams import FloatArray

StateArray = NDArray[np.uint16]
OCCUPIED = 8  # encoded state of an occupied deposit
_HOLD = (0 << 0) | (4 << 4) | (8 << 8)  # the code that keeps every state as it is


def float32_thresholds(cum: NDArray[np.float64]) -> NDArray[np.float32]:
    """The smallest float32 >= each threshold: for a float32 draw u, u >= t in float64 exactly
    when u >= this in float32, so the comparison gives the reference's float64 answer."""
    up = cum.astype(np.float32)
    out: NDArray[np.float32] = np.where(
        up.astype(np.float64) < cum, np.nextafter(up, np.float32(2)), up
    )
    return out


_BLOCK = 65536  # cells per pass: the masks and the code stay in cache between the passes


def numerator_thresholds(cum: NDArray[np.float64]) -> NDArray[np.uint32]:
    """For a uniform given as its numerator m (u = m 2**-24): u >= t exactly when m >= this."""
    k = np.ceil(cum * 2.0**24)  # exact: scaling by a power of two
    out: NDArray[np.uint32] = np.clip(k, 0, 2**24 + 1).astype(np.uint32)
    return out


def _code(u: NDArray[Any], up: NDArray[Any], out: StateArray) -> None:
    """out = per cell, for s = 0, 1, 2 at bits 4s: 4 x next state = 4 x (#thresholds of s <= u).

    `u` and `up` are float32 uniforms and thresholds, or uint32 numerators and thresholds.
    """
    cuts = [
        (cut, np.uint16(sum(4 << (4 * s) for s in range(3) for j in range(2) if up[s, j] == cut)))
        for cut in np.unique(up)
    ]
    step = max(1, _BLOCK // u.shape[1])
    mask = np.empty((step, u.shape[1]), dtype=np.bool_)
    add = np.empty((step, u.shape[1]), dtype=np.uint16)
    for r in range(0, u.shape[0], step):
        rows = slice(r, r + step)
        block, k = out[rows], len(out[rows])
        block[:] = 0
        for cut, weight in cuts:
            np.greater_equal(u[rows], cut, out=mask[:k])
            np.multiply(mask[:k], weight, out=add[:k])
            block += add[:k]


def territory_key(model: CompiledModel) -> tuple[Any, ...]:
    """Everything of the model territory_states reads: two models with equal keys have the same
    control paths on the same draws, so a sensitivity design can compute them once."""
    units = tuple(model.unit_years(i) for i in range(len(model.units)))
    return (model.years, model.units, model.regions, model.region_chol, units)


def territory_states(model: CompiledModel, draws: Draws) -> StateArray:
    """Encoded control state (4 x state), (units, years, n); after model.unit_years(i) years a
    unit's state is held, as no component reads it."""
    n, years = draws.n, model.years
    states = np.empty((len(model.units), years, n), dtype=np.uint16)
    if not model.units:
        return states
    cum = np.asarray([u.cum for u in model.units])  # (units, from-state, 2)
    states[:, 0, :] = 4 * np.asarray([u.initial for u in model.units], dtype=np.uint16)[:, None]
    if np.all(cum[:, :, 0] == [1.0, 0.0, 0.0]) and np.all(cum[:, :, 1] == [1.0, 1.0, 0.0]):
        states[:] = states[:, :1, :]  # frozen line: no draw can move any state
        return states
    if model.regions:
        _region_codes(model, draws, states)
    else:
        _unit_codes(model, draws, states, cum)
    for t in range(1, years):
        row = states[:, t]
        np.right_shift(row, states[:, t - 1], out=row)
        np.bitwise_and(row, np.uint16(12), out=row)
    return states


def region_shocks(model: CompiledModel, draws: Draws) -> list[FloatArray]:
    """Each region's correlated yearly normals (years, n), float64: the Cholesky mix of the
    independent draws, summed in index order (the reference sums in the same order)."""
    out: list[FloatArray] = []
    # widened once, not once per term: the mixed-type multiply cast on every pass
    wide = [np.asarray(z, dtype=np.float64) for z in draws.regions]
    for row in model.region_chol:
        terms = [(k, w) for k, w in enumerate(row) if w != 0.0]
        k0, w0 = terms[0]
        acc: FloatArray = np.multiply(wide[k0], w0)
        term = np.empty_like(acc)
        for k, w in terms[1:]:
            np.multiply(wide[k], w, out=term)
            np.add(acc, term, out=acc)
        out.append(acc)
    return out


def _region_codes(model: CompiledModel, draws: Draws, states: StateArray) -> None:
    """Codes from the regions' correlated normals against each unit's normal-scale cuts."""
    shocks = region_shocks(model, draws)
    done: dict[tuple[int, tuple[tuple[float, float], ...]], int] = {}
    for i, unit in enumerate(model.units):
        rows = model.unit_years(i)
        key = (unit.region, unit.zcut)
        first = done.get(key)
        if first is not None and model.unit_years(first) >= rows:
            states[i, 1:rows] = states[first, 1:rows]  # same region and matrix: same codes
        else:
            _code(shocks[unit.region][1:rows], np.asarray(unit.zcut), states[i, 1:rows])
            done.setdefault(key, i)
        states[i, rows:] = _HOLD


def _unit_codes(
    model: CompiledModel, draws: Draws, states: StateArray, cum: NDArray[np.float64]
) -> None:
    """Codes from each unit's own uniforms (no regions)."""
    up = float32_thresholds(cum)
    whole = numerator_thresholds(cum)
    for i, u in enumerate(draws.territory):
        rows = model.unit_years(i)  # later years are never read: the state is held instead
        _code(u[1:rows], whole[i] if u.dtype == np.uint32 else up[i], states[i, 1:rows])
        states[i, rows:] = _HOLD


def factor_table(model: CompiledModel) -> FloatArray:
    """Output factor indexed by encoded state (entries 0, 4 and 8 are used)."""
    table = np.zeros(9)
    table[[0, 4, 8]] = model.output_factor
    return table


def territory_factor(table: FloatArray, states: StateArray) -> FloatArray:
    """Output factor of each cell of `states` (any shape)."""
    out: FloatArray = table[states]  # fancy indexing: faster here than np.take on uint16
    return out
