"""Forecast runs started over the API: each in a background thread, saved under `runs_dir`.

A run's progress is kept in memory and in `<runs_dir>/<id>/status.json`, so a poll answers
after a restart or from another worker process too; results are read back from the saved run.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from jointfund.errors import ConflictError, InputError, JointfundError, NotFoundError, Problem
from jointfund.forecast import load_run, load_scenario, run_forecast, save_run, scenario_names
from jointfund.forecast import summary_json as run_summary

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_STATUS_FILE = "status.json"
_WRITE_EVERY_S = 0.25


class RunState(StrEnum):
    """Where a run is: waiting for a slot, simulating, saved, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What to simulate: a bundled scenario, paths, horizon, seed."""

    scenario: str
    paths: int
    years: int
    seed: int | None = None
    antithetic: bool = False


@dataclass(frozen=True, slots=True)
class RunStatus:
    """A run's progress: paths done of total, and its error if it failed."""

    id: str
    scenario: str
    state: RunState
    done: int
    total: int
    started_at: str
    finished_at: str | None = None
    error: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ForecastJobs:
    """The runs one app started; at most `slots` simulate at once, the rest wait."""

    def __init__(self, runs_dir: Path, *, slots: int = 1) -> None:
        self.runs_dir = runs_dir
        self._slots = threading.Semaphore(slots)
        self._lock = threading.Lock()
        self._runs: dict[str, RunStatus] = {}
        self._written: dict[str, float] = {}

    def start(self, request: RunRequest) -> RunStatus:
        """Check the request, then start the run in a background thread; returns at once."""
        if request.scenario not in scenario_names():
            raise InputError(
                [
                    Problem(
                        f"unknown scenario {request.scenario!r}",
                        field="scenario",
                        expected=", ".join(scenario_names()),
                    )
                ]
            )
        scenario = load_scenario(request.scenario)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        run_id = f"{request.scenario}-{stamp}-{secrets.token_hex(4)}"
        status = RunStatus(run_id, request.scenario, RunState.QUEUED, 0, request.paths, _now())
        self._set(status, force=True)
        worker = threading.Thread(
            target=self._run, args=(run_id, scenario, request), name=f"forecast-{run_id}"
        )
        worker.daemon = True
        worker.start()
        return status

    def _run(self, run_id: str, scenario: Any, request: RunRequest) -> None:
        with self._slots:
            self._update(run_id, state=RunState.RUNNING)
            try:
                result = run_forecast(
                    scenario,
                    paths=request.paths,
                    seed=request.seed,
                    years=request.years,
                    antithetic=request.antithetic,
                    progress=lambda done, total: self._update(run_id, done=done, total=total),
                )
                save_run(result, self.runs_dir / run_id)
            except (JointfundError, ValueError, OSError, MemoryError) as exc:
                self._update(run_id, state=RunState.FAILED, error=str(exc), finished_at=_now())
                return
            self._update(run_id, state=RunState.DONE, finished_at=_now())

    def _update(self, run_id: str, **changes: Any) -> None:
        with self._lock:
            status = replace(self._runs[run_id], **changes)
        self._set(status, force="state" in changes)

    def _set(self, status: RunStatus, *, force: bool) -> None:
        with self._lock:
            self._runs[status.id] = status
            last = self._written.get(status.id, 0.0)
            if not force and time.monotonic() - last < _WRITE_EVERY_S:
                return
            self._written[status.id] = time.monotonic()
            folder = self.runs_dir / status.id
            folder.mkdir(parents=True, exist_ok=True)
            data = asdict(status) | {"state": status.state.value}
            (folder / _STATUS_FILE).write_text(json.dumps(data) + "\n", encoding="utf-8")

    def _folder(self, run_id: str) -> Path:
        if not _RUN_ID.match(run_id) or ".." in run_id:
            raise NotFoundError(f"no forecast run {run_id!r}")
        return self.runs_dir / run_id

    def status(self, run_id: str) -> RunStatus:
        """A run's progress, from memory or from its status file."""
        folder = self._folder(run_id)
        with self._lock:
            known = self._runs.get(run_id)
        if known is not None:
            return known
        try:
            data = json.loads((folder / _STATUS_FILE).read_text(encoding="utf-8"))
            return RunStatus(**(data | {"state": RunState(data["state"])}))
        except (OSError, ValueError, TypeError, KeyError):
            raise NotFoundError(f"no forecast run {run_id!r}") from None

    def list(self) -> list[RunStatus]:
        """Every run with a status file under `runs_dir`, newest first."""
        if not self.runs_dir.is_dir():
            return []
        found = []
        for folder in self.runs_dir.iterdir():
            if (folder / _STATUS_FILE).is_file():
                try:
                    found.append(self.status(folder.name))
                except NotFoundError:
                    continue
        return sorted(found, key=lambda s: s.started_at, reverse=True)

    def results(self, run_id: str) -> dict[str, Any]:
        """A finished run's summary; ConflictError while it runs or after it failed."""
        status = self.status(run_id)
        if status.state is RunState.FAILED:
            raise ConflictError(f"forecast run {run_id} failed: {status.error}")
        if status.state is not RunState.DONE:
            raise ConflictError(
                f"forecast run {run_id} is {status.state.value} ({status.done}/{status.total} "
                "paths); poll its status until it is done"
            )
        return run_summary(load_run(self._folder(run_id)))
