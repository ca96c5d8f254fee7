"""Forecast results as frozen records: fans, P(target) curves, survival curves, tornado, manifest;
built from per-path arrays and turned into plain JSON-ready data."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)
FAN_SERIES = ("inflow", "cum_inflow", "nav", "capital_us", "capital_ua", "share_us", "share_ua")
GRID_USD = tuple(float(v) for v in np.logspace(6, 12, 121))  # $1 m .. $1 tn, 20 per decade


@dataclass(frozen=True, slots=True)
class Fan:
    """Percentiles of one yearly series: values[i][k] is year i, percentile k."""

    series: str
    percentiles: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    mean: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class TargetCurve:
    """P(cumulative inflow >= target by each year) with its Monte Carlo standard error."""

    target_usd: float
    prob: tuple[float, ...]
    se: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Survival:
    """P(partner not yet recouped by each year); `never` is the mass not recouped in the horizon."""

    partner: str
    basis: str
    survival: tuple[float, ...]
    never: float
    never_se: float


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """Output with one input at its 10th and at its 90th percentile, the others at base."""

    name: str
    path: str
    p10: float
    p90: float
    output_low: float
    output_high: float

    @property
    def swing(self) -> float:
        """Absolute width of the bar."""
        return abs(self.output_high - self.output_low)


@dataclass(frozen=True, slots=True)
class Tornado:
    """Sensitivity of one output, bars sorted by swing (widest first), on common random numbers."""

    output: str
    base: float
    bars: tuple[TornadoBar, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    """Everything needed to reproduce or audit a run."""

    scenario: str
    scenario_path: str
    input_hashes: dict[str, str]
    seed_entropy: int
    spawn_keys: dict[str, list[int]]
    path_block: int
    packages: dict[str, str]
    paths: int
    years: int
    start_year: int
    chunk_paths: int
    antithetic: bool
    scheduler: str | None
    timings: dict[str, float]
    terms: dict[str, Any]
    created_utc: str


@dataclass(frozen=True, slots=True)
class ForecastRun:
    """One run: manifest, summaries, and per-path final values for paired comparisons."""

    manifest: Manifest
    calendar_years: tuple[int, ...]
    fans: dict[str, Fan]
    targets: tuple[TargetCurve, ...]
    grid: tuple[TargetCurve, ...]
    survival: tuple[Survival, ...]
    path_metrics: dict[str, NDArray[Any]] = field(repr=False)
    tornado: Tornado | None = None


def fan(series: str, data: NDArray[Any], ranked: NDArray[Any] | None = None) -> Fan:
    """Percentile fan of a (years, paths) array (NumPy's "linear" percentiles), from its rows
    sorted (`ranked`, when the caller already has them): a SIMD sort beats selection here."""
    if ranked is None:
        ranked = np.sort(data, axis=1)
    n = ranked.shape[1]
    index = np.asarray(PERCENTILES) / 100.0 * (n - 1)
    below = np.floor(index).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    gamma = index - below
    a = ranked[:, below].astype(np.float64)
    b = ranked[:, above].astype(np.float64)
    diff = b - a
    q = np.where(gamma >= 0.5, b - diff * (1.0 - gamma), a + diff * gamma)
    mean = data.mean(axis=1, dtype=np.float64)
    return Fan(
        series,
        PERCENTILES,
        tuple(tuple(float(v) for v in row) for row in q),
        tuple(float(v) for v in mean),
    )


def mirror(source: Fan, series: str) -> Fan:
    """The fan of 1 - X from the fan of X: p_k(1 - X) = 1 - p_{100-k}(X)."""
    assert source.percentiles == tuple(100.0 - p for p in reversed(source.percentiles))
    values = tuple(tuple(1.0 - v for v in reversed(row)) for row in source.values)
    return Fan(series, source.percentiles, values, tuple(1.0 - m for m in source.mean))


def target_curves(
    cum: NDArray[Any], targets: tuple[float, ...], ranked: NDArray[Any] | None = None
) -> tuple[TargetCurve, ...]:
    """Exceedance by year for each target from cumulative inflow (years, paths).

    Cumulative inflow never falls, so "by year T" equals "at year T". Each year is sorted once
    (or `ranked` is given already sorted) and every target is a binary search.
    """
    n = cum.shape[1]
    if ranked is None:
        ranked = np.sort(cum, axis=1)
    below = np.stack([np.searchsorted(row, targets, side="left") for row in ranked])
    p = 1.0 - below / n  # (years, targets)
    se = np.sqrt(p * (1.0 - p) / n)
    return tuple(
        TargetCurve(float(t), tuple(float(v) for v in p[:, k]), tuple(float(v) for v in se[:, k]))
        for k, t in enumerate(targets)
    )


def survival(partner: str, basis: str, recoup: NDArray[Any], years: int) -> Survival:
    """Survival curve from recoupment year indices (-1 = not within the horizon)."""
    n = recoup.shape[0]
    never = int(np.count_nonzero(recoup < 0))
    # recouped by year t: recoup in [0, t]; one count per year instead of one pass per year
    counts = np.bincount(recoup[recoup >= 0].astype(np.intp), minlength=years)[:years]
    later = n - np.cumsum(counts)  # never recouped, or recouped after year t
    surv = [float(v / n) for v in later]
    p = never / n
    return Survival(partner, basis, tuple(surv), p, math.sqrt(p * (1.0 - p) / n))


Z_ONE_SIDED_95 = 1.6448536269514722


def upper_bound_95(prob: float, paths: int) -> float:
    """One-sided 95% upper bound on a probability estimated as `prob` from `paths` paths
    (Wilson score). Unlike prob + 2 s.e. it stays informative when no path reaches the target:
    0 hits in 100k paths bounds the chance below 2.7e-5, where the standard error says 0."""
    z2n = Z_ONE_SIDED_95**2 / paths
    centre = prob + z2n / 2
    spread = Z_ONE_SIDED_95 * math.sqrt(prob * (1 - prob) / paths + z2n / (4 * paths))
    return min(1.0, (centre + spread) / (1 + z2n))


def p_target(run: ForecastRun, target_usd: float, year: int | None = None) -> tuple[float, float]:
    """P(cumulative inflow >= target by `year`) and its standard error, for a run's targets or
    grid points (the nearest grid point at or above the target when not exact)."""
    idx = -1 if year is None else run.calendar_years.index(year)
    for curve in run.targets:
        if curve.target_usd == target_usd:
            return curve.prob[idx], curve.se[idx]
    above = [c for c in run.grid if c.target_usd >= target_usd * (1 - 1e-12)]
    curve = above[0] if above else run.grid[-1]
    return curve.prob[idx], curve.se[idx]


def to_dict(run: ForecastRun) -> dict[str, Any]:
    """JSON-ready summary (no per-path arrays)."""
    return {
        "manifest": asdict(run.manifest),
        "calendar_years": list(run.calendar_years),
        "fans": {k: asdict(v) for k, v in run.fans.items()},
        "targets": [asdict(c) for c in run.targets],
        "grid": [asdict(c) for c in run.grid],
        "survival": [asdict(s) for s in run.survival],
        "tornado": None if run.tornado is None else asdict(run.tornado),
    }


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def from_dict(data: dict[str, Any], path_metrics: dict[str, NDArray[Any]]) -> ForecastRun:
    """Rebuild a run from `to_dict` output and its per-path arrays."""

    def rec(cls: Any, d: dict[str, Any]) -> Any:
        return cls(**{k: _tuples(v) for k, v in d.items()})

    tornado = data.get("tornado")
    return ForecastRun(
        manifest=Manifest(**data["manifest"]),
        calendar_years=tuple(data["calendar_years"]),
        fans={k: rec(Fan, v) for k, v in data["fans"].items()},
        targets=tuple(rec(TargetCurve, c) for c in data["targets"]),
        grid=tuple(rec(TargetCurve, c) for c in data["grid"]),
        survival=tuple(rec(Survival, s) for s in data["survival"]),
        path_metrics=path_metrics,
        tornado=None
        if tornado is None
        else Tornado(
            tornado["output"],
            tornado["base"],
            tuple(rec(TornadoBar, b) for b in tornado["bars"]),
        ),
    )
