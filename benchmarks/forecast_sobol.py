"""Sobol sensitivity benchmark: the base scenario at N = 4,096 (N (D + 2) evaluations), wall and
CPU time against the 2-minute target, and the ratio to the plain way of evaluating (a rebuilt
scenario and a full `run_forecast` per evaluation), timed on a sample in the same run.
Run: .venv/bin/python benchmarks/forecast_sobol.py [--n 4096] [--paths 256] [--workers 2]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from jointfund.forecast import load_scenario, run_forecast
from jointfund.forecast.scenario import with_overrides
from jointfund.forecast.sobol import sobol
from jointfund.forecast.variants import factors

YEARS = 40


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _plain_per_evaluation(paths: int, sample: int) -> tuple[float, float]:
    """Wall and CPU seconds per evaluation done the plain way, over `sample` random rows."""
    scenario = load_scenario("base")
    facs = factors(scenario)
    rng = np.random.default_rng(1)
    t0, c0 = time.perf_counter(), _cpu()
    for _ in range(sample):
        values = {f.path: f.low + (f.high - f.low) * float(rng.random()) for f in facs}
        run_forecast(with_overrides(scenario, values), paths=paths, seed=7, years=YEARS)
    return (time.perf_counter() - t0) / sample, (_cpu() - c0) / sample


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--paths", type=int, default=256)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20, help="plain evaluations timed")
    args = parser.parse_args()
    scenario = load_scenario("base")
    d = len(factors(scenario))
    plain_wall, plain_cpu = _plain_per_evaluation(args.paths, args.sample)
    t0, c0 = time.perf_counter(), _cpu()
    run = sobol(
        scenario, n_base=args.n, paths=args.paths, seed=20250430, years=YEARS, workers=args.workers
    )
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    evals = run.evaluations
    print(
        f"base scenario: {d} inputs, N = {args.n:,}: {evals:,} evaluations x {args.paths} paths"
        f" x {YEARS} years, {args.workers} worker process(es)"
    )
    print(f"  wall time             {wall:8.1f} s   (target <= 120 s)")
    print(f"  CPU time (all procs)  {cpu:8.1f} s   ({cpu / evals * 1e3:.2f} ms per evaluation)")
    print(f"  evaluations per s     {evals / wall:8.0f}")
    print(
        f"  plain way, per eval   {plain_wall * 1e3:8.1f} ms wall, {plain_cpu * 1e3:.1f} ms CPU "
        f"(scenario rebuilt, run_forecast; {args.sample} timed)"
    )
    print(f"  plain way, scaled     {plain_wall * evals:8.0f} s wall for the same design")
    print(
        f"  speed-up vs plain     {plain_wall * evals / wall:8.1f}x wall, "
        f"{plain_cpu * evals / cpu:.1f}x CPU"
    )
    top = run.outputs[0]
    print(f"  output {top.output}: mean {top.mean:,.4g}")
    for i in top.indices:
        print(
            f"    {i.name:38s} S1 {i.s1:6.3f} ± {i.s1_conf:.3f}   ST {i.st:6.3f} ± {i.st_conf:.3f}"
        )


if __name__ == "__main__":
    main()
