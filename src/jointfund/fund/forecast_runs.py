"""Forecast runs every interface shares: start one in the background, poll it, read it back.

One runner per process, and one run at a time per runs directory: a run takes an advisory
lock on `<runs_dir>/.running` before it simulates, so the API, the pages and every worker
process of one server queue behind each other instead of sharing two cores between two
simulations. A run's progress is written to `<runs_dir>/<id>/status.json`, so any process
(another worker, a restarted server, the CLI) lists and polls it; runs saved by the CLI (no
status file) list as done.
"""

from __future__ import annotations

import fcntl
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jointfund.errors import ConflictError, InputError, JointfundError, NotFoundError, Problem
from jointfund.forecast import (
    ForecastRun,
    Levers,
    check_levers,
    derive,
    load_run,
    load_scenario,
    run_forecast,
    save_run,
    scenario_names,
)
from jointfund.forecast import summary_json as run_summary
from jointfund.fund.forecast_run_status import RunState, RunStatus, read_status, write_status
from jointfund.governance import User, require
from jointfund.i18n.message import Message, said_in_all

MAX_PATHS = 200_000
MAX_YEARS = 100
DEFAULT_PATHS = 10_000
DEFAULT_SEED = 20250430
"""The defaults every interface offers, so a first comparison with `demo-base` is paired."""
DEFAULT_WHATIF_PATHS = 4_000
"""A what-if's default paths: it and its base finish in a few seconds on two cores."""

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_STATUS_FILE = "status.json"
_RESULTS_FILE = "results.json"
_LOCK_FILE = ".running"
_WHATIF_FILE = "whatif.json"
_WRITE_EVERY_S = 0.25


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What to simulate: a bundled scenario, paths, horizon, seed and options."""

    scenario: str
    paths: int = DEFAULT_PATHS
    years: int = 40
    seed: int | None = DEFAULT_SEED
    antithetic: bool = False
    tornado: bool = False


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A what-if run's record: its term sheet's scenario, levers, and the base run it pairs
    with (same seed, paths and years: common random numbers)."""

    base_scenario: str
    levers: Levers
    base_run: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_request(request: RunRequest) -> RunRequest:
    """The request, or an InputError naming every field out of range."""
    problems: list[Problem] = []
    known = scenario_names()
    if request.scenario not in known:
        choices = ", ".join(known)
        problems.append(
            Problem(
                Message("unknown scenario {scenario!r}", scenario=request.scenario),
                field="scenario",
                expected=choices,
            )
        )
    for name, value, low, high in (
        ("paths", request.paths, 2, MAX_PATHS),
        ("years", request.years, 1, MAX_YEARS),
    ):
        if not low <= value <= high:
            problems.append(
                Problem(
                    Message("{value} is out of range", value=value),
                    field=name,
                    expected=Message("{low}..{high}", low=low, high=high),
                )
            )
    if request.seed is not None and not 0 <= request.seed < 2**63:
        problems.append(
            Problem(
                Message("seed out of range"),
                field="seed",
                expected=Message("0..{limit}", limit=2**63 - 1),
            )
        )
    if problems:
        raise InputError(problems)
    return request


class ForecastRuns:
    """The runs under one directory: start, poll, list, load; one simulates at a time."""

    def __init__(self, runs_dir: Path) -> None:
        self.runs_dir = Path(runs_dir)
        self._turn = threading.Lock()
        self._lock = threading.Lock()
        self._runs: dict[str, RunStatus] = {}
        self._written: dict[str, float] = {}

    def start(self, actor: User, request: RunRequest) -> RunStatus:
        """Check the request, then start the run in a background thread; returns at once."""
        require(actor, "forecast.run")
        check_request(request)
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

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This process's turn, then the runs directory's (other processes wait on it)."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        with self._turn, (self.runs_dir / _LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def start_whatif(self, actor: User, request: RunRequest, levers: Levers) -> RunStatus:
        """Queue a what-if: the term sheet's scenario (`request.scenario`) with the levers
        moved, paired with a run of the scenario as it is on the same seed, paths and years.
        A saved base run of that shape is reused; otherwise the base runs first, in the same
        job. Returns the what-if's status at once; bad levers are located InputErrors."""
        require(actor, "forecast.run")
        if request.tornado:
            raise InputError(
                [Problem(Message("a what-if runs without the tornado"), field="tornado")]
            )
        problems: list[Problem] = []
        try:
            check_levers(request.scenario, levers)
        except InputError as exc:
            problems.extend(exc.problems)
        try:
            check_request(request)
        except InputError as exc:
            problems.extend(p for p in exc.problems if p.field != "scenario")
        if problems:
            raise InputError(problems)
        seed = request.seed if request.seed is not None else secrets.randbits(63)
        request = replace(request, seed=seed)
        base = load_scenario(request.scenario)
        derived = derive(base, levers)
        base_id = self._matching_base(request)
        jobs: list[tuple[str, Any]] = []
        if base_id is None:
            base_id = self._new_id(request.scenario)
            self._set(
                RunStatus(base_id, base.name, RunState.QUEUED, 0, request.paths, _now()),
                force=True,
            )
            jobs.append((base_id, base))
        run_id = self._new_id(f"whatif-{request.scenario}")
        status = RunStatus(run_id, derived.name, RunState.QUEUED, 0, request.paths, _now())
        self._set(status, force=True)
        record = {"base_scenario": request.scenario, "levers": asdict(levers), "base_run": base_id}
        (self.runs_dir / run_id / _WHATIF_FILE).write_text(
            json.dumps(record) + "\n", encoding="utf-8"
        )
        jobs.append((run_id, derived))
        worker = threading.Thread(
            target=self._run_all, args=(jobs, request), name=f"forecast-{run_id}"
        )
        worker.daemon = True
        worker.start()
        return status

    @staticmethod
    def _new_id(prefix: str) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return f"{prefix}-{stamp}-{secrets.token_hex(4)}"

    def _matching_base(self, request: RunRequest) -> str | None:
        """A saved run of the scenario itself on the request's seed, paths and years."""
        if not self.runs_dir.is_dir():
            return None
        for folder in sorted(self.runs_dir.iterdir(), reverse=True):
            if folder.name.startswith(".") or (folder / _WHATIF_FILE).exists():
                continue
            try:
                m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            same = (
                m.get("scenario") == request.scenario
                and m.get("seed_entropy") == request.seed
                and m.get("paths") == request.paths
                and m.get("years") == request.years
                and not m.get("antithetic")
                and m.get("as_of") is None
            )
            if same and self._status(folder.name).state is RunState.DONE:
                return folder.name
        return None

    def whatif(self, actor: User, run_id: str) -> WhatIf | None:
        """A what-if run's levers and base run; None for a plain run."""
        require(actor, "forecast.run")
        try:
            data = json.loads((self._folder(run_id) / _WHATIF_FILE).read_text(encoding="utf-8"))
            return WhatIf(data["base_scenario"], Levers(**data["levers"]), data["base_run"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError):
            raise NotFoundError(
                Message("forecast run {run_id!r} has an unreadable what-if", run_id=run_id)
            ) from None

    def _run_all(self, jobs: list[tuple[str, Any]], request: RunRequest) -> None:
        """Run the jobs one after the other in one turn; a failure fails the ones after it."""
        with self._exclusive():
            for k, (run_id, scenario) in enumerate(jobs):
                if not self._simulate(run_id, scenario, request):
                    for later, _ in jobs[k + 1 :]:
                        self._update(
                            later,
                            state=RunState.FAILED,
                            error=said_in_all(
                                Message("its base run {run_id} failed", run_id=run_id)
                            ),
                            finished_at=_now(),
                        )
                    return

    def _run(self, run_id: str, scenario: Any, request: RunRequest) -> None:
        with self._exclusive():
            self._simulate(run_id, scenario, request)

    def _simulate(self, run_id: str, scenario: Any, request: RunRequest) -> bool:
        """Simulate and save one run, keeping its status; False if it failed."""
        self._update(run_id, state=RunState.RUNNING)
        try:
            result = run_forecast(
                scenario,
                paths=request.paths,
                seed=request.seed,
                years=request.years,
                antithetic=request.antithetic,
                sensitivity=request.tornado,
                progress=lambda done, total: self._update(run_id, done=done, total=total),
            )
            save_run(result, self.runs_dir / run_id)
        except JointfundError as exc:
            self._update(run_id, state=RunState.FAILED, error=said_in_all(exc), finished_at=_now())
            return False
        except (ValueError, OSError, MemoryError) as exc:
            # Python's own reason has no catalogue entry: said as it is, after ours.
            reason = Message(
                "the simulation stopped: {reason}", reason=str(exc) or type(exc).__name__
            )
            self._update(
                run_id, state=RunState.FAILED, error=said_in_all(reason), finished_at=_now()
            )
            return False
        self._update(run_id, state=RunState.DONE, done=request.paths, finished_at=_now())
        return True

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
            write_status(folder / _STATUS_FILE, status)

    def _folder(self, run_id: str) -> Path:
        if not _RUN_ID.match(run_id) or ".." in run_id:
            raise NotFoundError(Message("no forecast run {run_id!r}", run_id=run_id))
        return self.runs_dir / run_id

    def status(self, actor: User, run_id: str) -> RunStatus:
        """A run's progress: from memory, its status file, or (saved by the CLI) its results."""
        require(actor, "forecast.run")
        return self._status(run_id)

    def _status(self, run_id: str) -> RunStatus:
        folder = self._folder(run_id)
        with self._lock:
            known = self._runs.get(run_id)
        if known is not None:
            return known
        try:
            return read_status(folder / _STATUS_FILE)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError):
            raise NotFoundError(Message("no forecast run {run_id!r}", run_id=run_id)) from None
        return self._saved_status(folder)

    def _saved_status(self, folder: Path) -> RunStatus:
        """The status of a run saved without a status file (by the CLI): done."""
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            when = datetime.fromtimestamp((folder / _RESULTS_FILE).stat().st_mtime, UTC)
            paths = int(manifest.get("paths", 0))
            scenario = str(manifest.get("scenario", ""))
        except (OSError, ValueError, TypeError, AttributeError):
            raise NotFoundError(Message("no forecast run {run_id!r}", run_id=folder.name)) from None
        stamp = when.isoformat(timespec="seconds")
        return RunStatus(folder.name, scenario, RunState.DONE, paths, paths, stamp, stamp)

    def list(self, actor: User) -> list[RunStatus]:
        """Every run under the runs directory, started by any interface, newest first."""
        require(actor, "forecast.run")
        if not self.runs_dir.is_dir():
            return []
        found = []
        for folder in self.runs_dir.iterdir():
            if folder.name.startswith(".") or not _RUN_ID.match(folder.name):
                continue
            if (folder / _STATUS_FILE).is_file() or (folder / _RESULTS_FILE).is_file():
                try:
                    found.append(self._status(folder.name))
                except NotFoundError:
                    continue
        return sorted(found, key=lambda s: s.started_at, reverse=True)

    def load(self, actor: User, run_id: str) -> ForecastRun:
        """A finished run; ConflictError while it runs or after it failed."""
        status = self.status(actor, run_id)
        if status.state is RunState.FAILED:
            raise ConflictError(
                Message("forecast run {run_id} failed: {error}", run_id=run_id, error=status.error)
            )
        if status.state is not RunState.DONE:
            raise ConflictError(
                Message(
                    "forecast run {run_id} is {state} ({done}/{total} paths); poll its status "
                    "until it is done",
                    run_id=run_id,
                    state=status.state.value,
                    done=status.done,
                    total=status.total,
                )
            )
        return load_run(self._folder(run_id))

    def results(self, actor: User, run_id: str) -> dict[str, Any]:
        """A finished run's summary as JSON-ready data."""
        return run_summary(self.load(actor, run_id))
