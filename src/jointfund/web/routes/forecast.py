"""The forecast: run form, progress, charts of a run, and scenario comparison."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.forecast import ForecastRun, compare_runs, scenario_names, upper_bound_95
from jointfund.governance import require
from jointfund.web.context import Context
from jointfund.web.csrf import CheckedForm, text
from jointfund.web.figures import comparison, run_figures
from jointfund.web.forecast_jobs import MAX_PATHS, MAX_YEARS, check_request
from jointfund.web.identity import CurrentUser
from jointfund.web.responses import page, redirect
from jointfund.web.route import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
_BN = 1e9


def _usd(value: float) -> str:
    return f"${value / _BN:,.2f} bn" if abs(value) >= 1e8 else f"${value / 1e6:,.1f} m"


def run_summary(run: ForecastRun) -> dict[str, Any]:
    """The headline numbers of a run, at its final year."""
    m = run.manifest
    cum = run.fans["cum_inflow"].values[-1]
    return {
        "scenario": m.scenario,
        "paths": m.paths,
        "years": m.years,
        "first_year": run.calendar_years[0],
        "last_year": run.calendar_years[-1],
        "seed": m.seed_entropy,
        "cum_inflow": {"p5": _usd(cum[0]), "median": _usd(cum[2]), "p95": _usd(cum[4])},
        "targets": [
            {
                "target": _usd(t.target_usd),
                "probability": f"{t.prob[-1]:.2%}",
                "se": f"±{t.se[-1]:.2%}",
                "upper95": f"{upper_bound_95(t.prob[-1], m.paths):.4%}",
            }
            for t in run.targets
        ],
        "survival": [
            {
                "partner": s.partner,
                "basis": s.basis,
                "never": f"{s.never:.2%}",
                "se": f"±{s.never_se:.2%}",
            }
            for s in run.survival
        ],
    }


@router.get("/forecast")
def forecast_page(request: Request, ctx: Context, user: CurrentUser) -> Response:
    """The run form, saved runs, and the comparison form."""
    require(user, "forecast.run")
    data = {
        "scenarios": scenario_names(),
        "defaults": {"scenario": "base", "paths": 2000, "seed": 20250430, "years": 40},
        "limits": {"paths": MAX_PATHS, "years": MAX_YEARS},
        "runs": ctx.jobs.saved(),
    }
    return page(request, ctx, "forecast.html", data, title="Forecast")


@router.post("/forecast/runs")
def start_run(request: Request, ctx: Context, user: CurrentUser, form: CheckedForm) -> Response:
    """Queue a run from the form and go to its page, which polls its progress."""
    require(user, "forecast.run")
    wanted = check_request(
        text(form, "scenario"),
        text(form, "paths"),
        text(form, "seed"),
        text(form, "years"),
        bool(text(form, "tornado")),
        scenario_names(),
    )
    state = ctx.jobs.submit(wanted)
    return redirect(request, ctx, f"/forecast/runs/{state.id}", {"id": state.id})


@router.get("/forecast/runs/{run_id}")
def run_page(request: Request, ctx: Context, user: CurrentUser, run_id: str) -> Response:
    """A run: its progress while it runs, then its charts and headline numbers."""
    require(user, "forecast.run")
    data: dict[str, Any] = {"id": run_id, "status": "done", "progress": 1.0, "error": ""}
    if ctx.jobs.saved_dir(run_id) is None:
        state = ctx.jobs.state(run_id)
        data |= {"status": state.status, "progress": state.fraction, "error": state.error}
        data |= {"paths": state.request.paths, "done_paths": state.done_paths}
    if data["status"] == "done":
        run = ctx.jobs.load(run_id)
        data |= {"summary": run_summary(run), "figures": run_figures(run)}
    return page(request, ctx, "forecast_run.html", data, title=f"Forecast {run_id}")


@router.get("/forecast/compare")
def compare_page(
    request: Request, ctx: Context, user: CurrentUser, a: str = "", b: str = ""
) -> Response:
    """Deltas B − A of two saved runs, paired on common random numbers when they share them."""
    require(user, "forecast.run")
    if not a or not b:
        raise InputError(
            [Problem("choose two saved runs", field=f) for f, v in (("a", a), ("b", b)) if not v]
        )
    result = compare_runs(ctx.jobs.load(a), ctx.jobs.load(b))
    data = {
        "a": a,
        "b": b,
        "paired": result.paired,
        "scenario_a": result.scenario_a,
        "scenario_b": result.scenario_b,
        "deltas": [
            {
                "output": d.output,
                "a": f"{d.a:,.4g}",
                "b": f"{d.b:,.4g}",
                "delta": f"{d.delta:,.4g}",
                "se": f"±{(d.se_paired if d.se_paired is not None else d.se_unpaired):,.3g}",
            }
            for d in result.deltas
        ],
        "figures": {"comparison": comparison(result)},
    }
    return page(request, ctx, "forecast_compare.html", data, title="Scenario comparison")
