"""Forecast runs started from the web: one background worker, progress to poll, saved runs."""

from __future__ import annotations

import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from jointfund.errors import InputError, JointfundError, NotFoundError, Problem
from jointfund.forecast import ForecastRun, load_run, load_scenario, run_forecast, save_run

MAX_PATHS = 200_000
MAX_YEARS = 100
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What the forecast form asks for."""

    scenario: str
    paths: int
    seed: int | None
    years: int
    tornado: bool


@dataclass(frozen=True, slots=True)
class JobState:
    """A web-started run as of now: queued, running, done or failed, and how far it got."""

    id: str
    request: RunRequest
    status: str
    done_paths: int = 0
    error: str = ""

    @property
    def fraction(self) -> float:
        """Share of paths simulated so far (0..1)."""
        return min(self.done_paths / self.request.paths, 1.0) if self.request.paths else 0.0


def check_request(
    scenario: str, paths: str, seed: str, years: str, tornado: bool, known: list[str]
) -> RunRequest:
    """A RunRequest from form text, or an InputError naming every bad field."""
    problems: list[Problem] = []
    if scenario not in known:
        problems.append(Problem("unknown scenario", field="scenario", expected=", ".join(known)))

    def number(text: str, name: str, low: int, high: int) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            problems.append(
                Problem(f"{text!r} is out of range", field=name, expected=f"{low}..{high}")
            )
        return value

    count = number(paths, "paths", 2, MAX_PATHS)
    horizon = number(years, "years", 1, MAX_YEARS)
    chosen_seed = number(seed, "seed", 0, 2**63 - 1) if seed.strip() else None
    if problems:
        raise InputError(problems)
    return RunRequest(scenario, count, chosen_seed, horizon, tornado)


class ForecastJobs:
    """Runs forecasts one at a time on a worker thread and saves each under `runs_dir`."""

    def __init__(self, runs_dir: Path) -> None:
        self.runs_dir = Path(runs_dir)
        self._states: dict[str, JobState] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jf-forecast")

    def submit(self, request: RunRequest) -> JobState:
        """Queue a run; returns its state, whose id names the run directory."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        state = JobState(f"{request.scenario}-{stamp}-{secrets.token_hex(3)}", request, "queued")
        with self._lock:
            self._states[state.id] = state
        self._pool.submit(self._work, state.id)
        return state

    def _set(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._states[job_id] = replace(self._states[job_id], **changes)  # type: ignore[arg-type]

    def _work(self, job_id: str) -> None:
        request = self.state(job_id).request
        self._set(job_id, status="running")
        try:
            result = run_forecast(
                load_scenario(request.scenario),
                paths=request.paths,
                seed=request.seed,
                years=request.years,
                sensitivity=request.tornado,
                progress=lambda done, _total: self._set(job_id, done_paths=done),
            )
            save_run(result, self.runs_dir / job_id)
        except (JointfundError, OSError, ValueError) as exc:
            self._set(job_id, status="failed", error=str(exc))
            return
        self._set(job_id, status="done", done_paths=request.paths)

    def state(self, job_id: str) -> JobState:
        """A web-started run's state; NotFoundError for ids this process did not start."""
        with self._lock:
            found = self._states.get(job_id)
        if found is None:
            raise NotFoundError(f"no forecast job {job_id!r} in this server")
        return found

    def known(self, job_id: str) -> JobState | None:
        """The state of a job this process started, or None."""
        with self._lock:
            return self._states.get(job_id)

    def saved_dir(self, run_id: str) -> Path | None:
        """The directory of a saved run, or None; ids that are not plain names are refused."""
        if not _RUN_ID.match(run_id):
            raise NotFoundError(f"no forecast run {run_id!r}")
        found = self.runs_dir / run_id
        return found if (found / "results.json").is_file() else None

    def load(self, run_id: str) -> ForecastRun:
        """A saved run by id."""
        found = self.saved_dir(run_id)
        if found is None:
            raise NotFoundError(f"no saved forecast run {run_id!r}")
        return load_run(found)

    def saved(self) -> list[str]:
        """Ids of saved runs, newest first."""
        if not self.runs_dir.is_dir():
            return []
        found = [p for p in self.runs_dir.iterdir() if (p / "results.json").is_file()]
        found.sort(key=lambda p: (p / "results.json").stat().st_mtime, reverse=True)
        return [p.name for p in found if _RUN_ID.match(p.name)]
