"""Saving and reloading runs: manifest.json, results.json and a compressed npz of summary arrays."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path

import numpy as np

from jointfund.errors import InputError, Problem
from jointfund.forecast.results import ForecastRun
from jointfund.forecast.results_json import from_dict, to_dict
from jointfund.i18n.message import Message

RUN_FILES = ("manifest.json", "results.json", "summary.npz")


def save_run(run: ForecastRun, directory: str | Path) -> Path:
    """Write the run to `directory` all at once: after a crash it is absent or complete.

    The files are written and synced in a hidden sibling directory, which is then renamed into
    place; other files already in `directory` (a job's status file) are carried across.
    """
    out = Path(directory)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        _write_files(run, staging)
        if out.exists():
            for extra in out.iterdir():
                if extra.name not in RUN_FILES and extra.is_file():
                    shutil.copy2(extra, staging / extra.name)
            retired = out.with_name(f".{out.name}.{uuid.uuid4().hex}.old")
            os.replace(out, retired)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
        _sync_directory(out.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _write_files(run: ForecastRun, out: Path) -> None:
    data = to_dict(run)
    _write_synced(out / "manifest.json", json.dumps(asdict(run.manifest), indent=2) + "\n")
    _write_synced(out / "results.json", json.dumps(data) + "\n")
    fans = {f"fan_{k}": np.asarray(v.values) for k, v in run.fans.items()}
    curves = {
        "target_usd": np.asarray([c.target_usd for c in run.targets]),
        "target_prob": np.asarray([c.prob for c in run.targets]),
        "inflow_target_usd": np.asarray([c.target_usd for c in run.inflow_targets]),
        "inflow_target_prob": np.asarray([c.prob for c in run.inflow_targets]),
        "grid_usd": np.asarray([c.target_usd for c in run.grid]),
        "grid_prob": np.asarray([c.prob for c in run.grid]),
    }
    per_path = {f"path_{k}": v for k, v in run.path_metrics.items()}
    with (out / "summary.npz").open("wb") as handle:
        np.savez_compressed(handle, **fans, **curves, **per_path)  # type: ignore[arg-type]
        handle.flush()
        os.fsync(handle.fileno())


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load_run(directory: str | Path) -> ForecastRun:
    """Reload a run written by `save_run`."""
    src = Path(directory)
    try:
        data = json.loads((src / "results.json").read_text())
        with np.load(src / "summary.npz") as npz:
            metrics = {k[5:]: npz[k] for k in npz.files if k.startswith("path_")}
    except (OSError, ValueError, KeyError) as exc:
        said = Message("not a saved forecast run: {reason}", reason=str(exc))
        raise InputError([Problem(said, file=str(src))]) from exc
    return from_dict(data, metrics)
