"""The forecast: run form, progress, charts of a run, and scenario comparison."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.forecast import (
    ForecastRun,
    TargetCurve,
    census_url,
    compare_runs,
    scenario_names,
    upper_bound_95,
)
from jointfund.fund.forecast_runs import (
    DEFAULT_PATHS,
    DEFAULT_SEED,
    MAX_PATHS,
    MAX_YEARS,
    RunRequest,
    RunState,
)
from jointfund.governance import require
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.plotly_figures import comparison, run_figures
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext

router = APIRouter(route_class=PageRoute, include_in_schema=False)
_BN = 1e9


def _usd(value: float) -> str:
    if abs(value) >= 1e8:
        return gettext(N_("${amount} bn")).format(amount=f"{value / _BN:,.2f}")
    return gettext(N_("${amount} m")).format(amount=f"{value / 1e6:,.1f}")


def _target(t: TargetCurve, paths: int, what: str) -> dict[str, str]:
    """One target's final-year probability, its error and its estimator, as shown."""
    rare = t.rare
    if rare is not None and rare.hits > 0:
        return {
            "target": gettext(what).format(amount=_usd(t.target_usd)),
            "probability": f"{rare.prob:.3g}",
            "se": f"±{rare.se:.2g}",
            "upper95": "",
            "note": gettext(N_("importance sampling: {hits} of {paths} proposal paths hit")).format(
                hits=f"{rare.hits:,}", paths=f"{rare.paths:,}"
            ),
        }
    return {
        "target": gettext(what).format(amount=_usd(t.target_usd)),
        "probability": f"{t.prob[-1]:.2%}",
        "se": f"±{t.se[-1]:.2%}",
        "upper95": f"{upper_bound_95(t.prob[-1], paths):.4%}",
        "note": "",
    }


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
        "caveat": m.caveat,
        "drawn": sorted((m.parameter_uncertainty or {}).get("commodities", {})),
        "point": list((m.parameter_uncertainty or {}).get("point_estimates", [])),
        "census_url": census_url(m.scenario),
        "targets": [_target(t, m.paths, N_("U.S. recoupment ≥ {amount}")) for t in run.targets]
        + [_target(t, m.paths, N_("total inflow ≥ {amount}")) for t in run.inflow_targets],
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
def forecast_page(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """The run form, saved runs, and the comparison form."""
    require(user, "forecast.run")
    data = {
        "scenarios": scenario_names(),
        "defaults": {"scenario": "base", "paths": DEFAULT_PATHS, "seed": DEFAULT_SEED, "years": 40},
        "limits": {"paths": MAX_PATHS, "years": MAX_YEARS},
        "runs": [r.id for r in ctx.runs.list(user) if r.state is RunState.DONE],
    }
    return page(request, ctx, "forecast.html", data, title=N_("Forecast"))


@router.post("/forecast/runs")
def start_run(request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm) -> Response:
    """Queue a run from the form and go to its page, which polls its progress."""
    require(user, "forecast.run")
    seed = text(form, "seed")
    wanted = RunRequest(
        scenario=text(form, "scenario"),
        paths=_number(text(form, "paths"), "paths"),
        years=_number(text(form, "years"), "years"),
        seed=_number(seed, "seed") if seed else None,
        tornado=bool(text(form, "tornado")),
    )
    started = ctx.runs.start(user, wanted)
    return redirect(request, ctx, f"/forecast/runs/{started.id}", {"id": started.id})


def _number(value: str, field: str) -> int:
    """A whole number typed into the form, or a located error."""
    try:
        return int(value)
    except ValueError:
        raise InputError(
            [
                Problem(
                    gettext(N_("{value!r} is not a whole number")).format(value=value), field=field
                )
            ]
        ) from None


@router.get("/forecast/runs/{run_id}")
def run_page(request: Request, ctx: StateDep, user: CurrentUser, run_id: str) -> Response:
    """A run: its progress while it runs, then its charts and headline numbers."""
    require(user, "forecast.run")
    status = ctx.runs.status(user, run_id)
    data: dict[str, Any] = {
        "id": run_id,
        "status": status.state.value,
        "progress": status.fraction,
        "error": status.error or "",
        "paths": status.total,
        "done_paths": status.done,
    }
    if status.state is RunState.DONE:
        run = ctx.runs.load(user, run_id)
        data |= {"summary": run_summary(run), "figures": run_figures(run)}
    return page(
        request,
        ctx,
        "forecast_run.html",
        data,
        title=gettext(N_("Forecast {run_id}")).format(run_id=run_id),
    )


@router.get("/forecast/compare")
def compare_page(
    request: Request, ctx: StateDep, user: CurrentUser, a: str = "", b: str = ""
) -> Response:
    """Deltas B − A of two saved runs, paired on common random numbers when they share them."""
    require(user, "forecast.run")
    if not a or not b:
        raise InputError(
            [
                Problem(gettext(N_("choose two saved runs")), field=f)
                for f, v in (("a", a), ("b", b))
                if not v
            ]
        )
    result = compare_runs(ctx.runs.load(user, a), ctx.runs.load(user, b))
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
    return page(request, ctx, "forecast_compare.html", data, title=N_("Scenario comparison"))
