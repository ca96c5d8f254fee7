"""Forecast results as frozen records: fans, P(target) curves, survival curves, tornado, manifest;
built from per-path arrays (results_json turns them into plain JSON-ready data and back)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)
FAN_SERIES = (
    "inflow",
    "cum_inflow",
    "nav",
    "capital_us",
    "capital_ua",
    "share_us",
    "share_ua",
    "us_value",
    "dist_us",
)
MEASURES = {
    "us_value": "U.S. recoupment as the books define it: cumulative U.S. distributions plus the "
    "U.S. share of fund NAV, in the year",
    "cum_inflow": "total cumulative Ukrainian deal inflow into the (jointly owned) fund by the "
    "year; not what the U.S. gets back",
}
Z_TWO_SIDED_95 = 1.959963984540054
BATCHES = 32
GRID_USD = tuple(float(v) for v in np.logspace(6, 12, 121))  # $1 m .. $1 tn, 20 per decade


@dataclass(frozen=True, slots=True)
class Fan:
    """Percentiles of one yearly series: values[i][k] is year i, percentile k.

    Monte Carlo error: mean_se[i] is the batch-means standard error of mean[i]; low[i][k] and
    high[i][k] bound percentile k of year i with 95% confidence (order statistics).
    """

    series: str
    percentiles: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    mean: tuple[float, ...]
    mean_se: tuple[float, ...] = ()
    low: tuple[tuple[float, ...], ...] = ()
    high: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class RareEstimate:
    """An importance-sampling estimate of P(measure >= target) in the final year, used when
    plain Monte Carlo has fewer than RARE_HITS hits; with its own error and diagnostics."""

    method: str
    prob: float
    se: float
    paths: int
    hits: int
    ess: float
    shifts: dict[str, float]
    levels: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class TargetCurve:
    """P(measure >= target) by each year with its Monte Carlo standard error and hit count;
    `measure` is a key of MEASURES; `rare` the rare-event estimate for the final year, if any."""

    target_usd: float
    prob: tuple[float, ...]
    se: tuple[float, ...]
    measure: str = "cum_inflow"
    hits: tuple[int, ...] = ()
    rare: RareEstimate | None = None

    @property
    def estimator(self) -> str:
        """How the final year's probability is estimated."""
        return "naive" if self.rare is None else self.rare.method


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
    caveat: str = ""
    census: dict[str, Any] = field(default_factory=dict)
    parameter_uncertainty: dict[str, Any] = field(default_factory=dict)  # uncertainty.describe
    as_of: str | None = None  # the books' day the paths start from (None: from zero)
    start: dict[str, Any] | None = None  # the books' state they start from (forecast.start)


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
    inflow_targets: tuple[TargetCurve, ...] = ()


def batch_edges(paths: int, block: int = 1) -> NDArray[np.intp]:
    """Edges of up to BATCHES contiguous batches of paths, each a multiple of `block` paths
    (so antithetic pairs, which live inside one block, never straddle two batches)."""
    blocks = -(-paths // block)
    count = max(1, min(BATCHES, blocks))
    cuts = np.linspace(0, blocks, count + 1).round().astype(np.intp) * block
    cuts[-1] = paths
    return np.unique(np.minimum(cuts, paths))


def batch_mean_se(data: NDArray[Any], edges: NDArray[np.intp]) -> NDArray[np.float64]:
    """Standard error of each row's mean by batch means over the path axis (rows = years).

    Valid for dependent paths inside a batch (antithetic pairs); needs 2 or more batches, else
    falls back to the i.i.d. formula."""
    n = data.shape[1]
    if len(edges) < 3:
        sd: NDArray[np.float64] = data.std(axis=1, dtype=np.float64, ddof=1) / np.sqrt(n)
        return sd
    sizes_i = np.diff(edges)
    if np.all(sizes_i[:-1] == sizes_i[0]):  # equal batches but the last: one reshape and sum
        m, head = int(sizes_i[0]), int(sizes_i[0]) * (len(sizes_i) - 1)
        block = data[:, :head].reshape(data.shape[0], -1, m)
        sums = np.concatenate(
            [
                block.sum(axis=2, dtype=np.float64),
                data[:, head:].sum(axis=1, dtype=np.float64)[:, None],
            ],
            axis=1,
        )
    else:
        sums = np.add.reduceat(data, edges[:-1], axis=1, dtype=np.float64)
    sizes = sizes_i.astype(np.float64)
    means = sums / sizes
    overall = sums.sum(axis=1) / n
    b = len(sizes)
    var = (b / (b - 1)) * ((sizes**2) * (means - overall[:, None]) ** 2).sum(axis=1) / n**2
    out: NDArray[np.float64] = np.sqrt(var)
    return out


def order_ranks(n: int, pct: tuple[float, ...]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """0-based ranks of the order statistics that bound each percentile with 95% confidence
    (normal approximation to the binomial count below the percentile)."""
    p = np.asarray(pct) / 100.0
    half = Z_TWO_SIDED_95 * np.sqrt(n * p * (1.0 - p))
    lo = np.clip(np.floor(n * p - half).astype(np.intp) - 1, 0, n - 1)
    hi = np.clip(np.ceil(n * p + half).astype(np.intp), 0, n - 1)
    return lo, hi


def fan(
    series: str,
    data: NDArray[Any],
    ranked: NDArray[Any] | None = None,
    mean_se: NDArray[Any] | None = None,
) -> Fan:
    """Percentile fan of a (years, paths) array (NumPy's "linear" percentiles), from its rows
    sorted (`ranked`, when the caller already has them): a SIMD sort beats selection here.
    `mean_se` (batch means) is computed on the unsorted data by the caller when given."""
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
    lo, hi = order_ranks(n, PERCENTILES)
    low = ranked[:, lo].astype(np.float64)
    high = ranked[:, hi].astype(np.float64)
    return Fan(
        series,
        PERCENTILES,
        tuple(tuple(float(v) for v in row) for row in q),
        tuple(float(v) for v in mean),
        () if mean_se is None else tuple(float(v) for v in mean_se),
        tuple(tuple(float(v) for v in row) for row in low),
        tuple(tuple(float(v) for v in row) for row in high),
    )


def mirror(source: Fan, series: str) -> Fan:
    """The fan of 1 - X from the fan of X: p_k(1 - X) = 1 - p_{100-k}(X)."""
    assert source.percentiles == tuple(100.0 - p for p in reversed(source.percentiles))

    def flip(rows: tuple[tuple[float, ...], ...]) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(1.0 - v for v in reversed(row)) for row in rows)

    return Fan(
        series,
        source.percentiles,
        flip(source.values),
        tuple(1.0 - m for m in source.mean),
        source.mean_se,
        flip(source.high),
        flip(source.low),
    )


def target_curves(
    cum: NDArray[Any],
    targets: tuple[float, ...],
    ranked: NDArray[Any] | None = None,
    measure: str = "cum_inflow",
) -> tuple[TargetCurve, ...]:
    """Exceedance by year for each target from a (years, paths) measure.

    Cumulative inflow never falls, so "by year T" equals "at year T"; U.S. value is read in the
    year, as the books read it on a date. Each year is sorted once (or `ranked` is given
    already sorted) and every target is a binary search.
    """
    n = cum.shape[1]
    if ranked is None:
        ranked = np.sort(cum, axis=1)
    below = np.stack([np.searchsorted(row, targets, side="left") for row in ranked])
    hits = n - below  # (years, targets)
    p = hits / n
    se = np.sqrt(p * (1.0 - p) / n)
    return tuple(
        TargetCurve(
            float(t),
            tuple(float(v) for v in p[:, k]),
            tuple(float(v) for v in se[:, k]),
            measure,
            tuple(int(v) for v in hits[:, k]),
        )
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
    """P(cumulative inflow >= target by `year`) and its standard error, for a run's inflow
    targets or grid points (the nearest grid point at or above the target when not exact)."""
    idx = -1 if year is None else run.calendar_years.index(year)
    for curve in (*run.inflow_targets, *run.targets):
        if curve.measure != "cum_inflow":
            continue
        if curve.target_usd == target_usd:
            return curve.prob[idx], curve.se[idx]
    above = [c for c in run.grid if c.target_usd >= target_usd * (1 - 1e-12)]
    curve = above[0] if above else run.grid[-1]
    return curve.prob[idx], curve.se[idx]
