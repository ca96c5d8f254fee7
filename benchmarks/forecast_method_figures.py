"""The figures quoted in docs/forecast-methods.md: headline outputs with their Monte Carlo errors,
the rare-event estimator against plain Monte Carlo, the error of the error, and the scenarios
that bracket the in-kind assumption.
Run: .venv/bin/python benchmarks/forecast_method_figures.py [--paths 100000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from jointfund.forecast import census, load_scenario, run_forecast
from jointfund.forecast.model import compile_model
from jointfund.forecast.rare import estimate

SEED = 20250430


def _bn(x: float) -> str:
    return f"{x / 1e9:,.3f}"


def headline(paths: int) -> None:
    """Base run: U.S. recoupment and total inflow with their errors, and every target."""
    t0 = time.perf_counter()
    run = run_forecast(load_scenario("base"), paths=paths, seed=SEED, years=40)
    print(f"\n## base, {paths:,} paths, seed {SEED} ({time.perf_counter() - t0:.1f} s)")
    print(run.manifest.caveat)
    years = run.calendar_years
    for key in ("us_value", "cum_inflow", "nav"):
        fan = run.fans[key]
        for year in (2035, 2045, 2064):
            i = years.index(year)
            q, lo, hi = fan.values[i], fan.low[i], fan.high[i]
            print(
                f"{key:10} {year}: mean {_bn(fan.mean[i])} ± {_bn(fan.mean_se[i])} bn; "
                f"P5 {_bn(q[0])} [{_bn(lo[0])}, {_bn(hi[0])}]; "
                f"P50 {_bn(q[2])} [{_bn(lo[2])}, {_bn(hi[2])}]; "
                f"P95 {_bn(q[4])} [{_bn(lo[4])}, {_bn(hi[4])}]"
            )
    for curve in (*run.targets, *run.inflow_targets):
        rare = curve.rare
        extra = ""
        if rare is not None:
            extra = (
                f"; IS {rare.prob:.3g} ± {rare.se:.2g} ({rare.hits} of {rare.paths:,} hit, "
                f"ESS {rare.ess:.0f})"
            )
        print(
            f"P({curve.measure} >= {_bn(curve.target_usd)} bn, 2064): plain "
            f"{curve.prob[-1]:.3g} ± {curve.se[-1]:.2g} ({curve.hits[-1]} hits){extra}"
        )
    for s in run.survival:
        print(
            f"P(never recouped own capital, {s.partner} {s.basis}) = {s.never:.4f} ± {s.never_se:.4f}"
        )


def rare_check(paths: int) -> None:
    """Importance sampling against plain Monte Carlo at thresholds both resolve, and its
    spread over seeds where only it does."""
    scenario = load_scenario("base")
    model = compile_model(scenario, 40)
    print("\n## importance sampling against plain Monte Carlo (final year 2064)")
    plain = run_forecast(scenario, paths=paths, seed=SEED, years=40, rare_events=False)
    entropy = plain.manifest.seed_entropy
    wanted = [(m, t) for m in ("cum_inflow", "us_value") for t in (3e9, 5e9, 10e9)]
    found = estimate(model, entropy, wanted)
    for (measure, target), est in zip(wanted, found, strict=True):
        per_path = plain.path_metrics[
            "final_cum_inflow" if measure == "cum_inflow" else "final_us_value"
        ]
        hits = np.asarray(per_path) >= target
        p = float(hits.mean())
        se = float(np.sqrt(p * (1 - p) / hits.size))
        z = (est.prob - p) / float(np.hypot(se, est.se)) if est.se or se else 0.0
        print(
            f"{measure:10} >= {target / 1e9:4.0f} bn: plain {p:.3g} ± {se:.2g} "
            f"({int(hits.sum())} hits); IS {est.prob:.3g} ± {est.se:.2g} (ESS {est.ess:.0f}); "
            f"z = {z:+.2f}"
        )
    for seed in (1, 2, 3):
        e = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
        (a, b) = estimate(model, e, [("cum_inflow", 66.9e9), ("cum_inflow", 500e9)])
        print(
            f"seed {seed}: P(total inflow >= 66.9 bn) {a.prob:.3g} ± {a.se:.2g} (ESS {a.ess:.0f});"
            f" >= 500 bn {b.prob:.3g} ± {b.se:.2g}"
        )


def error_of_error() -> None:
    """Reported batch-means s.e. of the mean against the spread over 20 seeds."""
    scenario = load_scenario("base")
    runs = [
        run_forecast(scenario, paths=5000, seed=s, years=40, rare_events=False) for s in range(20)
    ]
    for key in ("cum_inflow", "us_value"):
        means = np.asarray([r.fans[key].mean[-1] for r in runs])
        ses = np.asarray([r.fans[key].mean_se[-1] for r in runs])
        print(
            f"\n## {key} 2064 mean over 20 seeds x 5,000 paths: s.d. of means "
            f"{means.std(ddof=1) / 1e6:.1f} m; mean reported s.e. {ses.mean() / 1e6:.1f} m"
        )


def scenarios(paths: int) -> None:
    """The bundled scenarios side by side (same seed: common random numbers)."""
    print(f"\n## scenarios, {paths:,} paths, seed {SEED}")
    print(
        "scenario | total inflow 2064 mean | U.S. value 2064 mean | U.S. share P50 | P(U.S. never recoups, value)"
    )
    for name in (
        "base",
        "inkind-none",
        "inkind-larger",
        "frozen-line",
        "gradual-return",
        "terms-2025-03",
        "terms-2025-02-21",
    ):
        run = run_forecast(load_scenario(name), paths=paths, seed=SEED, years=40, rare_events=False)
        never = next(s for s in run.survival if s.partner == "US" and s.basis == "value")
        print(
            f"{name} | {_bn(run.fans['cum_inflow'].mean[-1])} ± "
            f"{_bn(run.fans['cum_inflow'].mean_se[-1])} | {_bn(run.fans['us_value'].mean[-1])} ± "
            f"{_bn(run.fans['us_value'].mean_se[-1])} | {run.fans['share_us'].values[-1][2]:.2f} | "
            f"{never.never:.3f} ± {never.never_se:.3f}"
        )


def provenance() -> None:
    """The census of the base scenario."""
    c = census(load_scenario("base"))
    print(
        f"\n## census (base): {c.counts}; mean touched {c.mean_touched}; fully sourced "
        f"{c.fully_sourced:.3f}; scale {c.scale_share}"
    )
    top = sorted(c.component_share.items(), key=lambda kv: -kv[1])[:5]
    print("largest components:", ", ".join(f"{k} {v:.1%}" for k, v in top))


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=100_000)
    args = parser.parse_args()
    provenance()
    headline(args.paths)
    rare_check(args.paths)
    error_of_error()
    scenarios(args.paths // 2)


if __name__ == "__main__":
    main()
