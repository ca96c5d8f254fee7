"""Commodity price paths with exact annual transitions (GBM, log-OU, Schwartz-Smith), correlated."""

from __future__ import annotations

import math

import numpy as np

from jointfund.forecast.model import GBM, OU, SCHWARTZ_SMITH, PriceParams
from jointfund.forecast.streams import FloatArray


def ou_step(kappa: float, sigma: float, dt: float = 1.0) -> tuple[float, float]:
    """Exact OU step over dt: decay e^{-k dt} and shock s.d. sigma*sqrt((1-e^{-2k dt})/2k)."""
    decay = math.exp(-kappa * dt)
    return decay, sigma * math.sqrt((1.0 - math.exp(-2.0 * kappa * dt)) / (2.0 * kappa))


def ss_shock_correlation(p: PriceParams) -> float:
    """Exact one-year correlation of the short- and long-term factor shocks (Schwartz-Smith)."""
    _, sd_chi = ou_step(p.kappa, p.sigma_chi)
    if sd_chi == 0.0 or p.sigma == 0.0:
        return 0.0
    cov = p.rho * p.sigma_chi * p.sigma * (1.0 - math.exp(-p.kappa)) / p.kappa
    return cov / (sd_chi * p.sigma)


def correlate(
    chol: tuple[tuple[float, ...], ...],
    shocks: tuple[FloatArray, ...],
    needed: frozenset[int] | None = None,
) -> list[FloatArray | None]:
    """Mix each commodity's first factor through the (sparse) Cholesky factor of the correlation
    matrix; uncorrelated commodities use their own shocks as they are."""
    out: list[FloatArray | None] = []
    for i, row in enumerate(chol):
        if needed is not None and i not in needed:
            out.append(None)
            continue
        terms = [(k, w) for k, w in enumerate(row[: i + 1]) if w != 0.0]
        if terms == [(i, 1.0)]:
            out.append(shocks[i][:, 0, :])
            continue
        acc = terms[0][1] * shocks[terms[0][0]][:, 0, :]
        for k, w in terms[1:]:
            acc += w * shocks[k][:, 0, :]
        out.append(acc)
    return out


def price_paths(
    params: tuple[PriceParams, ...],
    chol: tuple[tuple[float, ...], ...],
    shocks: tuple[FloatArray, ...],
    needed: frozenset[int] | None = None,
) -> list[FloatArray | None]:
    """Prices (years, n) per commodity (None when not `needed`); year 0 is s0, then exact steps."""
    primary = correlate(chol, shocks, needed)
    out: list[FloatArray | None] = []
    for p, z0, raw in zip(params, primary, shocks, strict=True):
        if z0 is None:
            out.append(None)
            continue
        years, n = z0.shape
        x = np.empty((years, n))
        if p.model == GBM:
            steps = (p.mu - 0.5 * p.sigma**2) + p.sigma * z0[1:]
            x[0] = math.log(p.s0)
            np.cumsum(steps, axis=0, out=x[1:])
            x[1:] += math.log(p.s0)
        elif p.model == OU:
            decay, sd = ou_step(p.kappa, p.sigma)
            x[0] = math.log(p.s0)
            np.multiply(z0[1:], sd, out=x[1:])
            x[1:] += p.theta * (1.0 - decay)
            for t in range(1, years):
                x[t] += x[t - 1] * decay
        elif p.model == SCHWARTZ_SMITH:
            decay, sd_chi = ou_step(p.kappa, p.sigma_chi)
            r = ss_shock_correlation(p)
            chi_shock = sd_chi * (r * z0[1:] + math.sqrt(1.0 - r * r) * raw[1:, 1, :])
            xi = np.empty((years, n))
            xi[0] = math.log(p.s0) - p.chi0
            np.cumsum(p.mu + p.sigma * z0[1:], axis=0, out=xi[1:])
            xi[1:] += xi[0]
            chi = np.empty((years, n))
            chi[0] = p.chi0
            for t in range(1, years):
                chi[t] = chi[t - 1] * decay + chi_shock[t - 1]
            np.add(chi, xi, out=x)
        else:  # pragma: no cover - the schema admits only the three models
            raise ValueError(f"unknown price model {p.model}")
        out.append(np.exp(x, out=x))
    return out
