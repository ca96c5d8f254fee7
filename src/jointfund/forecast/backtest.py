"""Backtest: the forecast as of an earlier day, against what the books recorded after it.

The engine runs from the books' state on the as-of day (forecast.start) over the years the
books have since recorded; for every year and series, the observed value's percentile among
the paths (mid-rank: ties count half) says where it falls in the fan, and whether it lies in
the central 50 % band (percentile 25-75) and the 90 % band (5-95). Coverage is the share of
observed years inside each band; a calibrated forecast covers about 50 % and 90 % over many.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jointfund.errors import InputError, Problem
from jointfund.forecast.engine import run_chunk
from jointfund.forecast.model import compile_model
from jointfund.forecast.scenario import Scenario
from jointfund.forecast.start import StartPoint
from jointfund.i18n.message import Message

SERIES = ("receipts", "inflow", "nav", "capital_ua")
FAN_POINTS = (5.0, 25.0, 50.0, 75.0, 95.0)
_CHUNK = 8192


@dataclass(frozen=True, slots=True)
class BacktestYear:
    """One series in one year: what the books recorded and where it falls among the paths."""

    year: int
    observed: float
    percentile: float
    in_50: bool
    in_90: bool
    fan: tuple[float, ...]  # the paths' values at FAN_POINTS


@dataclass(frozen=True, slots=True)
class Backtest:
    """Every series' years and its coverage of the 50 % and 90 % bands."""

    scenario: str
    as_of: str
    first_year: int
    paths: int
    seed_entropy: int
    series: Mapping[str, tuple[BacktestYear, ...]]

    def coverage(self, name: str) -> dict[str, float | int | None]:
        """Share of a series' observed years inside the 50 % and 90 % bands."""
        rows = self.series[name]
        n = len(rows)
        return {
            "years": n,
            "band_50": sum(r.in_50 for r in rows) / n if n else None,
            "band_90": sum(r.in_90 for r in rows) / n if n else None,
        }


def percentile_of(values: NDArray[np.float64], observed: float) -> float:
    """Where `observed` falls among `values`, in percent (mid-rank: ties count half)."""
    below = np.count_nonzero(values < observed)
    equal = np.count_nonzero(values == observed)
    return float(100.0 * (below + 0.5 * equal) / values.size)


def place(year: int, values: NDArray[np.float64], observed: float) -> BacktestYear:
    """One observed value placed in the paths' distribution."""
    pct = percentile_of(values, observed)
    return BacktestYear(
        year=year,
        observed=observed,
        percentile=pct,
        in_50=25.0 <= pct <= 75.0,
        in_90=5.0 <= pct <= 95.0,
        fan=tuple(float(v) for v in np.percentile(values, FAN_POINTS)),
    )


def simulate_years(
    scenario: Scenario, start: StartPoint, years: int, paths: int, entropy: int
) -> dict[str, NDArray[np.float64]]:
    """Per series, (years, paths) values from the engine's own chunks (receipts: the fund's
    share paid in the year after the as-of day; inflow: credited by transfers in the year)."""
    model = compile_model(scenario, years, start)
    found = {k: np.empty((years, paths)) for k in SERIES}
    for a in range(0, paths, _CHUNK):
        b = min(a + _CHUNK, paths)
        out = run_chunk(model, entropy, a, b, False)
        found["receipts"][:, a:b] = out.raw_inflow
        found["inflow"][:, a:b] = out.inflow
        found["nav"][:, a:b] = out.nav
        found["capital_ua"][:, a:b] = out.capital_ua
    return found


def run_backtest(
    scenario: Scenario,
    start: StartPoint,
    observed: Mapping[str, Mapping[int, float]],
    *,
    paths: int,
    seed: int | None,
) -> Backtest:
    """Run the engine from `start` and place every observed (series, year) value in its fan.

    `observed` holds U.S. dollars per series (SERIES) and calendar year from the first year.
    """
    years_seen = sorted({y for by in observed.values() for y in by})
    problems = []
    if paths < 2:
        problems.append(Problem(Message("need at least {count} paths", count=2), field="paths"))
    if not years_seen or years_seen[0] < start.first_year:
        problems.append(
            Problem(
                Message(
                    "the books record no year from {year} on to compare with",
                    year=start.first_year,
                ),
                field="from",
                expected=Message(
                    "a day before the last year the books hold (after {day})", day=start.as_of
                ),
            )
        )
    unknown = sorted(set(observed) - set(SERIES))
    if unknown:
        problems.append(Problem(Message("unknown series {names}", names=unknown), field="series"))
    if problems:
        raise InputError(problems)
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    horizon = years_seen[-1] - start.first_year + 1
    sims = simulate_years(scenario, start, horizon, paths, entropy)
    series = {
        name: tuple(
            place(year, sims[name][year - start.first_year], value)
            for year, value in sorted(by.items())
        )
        for name, by in observed.items()
    }
    return Backtest(
        scenario=scenario.name,
        as_of=start.as_of.isoformat(),
        first_year=start.first_year,
        paths=paths,
        seed_entropy=entropy,
        series=series,
    )


def backtest_dict(result: Backtest) -> dict[str, object]:
    """Plain JSON values: one shape for the CLI's --json and any other surface."""
    return {
        "scenario": result.scenario,
        "as_of": result.as_of,
        "first_year": result.first_year,
        "paths": result.paths,
        "seed_entropy": result.seed_entropy,
        "bands": {"band_50": [25.0, 75.0], "band_90": [5.0, 95.0]},
        "series": {
            name: {
                "coverage": result.coverage(name),
                "years": [
                    {
                        "year": r.year,
                        "observed_usd": r.observed,
                        "percentile": r.percentile,
                        "in_band_50": r.in_50,
                        "in_band_90": r.in_90,
                        "fan_usd": dict(
                            zip(("p5", "p25", "p50", "p75", "p95"), r.fan, strict=True)
                        ),
                    }
                    for r in rows
                ],
            }
            for name, rows in result.series.items()
        },
    }
