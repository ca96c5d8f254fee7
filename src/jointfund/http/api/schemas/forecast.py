"""Forecast shapes: a run request, a run's progress with its links, results as saved."""

from __future__ import annotations

from pydantic import BaseModel, Field

from jointfund.forecast.whatif import InKindChoice, TerritoryChoice
from jointfund.fund.forecast_run_status import RunStatus
from jointfund.fund.forecast_runs import (
    DEFAULT_PATHS,
    DEFAULT_SEED,
    MAX_PATHS,
    MAX_YEARS,
)


class RunIn(BaseModel):
    """A forecast run of a bundled scenario."""

    scenario: str = Field(examples=["base"], max_length=64)
    paths: int = Field(default=DEFAULT_PATHS, ge=2, le=MAX_PATHS)
    years: int = Field(default=40, ge=1, le=MAX_YEARS)
    seed: int | None = Field(default=DEFAULT_SEED, ge=0, le=2**63 - 1)
    antithetic: bool = False


class WhatIfIn(BaseModel):
    """A what-if: one of the term sheets' scenarios with its main levers moved, run beside the
    scenario as it is on the same seed, paths and years (common random numbers)."""

    term_sheet: str = Field(examples=["terms-2025-04-30"], max_length=64)
    paths: int = Field(default=DEFAULT_PATHS, ge=2, le=MAX_PATHS)
    years: int = Field(default=40, ge=1, le=MAX_YEARS)
    seed: int | None = Field(default=DEFAULT_SEED, ge=0, le=2**63 - 1)
    price_factor: float = Field(default=1.0, description="× on every price path")
    licence_shift: int = Field(default=0, description="years added to every licence date")
    territory: TerritoryChoice = "moderate"
    in_kind: InKindChoice = "usai"


class RunOut(BaseModel):
    """A run's progress; `results` answers once `state` is done."""

    id: str
    scenario: str
    state: str = Field(description="queued, running, done or failed")
    done: int
    total: int
    started_at: str
    finished_at: str | None
    error: str | None
    url: str
    results: str


def run_out(status: RunStatus) -> RunOut:
    """A run's status as its API shape."""
    url = f"/api/forecast/runs/{status.id}"
    return RunOut(
        id=status.id,
        scenario=status.scenario,
        state=status.state.value,
        done=status.done,
        total=status.total,
        started_at=status.started_at,
        finished_at=status.finished_at,
        error=status.error,
        url=url,
        results=url + "/results",
    )
