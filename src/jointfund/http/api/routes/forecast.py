"""Forecast runs: start one in the background, poll its progress, fetch its results."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, status

from jointfund.errors import InputError, NotFoundError
from jointfund.forecast import Levers, bundled_census, scenario_names
from jointfund.fund.forecast_runs import RunRequest
from jointfund.governance import User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.forecast import RunIn, RunOut, WhatIfIn, run_out
from jointfund.http.state import RunsDep
from jointfund.i18n.message import Message

router = APIRouter(prefix="/api/forecast", tags=["forecast"], responses=ERROR_RESPONSES)
Forecaster = Annotated[User, Depends(Permit("forecast.run"))]
RunId = Annotated[str, Path(max_length=128)]
ScenarioName = Annotated[str, Path(max_length=64)]


@router.get("/scenarios", response_model=list[str])
def scenarios(user: Forecaster) -> list[str]:
    """The bundled scenarios a run may use."""
    return scenario_names()


@router.get("/scenarios/{name}/provenance", response_model=dict[str, Any])
def scenario_provenance(user: Forecaster, name: ScenarioName) -> dict[str, Any]:
    """Census of a bundled scenario's numbers: each sourced (with its quote) or assumed (named),
    and the share of the expected inflow it enters; every run's results link here."""
    if name not in scenario_names():
        raise NotFoundError(Message("no bundled scenario named {name!r}", name=name))
    return bundled_census(name).as_dict()


@router.post("/runs", response_model=RunOut, status_code=status.HTTP_202_ACCEPTED)
def start_run(runs: RunsDep, user: Forecaster, body: RunIn) -> RunOut:
    """Start a run in the background; poll `url` for progress, then fetch `results`."""
    request = RunRequest(body.scenario, body.paths, body.years, body.seed, body.antithetic)
    return run_out(runs.start(user, request))


@router.post("/whatif", response_model=RunOut, status_code=status.HTTP_202_ACCEPTED)
def start_whatif(runs: RunsDep, user: Forecaster, body: WhatIfIn) -> RunOut:
    """Start a what-if in the background (the page's form over JSON, through the same runner):
    poll `url`; its results carry the levers, and the base run is listed beside it."""
    request = RunRequest(body.term_sheet, body.paths, body.years, body.seed, False)
    levers = Levers(body.price_factor, body.licence_shift, body.territory, body.in_kind)
    try:
        return run_out(runs.start_whatif(user, request, levers))
    except InputError as exc:  # the body names the scenario `term_sheet`
        raise InputError(
            [replace(p, field="term_sheet") if p.field == "scenario" else p for p in exc.problems]
        ) from None


@router.get("/runs", response_model=list[RunOut])
def list_runs(runs: RunsDep, user: Forecaster) -> list[RunOut]:
    """Every run saved under the runs directory, newest first."""
    return [run_out(s) for s in runs.list(user)]


@router.get("/runs/{run_id}", response_model=RunOut)
def run_status(runs: RunsDep, user: Forecaster, run_id: RunId) -> RunOut:
    """A run's progress: paths done of total, and its state."""
    return run_out(runs.status(user, run_id))


@router.get("/runs/{run_id}/results", response_model=dict[str, Any])
def run_results(runs: RunsDep, user: Forecaster, run_id: RunId) -> dict[str, Any]:
    """A finished run's summary (fans, P(target), survival); 409 while it still runs."""
    return runs.results(user, run_id)
