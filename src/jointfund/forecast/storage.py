"""Saving and reloading runs: manifest.json, results.json and a compressed npz of summary arrays."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from jointfund.errors import InputError, Problem
from jointfund.forecast.results import ForecastRun, from_dict, to_dict


def save_run(run: ForecastRun, directory: str | Path) -> Path:
    """Write the run to `directory` (created if needed); returns the directory."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    data = to_dict(run)
    (out / "manifest.json").write_text(json.dumps(asdict(run.manifest), indent=2) + "\n")
    (out / "results.json").write_text(json.dumps(data) + "\n")
    fans = {f"fan_{k}": np.asarray(v.values) for k, v in run.fans.items()}
    curves = {
        "target_usd": np.asarray([c.target_usd for c in run.targets]),
        "target_prob": np.asarray([c.prob for c in run.targets]),
        "grid_usd": np.asarray([c.target_usd for c in run.grid]),
        "grid_prob": np.asarray([c.prob for c in run.grid]),
    }
    per_path = {f"path_{k}": v for k, v in run.path_metrics.items()}
    np.savez_compressed(out / "summary.npz", **fans, **curves, **per_path)  # type: ignore[arg-type]
    return out


def load_run(directory: str | Path) -> ForecastRun:
    """Reload a run written by `save_run`."""
    src = Path(directory)
    try:
        data = json.loads((src / "results.json").read_text())
        with np.load(src / "summary.npz") as npz:
            metrics = {k[5:]: npz[k] for k in npz.files if k.startswith("path_")}
    except (OSError, ValueError, KeyError) as exc:
        raise InputError([Problem(f"not a saved forecast run: {exc}", file=str(src))]) from exc
    return from_dict(data, metrics)
