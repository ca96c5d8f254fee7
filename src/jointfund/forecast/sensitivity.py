"""Tornado sensitivity: each input at its 10th and 90th percentile, others at base, same seed."""

from __future__ import annotations

from typing import Any

import numpy as np

from jointfund.errors import InputError, Problem
from jointfund.forecast.results import ForecastRun, Tornado, TornadoBar, p_target
from jointfund.forecast.scenario import Scenario, with_overrides
from jointfund.i18n.message import Message

OUTPUTS = ("cum_inflow_mean", "cum_inflow_p50", "nav_p50", "p_target:<usd>")


def output_value(run: ForecastRun, output: str) -> float:
    """A named scalar output of a run, at the final year."""
    if output == "cum_inflow_mean":
        return float(np.mean(run.path_metrics["final_cum_inflow"]))
    if output == "cum_inflow_p50":
        return run.fans["cum_inflow"].values[-1][2]
    if output == "nav_p50":
        return run.fans["nav"].values[-1][2]
    if output.startswith("p_target:"):
        return p_target(run, float(output.split(":", 1)[1]))[0]
    raise InputError(
        [
            Problem(
                Message("unknown output {output!r}", output=output),
                field="sensitivity.output",
                expected=Message("{choices}", choices=", ".join(OUTPUTS)),
            )
        ]
    )


def tornado(scenario: Scenario, *, output: str | None = None, **run_args: Any) -> Tornado:
    """Swing of `output` as each input moves from p10 to p90, on common random numbers."""
    from jointfund.forecast.runner import run_forecast

    output = output or scenario.model.sensitivity.output
    # Every output above reads the plain paths: the importance-sampling estimate each run
    # would add (about a second at 400 paths) is never read here.
    run_args = {"rare_events": False, **run_args}
    base = output_value(run_forecast(scenario, **run_args), output)
    bars = []
    for inp in scenario.model.sensitivity.inputs:
        values = []
        for level in (inp.p10, inp.p90):
            variant = with_overrides(scenario, {inp.path: level})
            values.append(output_value(run_forecast(variant, **run_args), output))
        bars.append(TornadoBar(inp.name, inp.path, inp.p10, inp.p90, values[0], values[1]))
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Tornado(output, base, tuple(bars))
