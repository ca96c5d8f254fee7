"""The backtest figures quoted in docs/forecast-methods.md: the base scenario run from the
example fund's books on an earlier day, against what the books recorded after it.
Run: .venv/bin/python benchmarks/forecast_backtest_figures.py [--paths 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from jointfund.forecast import load_scenario
from jointfund.fund.demo import build_demo
from jointfund.fund.forecast_books import forecast_backtest, forecast_start
from jointfund.governance import Role
from jointfund.store import open_database
from jointfund.store.users import list_users

SEED = 20250430


def main() -> None:
    """Build the example fund in a temporary file and backtest base from two days."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "fund.db"))
        build_demo(db, runs_dir=Path(folder) / "runs")
        with db.read() as tx:
            auditor = next(u for u in list_users(tx) if u.role is Role.AUDITOR)
        scenario = load_scenario("base")
        for day in (date(2025, 6, 30), date(2025, 12, 31)):
            start = forecast_start(db, auditor, scenario, as_of=day)
            print(f"\n## from {day}: start {start}")
            t0 = time.perf_counter()
            result = forecast_backtest(
                db, auditor, scenario, from_day=day, paths=args.paths, seed=SEED
            )
            took = time.perf_counter() - t0
            print(f"{args.paths:,} paths, seed {SEED}, {took:.1f} s")
            print(
                "| series | year | observed | percentile | P5 | P25 | P50 | P75 | P95 | 50 % | 90 % |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|---|")
            for name, rows in result.series.items():
                for r in rows:
                    fan = " | ".join(f"{v / 1e6:,.3f}" for v in r.fan)
                    print(
                        f"| {name} | {r.year} | {r.observed / 1e6:,.3f} | {r.percentile:.1f} | "
                        f"{fan} | {'in' if r.in_50 else 'out'} | {'in' if r.in_90 else 'out'} |"
                    )
            for name in result.series:
                print(name, result.coverage(name))


if __name__ == "__main__":
    main()
