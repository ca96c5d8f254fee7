"""Commodity price paths with exact annual transitions (GBM, log-OU, Schwartz-Smith), correlated."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.model import GBM, OU, SCHWARTZ_SMITH, PriceParams
from jointfund.forecast.streams import FloatArray


def ou_step(kappa: float, sigma: float, dt: float = 1.0) -> tuple[float, float]:
    """Exact OU step over dt: decay e^{-k dt} and shock s.d. sigma*sqrt((1-e^{-2k dt})/2k)."""
    decay = math.exp(-kappa * dt)
    return decay, sigma * math.sqrt((1.0 - math.exp(-2.0 * kappa * dt)) / (2.0 * kappa))


Coef = float | FloatArray  # a parameter: one value, or one per path (broadcast on the path axis)
PathParams = Sequence[Mapping[str, FloatArray] | None] | None


def ou_step_paths(kappa: Coef, sigma: Coef) -> tuple[Coef, Coef]:
    """ou_step for per-path kappa and/or sigma (arrays): the same formulas in NumPy."""
    if not isinstance(kappa, np.ndarray) and not isinstance(sigma, np.ndarray):
        return ou_step(kappa, sigma)
    k = np.asarray(kappa, dtype=np.float64)
    sd = sigma * np.sqrt(-np.expm1(-2.0 * k) / (2.0 * k))
    return np.exp(-k), sd


def ss_shock_correlation(p: PriceParams) -> float:
    """Exact one-year correlation of the short- and long-term factor shocks (Schwartz-Smith)."""
    _, sd_chi = ou_step(p.kappa, p.sigma_chi)
    if sd_chi == 0.0 or p.sigma == 0.0:
        return 0.0
    cov = p.rho * p.sigma_chi * p.sigma * (1.0 - math.exp(-p.kappa)) / p.kappa
    return cov / (sd_chi * p.sigma)


Columns = Sequence[NDArray[np.intp] | None] | None


def _factor(
    shocks: NDArray[np.floating[Any]], factor: int, cols: NDArray[np.intp] | None
) -> NDArray[np.floating[Any]]:
    """One factor's shocks (years, n), or only the paths `cols` of it."""
    z = shocks[:, factor, :]
    return z if cols is None else np.take(z, cols, axis=1)


def correlate(
    chol: tuple[tuple[float, ...], ...],
    shocks: Sequence[NDArray[np.floating[Any]]],
    needed: frozenset[int] | None = None,
    columns: Columns = None,
) -> list[NDArray[np.floating[Any]] | None]:
    """Mix each commodity's first factor through the (sparse) Cholesky factor of the correlation
    matrix; uncorrelated commodities use their own shocks as they are (float32 or float64).
    `columns[i]`, when given, keeps only those paths of commodity i."""
    out: list[NDArray[np.floating[Any]] | None] = []
    for i, row in enumerate(chol):
        if needed is not None and i not in needed:
            out.append(None)
            continue
        cols = None if columns is None else columns[i]
        terms = [(k, w) for k, w in enumerate(row[: i + 1]) if w != 0.0]
        if terms == [(i, 1.0)]:
            out.append(_factor(shocks[i], 0, cols))
            continue
        k0, w0 = terms[0]
        acc = np.multiply(_factor(shocks[k0], 0, cols), w0, dtype=np.float64)
        tmp = np.empty_like(acc)
        for k, w in terms[1:]:
            np.multiply(_factor(shocks[k], 0, cols), w, out=tmp, dtype=np.float64)
            acc += tmp
        out.append(acc)
    return out


def _running(x: FloatArray, decay: Coef | None = None) -> None:
    """In place x[t] += x[t-1] (times decay), row by row: the sequential part of every model."""
    if decay is None:  # a running sum: NumPy's accumulate adds in the same order, in C
        np.cumsum(x, axis=0, out=x)
        return
    tmp = np.empty_like(x[0])
    for t in range(1, x.shape[0]):
        prev = x[t - 1]
        if decay is not None:
            prev = np.multiply(prev, decay, out=tmp)
        np.add(x[t], prev, out=x[t])


_BLOCK = 65536  # cells per block: each block's passes run while it is in cache


def _log_walk(
    x: FloatArray, z: NDArray[np.floating[Any]], scale: Coef, shift: Coef, decay: Coef | None
) -> None:
    """x[t] = x[t-1] (times decay) + shift + scale z[t] for t >= 1 (x[0] given), then exp, all
    in place, a block of rows at a time."""
    years, n = x.shape
    step = max(1, _BLOCK // max(n, 1))
    for r0 in range(1, years, step):
        r1 = min(r0 + step, years)
        np.multiply(z[r0:r1], scale, out=x[r0:r1], dtype=np.float64)
        x[r0:r1] += shift
        _running(x[r0 - 1 : r1], decay)
        np.exp(x[r0 - 1 : r1 - 1], out=x[r0 - 1 : r1 - 1])
    np.exp(x[years - 1], out=x[years - 1])


def _ss_mix(p: PriceParams, kappa: Coef, sigma_chi: Coef, sigma: Coef) -> tuple[Coef, Coef]:
    """Weights (a, b) of the two factors' shocks in the short-term factor's step, per path:
    sd_chi (r, sqrt(1 - r^2)) with r the exact one-year shock correlation."""
    if not any(isinstance(v, np.ndarray) for v in (kappa, sigma_chi, sigma)):
        _, sd_chi = ou_step(p.kappa, p.sigma_chi)  # the point values: nothing is drawn
        r = ss_shock_correlation(p)
        return sd_chi * r, sd_chi * math.sqrt(1.0 - r * r)
    _, sd = ou_step_paths(kappa, sigma_chi)
    k = np.asarray(kappa, dtype=np.float64)
    cov = p.rho * sigma_chi * sigma * -np.expm1(-k) / k
    den = np.asarray(sd * sigma, dtype=np.float64)
    rr = np.divide(cov, den, out=np.zeros_like(den), where=den != 0.0)
    return sd * rr, sd * np.sqrt(1.0 - rr * rr)


def _coefs(
    p: PriceParams, drawn: Mapping[str, FloatArray] | None, cols: NDArray[np.intp] | None
) -> tuple[Coef, Coef, Coef, Coef, Coef]:
    """(mu, sigma, kappa, theta, sigma_chi): the point values, or the drawn per-path arrays
    (only the paths `cols`, when given) where the commodity draws its parameters."""
    values: list[Coef] = [p.mu, p.sigma, p.kappa, p.theta, p.sigma_chi]
    if drawn is not None:
        for k, name in enumerate(("mu", "sigma", "kappa", "theta", "sigma_chi")):
            if name in drawn:
                values[k] = drawn[name] if cols is None else np.take(drawn[name], cols)
    mu, sigma, kappa, theta, sigma_chi = values
    return mu, sigma, kappa, theta, sigma_chi


def price_paths(
    params: tuple[PriceParams, ...],
    chol: tuple[tuple[float, ...], ...],
    shocks: Sequence[NDArray[np.floating[Any]]],
    needed: frozenset[int] | None = None,
    columns: Columns = None,
    drawn: PathParams = None,
) -> list[FloatArray | None]:
    """Prices (years, n) per commodity (None when not `needed`); year 0 is s0, then exact steps.

    Shocks may be float32 (the engine's draws): each is widened as it is first used, so every
    computation is float64. `columns[c]`, when given, prices only those paths of commodity c:
    (years, len(columns[c])). `drawn[c]`, when given, holds commodity c's per-path parameters
    (arrays over all the shocks' paths, by PriceParams field; uncertainty.path_params): they
    broadcast on the path axis where the point values are scalars.
    """
    primary = correlate(chol, shocks, needed, columns)
    out: list[FloatArray | None] = []
    f64 = np.float64
    for c, (p, z0, raw) in enumerate(zip(params, primary, shocks, strict=True)):
        if z0 is None:
            out.append(None)
            continue
        cols = None if columns is None else columns[c]
        mu, sigma, kappa, theta, sigma_chi = _coefs(p, None if drawn is None else drawn[c], cols)
        years, n = z0.shape
        x = np.empty((years, n))
        x[0] = math.log(p.s0)
        if p.model == GBM:
            _log_walk(x, z0, sigma, mu - 0.5 * sigma**2, None)
            out.append(x)
            continue
        if p.model == OU:
            decay, sd = ou_step_paths(kappa, sigma)
            _log_walk(x, z0, sd, theta * (1.0 - decay), decay)
            out.append(x)
            continue
        if p.model == SCHWARTZ_SMITH:
            decay, _ = ou_step_paths(kappa, sigma_chi)
            z1 = _factor(raw, 1, cols)
            a, b = _ss_mix(p, kappa, sigma_chi, sigma)
            chi, shock = np.full(n, p.chi0), np.empty(n)
            # xi (the long-term factor) builds up in x; the short-term chi is added row by row
            np.multiply(z0[1:], sigma, out=x[1:], dtype=f64)
            x[0] -= p.chi0
            x[1:] += mu
            _running(x)
            x[0] += chi
            for t in range(1, years):
                np.multiply(z0[t], a, out=shock, dtype=f64)
                chi *= decay
                chi += shock
                np.multiply(z1[t], b, out=shock, dtype=f64)
                chi += shock
                x[t] += chi
        else:  # pragma: no cover - the schema admits only the three models
            raise ValueError(f"unknown price model {p.model}")
        out.append(np.exp(x, out=x))
    return out
