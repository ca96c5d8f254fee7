"""The forecast: run form, progress, charts of a run, and scenario comparison."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.forecast import (
    LICENCE_SHIFT,
    PRICE_FACTOR,
    Levers,
    compare_runs,
    scenario_names,
    term_sheets,
)
from jointfund.fund.forecast_run_status import RunState
from jointfund.fund.forecast_runs import (
    DEFAULT_PATHS,
    DEFAULT_SEED,
    DEFAULT_WHATIF_PATHS,
    MAX_PATHS,
    MAX_YEARS,
    RunRequest,
    WhatIf,
)
from jointfund.governance import require
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.plotly_figures import comparison, run_figures, whatif_figures
from jointfund.http.pages.responses import page, redirect, wants_json
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.run_words import deltas, run_summary
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext, localise_numbers
from jointfund.i18n.message import Message, localised

router = APIRouter(route_class=PageRoute, include_in_schema=False)


TERRITORIES = {
    "moderate": N_("moderate risk both ways (as the term sheet's scenario)"),
    "frozen": N_("front line frozen: no deposit changes control"),
    "return": N_("gradual return of occupied areas"),
}
IN_KIND = {
    "usai": N_("USAI $400 m a year in 2026-27 (as the term sheet's scenario)"),
    "none": N_("none: the U.S. capital is DFC cash alone"),
    "larger": N_("larger: USAI, then $1 bn-median packages from 2028"),
}
TERM_SHEET_NAMES = {
    "terms-2025-02-21": N_("21 Feb 2025 draft"),
    "terms-2025-02-26": N_("26 Feb 2025 framework"),
    "terms-2025-03": N_("March 2025 U.S. draft"),
    "terms-2025-04-30": N_("30 Apr 2025 agreement"),
}
WHATIF_DEFAULTS: dict[str, str] = {
    "scenario": "terms-2025-04-30",
    "price_factor": "1",
    "licence_shift": "0",
    "territory": "moderate",
    "in_kind": "usai",
    "paths": str(DEFAULT_WHATIF_PATHS),
    "seed": str(DEFAULT_SEED),
    "years": "40",
}


def _forecast_data(
    ctx: Any, user: Any, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    done = [r for r in ctx.runs.list(user) if r.state is RunState.DONE]
    return {
        "scenarios": scenario_names(),
        "defaults": {"scenario": "base", "paths": DEFAULT_PATHS, "seed": DEFAULT_SEED, "years": 40},
        "limits": {"paths": MAX_PATHS, "years": MAX_YEARS},
        "runs": [r.id for r in done],
        "labels": {r.id: r.scenario for r in done},
        "whatif": {
            "term_sheets": [
                {"id": t, "name": gettext(TERM_SHEET_NAMES.get(t, t))} for t in term_sheets()
            ],
            "territories": [{"id": k, "name": gettext(v)} for k, v in TERRITORIES.items()],
            "in_kind": [{"id": k, "name": gettext(v)} for k, v in IN_KIND.items()],
            "limits": {
                "price_factor": list(PRICE_FACTOR),
                "licence_shift": list(LICENCE_SHIFT),
            },
            "form": WHATIF_DEFAULTS | (values or {}),
            "errors": errors or {},
            "first_error": next(
                (k for k in WHATIF_DEFAULTS if k in (errors or {})), next(iter(errors or {}), "")
            ),
        },
    }


@router.get("/forecast")
def forecast_page(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """The run form, the what-if form, saved runs, and the comparison form."""
    require(user, "forecast.run")
    return page(request, ctx, "forecast.html", _forecast_data(ctx, user), title=N_("Forecast"))


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


@router.post("/forecast/whatif")
def start_whatif(request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm) -> Response:
    """Queue a what-if (a term sheet with its levers moved) paired with its base run; a bad
    lever shows the form again with the problem next to its field."""
    require(user, "forecast.run")
    values = {k: text(form, k) for k in WHATIF_DEFAULTS}
    problems: list[Problem] = []

    def read(field: str, kind: type[int] | type[float]) -> Any:
        raw = values[field].replace(",", ".") if kind is float else values[field]
        try:
            return kind(raw)
        except ValueError:
            problems.append(
                Problem(Message("{value!r} is not a number", value=values[field]), field=field)
            )
            return kind(WHATIF_DEFAULTS[field])

    levers = Levers(
        price_factor=read("price_factor", float),
        licence_shift=read("licence_shift", int),
        territory=values["territory"],  # type: ignore[arg-type]  # checked by the use case
        in_kind=values["in_kind"],  # type: ignore[arg-type]
    )
    wanted = RunRequest(
        scenario=values["scenario"],
        paths=read("paths", int),
        years=read("years", int),
        seed=read("seed", int) if values["seed"] else None,
    )
    try:
        if problems:
            raise InputError(problems)
        started = ctx.runs.start_whatif(user, wanted, levers)
    except InputError as exc:
        if wants_json(request):
            raise
        errors = {p.field or "scenario": _field_error(p) for p in exc.problems}
        data = _forecast_data(ctx, user, values, errors)
        return page(request, ctx, "forecast.html", data, title=N_("Forecast"), status=422)
    return redirect(request, ctx, f"/forecast/runs/{started.id}", {"id": started.id})


def _field_error(problem: Problem) -> str:
    """A form field's problem in the language in force."""
    expected = problem.expected or ""
    low, dots, high = expected.partition("..")
    if dots:
        return gettext(N_("Out of range: from {low} to {high}.")).format(
            low=localise_numbers(low), high=localise_numbers(high)
        )
    if expected:
        return gettext(N_("Not one of the choices offered ({expected}).")).format(expected=expected)
    return gettext(N_("Not a number."))


def _number(value: str, field: str) -> int:
    """A whole number typed into the form, or a located error."""
    try:
        return int(value)
    except ValueError:
        raise InputError(
            [Problem(Message("{value!r} is not a whole number", value=value), field=field)]
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
        "error": localised(status.error),
        "paths": status.total,
        "done_paths": status.done,
    }
    whatif = ctx.runs.whatif(user, run_id)
    if whatif is not None:
        data["whatif"] = _levers_in_words(whatif)
    if status.state is RunState.DONE:
        run = ctx.runs.load(user, run_id)
        data |= {"summary": run_summary(run)}
        if whatif is None:
            data["figures"] = run_figures(run)
        else:
            base = ctx.runs.load(user, whatif.base_run)
            result = compare_runs(base, run)
            counts = run.manifest.census or {}
            data |= {
                "caveat": gettext(
                    N_(
                        "Conditional on the assumptions of the {sheet} scenario with the levers "
                        "above, not a prediction: {assumed} of its {total} numbers are "
                        "assumptions (named, not sourced; each number a lever moved is named as "
                        "a what-if assumption) and {sourced} are stated by a source."
                    )
                ).format(
                    sheet=data["whatif"]["term_sheet"],
                    assumed=counts.get("assumed", 0),
                    total=sum(counts.values()),
                    sourced=counts.get("sourced", 0),
                ),
                "paired": result.paired,
                "deltas": deltas(result),
                "figures": whatif_figures(base, run),
            }
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
                Problem(Message("choose two saved runs"), field=f)
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
        "deltas": deltas(result),
        "figures": {"comparison": comparison(result)},
    }
    return page(request, ctx, "forecast_compare.html", data, title=N_("Scenario comparison"))


def _levers_in_words(whatif: WhatIf) -> dict[str, Any]:
    """A what-if's term sheet and levers in the language in force, with its base run."""
    lv = whatif.levers
    return {
        "base_run": whatif.base_run,
        "term_sheet": gettext(TERM_SHEET_NAMES.get(whatif.base_scenario, whatif.base_scenario)),
        "levers": [
            {
                "name": gettext(N_("Price level")),
                "value": gettext(N_("× {factor} on every price path")).format(
                    factor=f"{lv.price_factor:g}"
                ),
                "moved": lv.price_factor != 1.0,
            },
            {
                "name": gettext(N_("Licence timing")),
                "value": gettext(N_("{years:+d} years on every licence date")).format(
                    years=lv.licence_shift
                ),
                "moved": lv.licence_shift != 0,
            },
            {
                "name": gettext(N_("Territory")),
                "value": gettext(TERRITORIES[lv.territory]),
                "moved": lv.territory != "moderate",
            },
            {
                "name": gettext(N_("In kind")),
                "value": gettext(IN_KIND[lv.in_kind]),
                "moved": lv.in_kind != "usai",
            },
        ],
    }
