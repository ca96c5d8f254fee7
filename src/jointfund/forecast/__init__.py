"""Monte Carlo forecast of fund inflows, NAV, ownership and recoupment under a term sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jointfund.forecast.fundrules import ForecastTerms
from jointfund.forecast.provenance import bundled_census, census, census_url
from jointfund.forecast.results import ForecastRun, TargetCurve, p_target, upper_bound_95
from jointfund.forecast.results_json import to_dict
from jointfund.forecast.run_deltas import Comparison, Delta, compare_runs
from jointfund.forecast.runner import run_forecast
from jointfund.forecast.scenario import Scenario, load_scenario, scenario_names
from jointfund.forecast.sensitivity import tornado
from jointfund.forecast.storage import load_run, save_run
from jointfund.forecast.uncertainty import said as parameters_said
from jointfund.forecast.whatif import (
    IN_KIND_SOURCE,
    LICENCE_SHIFT,
    PRICE_FACTOR,
    TERRITORY_SOURCE,
    Levers,
    check_levers,
    derive,
    term_sheets,
)

if TYPE_CHECKING:
    from jointfund.forecast.run_charts import render_charts

__all__ = [
    "IN_KIND_SOURCE",
    "LICENCE_SHIFT",
    "PRICE_FACTOR",
    "TERRITORY_SOURCE",
    "Comparison",
    "Delta",
    "ForecastRun",
    "ForecastTerms",
    "Levers",
    "Scenario",
    "TargetCurve",
    "bundled_census",
    "census",
    "census_url",
    "check_levers",
    "compare_runs",
    "derive",
    "load_run",
    "load_scenario",
    "p_target",
    "parameters_said",
    "render_charts",
    "run_forecast",
    "save_run",
    "scenario_names",
    "summary_json",
    "term_sheets",
    "tornado",
    "upper_bound_95",
]


def summary_json(run: ForecastRun) -> dict[str, Any]:
    """The run's JSON-ready summary (what `results.json` holds)."""
    return to_dict(run)


def __getattr__(name: str) -> Any:
    """`render_charts` on first use: it loads matplotlib, which most commands never need."""
    if name == "render_charts":
        from jointfund.forecast.run_charts import render_charts

        return render_charts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
