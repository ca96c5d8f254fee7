"""Scenario comparison: deltas of key outputs with paired (common-random-number) errors."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.results import ForecastRun


@dataclass(frozen=True, slots=True)
class Delta:
    """b - a for one output; se_paired is None when the runs do not share random numbers."""

    output: str
    a: float
    b: float
    delta: float
    se_paired: float | None
    se_unpaired: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """All deltas between two runs and whether they were paired on common random numbers."""

    scenario_a: str
    scenario_b: str
    paired: bool
    deltas: tuple[Delta, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def _delta(name: str, xa: NDArray[Any], xb: NDArray[Any], paired: bool) -> Delta:
    n_a, n_b = len(xa), len(xb)
    se_unpaired = math.sqrt(float(np.var(xa, ddof=1)) / n_a + float(np.var(xb, ddof=1)) / n_b)
    se_paired = None
    if paired:
        d = xb.astype(np.float64) - xa
        se_paired = math.sqrt(float(np.var(d, ddof=1)) / n_a)
    ma, mb = float(np.mean(xa)), float(np.mean(xb))
    return Delta(name, ma, mb, mb - ma, se_paired, se_unpaired)


def compare_runs(a: ForecastRun, b: ForecastRun) -> Comparison:
    """Deltas (b - a) of mean cumulative inflow, mean NAV, P(targets) and P(recouped)."""
    ma, mb = a.manifest, b.manifest
    paired = (
        ma.seed_entropy == mb.seed_entropy
        and ma.paths == mb.paths
        and ma.antithetic == mb.antithetic
        and ma.years == mb.years
        and ma.start_year == mb.start_year
    )
    pa, pb = a.path_metrics, b.path_metrics
    deltas = [
        _delta(
            "mean cumulative inflow (final year)",
            pa["final_cum_inflow"],
            pb["final_cum_inflow"],
            paired,
        ),
        _delta("mean NAV (final year)", pa["final_nav"], pb["final_nav"], paired),
    ]
    if "final_us_value" in pa and "final_us_value" in pb:
        deltas.append(
            _delta(
                "mean U.S. recoupment (final year)",
                pa["final_us_value"],
                pb["final_us_value"],
                paired,
            )
        )
        for t in sorted(
            {c.target_usd for c in (*a.targets, *b.targets) if c.measure == "us_value"}
        ):
            deltas.append(
                _delta(
                    f"P(U.S. recoupment >= {t:,.0f})",
                    (pa["final_us_value"] >= t).astype(np.float64),
                    (pb["final_us_value"] >= t).astype(np.float64),
                    paired,
                )
            )
    curves = (*a.targets, *a.inflow_targets, *b.targets, *b.inflow_targets)
    targets = sorted({c.target_usd for c in curves})
    for t in targets:
        deltas.append(
            _delta(
                f"P(total inflow >= {t:,.0f})",
                (pa["final_cum_inflow"] >= t).astype(np.float64),
                (pb["final_cum_inflow"] >= t).astype(np.float64),
                paired,
            )
        )
    for row, label in enumerate(["US cash", "UA cash", "US value", "UA value"]):
        deltas.append(
            _delta(
                f"P(recouped within horizon, {label})",
                (pa["recoup"][row] >= 0).astype(np.float64),
                (pb["recoup"][row] >= 0).astype(np.float64),
                paired,
            )
        )
    return Comparison(ma.scenario, mb.scenario, paired, tuple(deltas))
