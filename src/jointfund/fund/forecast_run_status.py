"""A forecast run's status and its file: what any process (another worker, a restarted
server) reads to list and poll a run, the reason of a failure said in every language."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from jointfund.i18n.message import Said


class RunState(StrEnum):
    """Where a run is: waiting for its turn, simulating, saved, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


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

    @property
    def fraction(self) -> float:
        """Share of paths simulated so far (0..1)."""
        return min(self.done / self.total, 1.0) if self.total else 0.0


def write_status(path: Path, status: RunStatus) -> None:
    """Write `status` to its file, a failure's reason in every language beside the English."""
    data = asdict(status) | {"state": status.state.value}
    if isinstance(status.error, Said):
        data["error_said"] = status.error.said
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")


def read_status(path: Path) -> RunStatus:
    """The status in `path` (files written before reasons were said in every language read
    in English)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    said = data.pop("error_said", None)
    if data.get("error") is not None:
        data["error"] = Said(data["error"], said)
    return RunStatus(**(data | {"state": RunState(data["state"])}))
