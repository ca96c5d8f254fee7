"""Export of a saved run for notebooks: per-path yearly series (re-simulated from the run's seed
and checked against the stored per-path results), per-path summaries, fans, P(target) curves and
survival curves as Parquet or CSV, with a manifest of seed, code revision and input hashes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from jointfund.errors import InputError, Problem
from jointfund.forecast.engine import run_chunk
from jointfund.forecast.fundlayer import ChunkOutput
from jointfund.forecast.model import compile_model
from jointfund.forecast.results import ForecastRun
from jointfund.forecast.scenario import load_scenario
from jointfund.forecast.start import start_from_dict
from jointfund.forecast.storage import load_run
from jointfund.i18n.message import Message

FORMATS = ("parquet", "csv")
PATH_SERIES = (
    "raw_inflow",
    "inflow",
    "cum_inflow",
    "nav",
    "capital_us",
    "capital_ua",
    "share_us",
    "dist_us",
    "dist_ua",
)
Progress = Callable[[int, int], None]


def code_revision() -> dict[str, Any]:
    """The git commit of the jointfund source that runs (and whether it has local changes), or
    only the package version when it is not a git checkout."""
    here = Path(__file__).resolve().parent
    out: dict[str, Any] = {"version": metadata.version("jointfund")}
    try:
        head = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out["commit"] = None
        out["note"] = "not a git checkout: the package version is the only revision"
        return out
    out["commit"] = head
    out["dirty"] = bool(dirty)
    return out


def _check_inputs(run: ForecastRun) -> list[Problem]:
    """The run's input files, as they are now, must hash as they did when it ran."""
    problems = []
    for file, digest in run.manifest.input_hashes.items():
        path = Path(file)
        try:
            now = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            said = Message("an input of the run is no longer there")
            problems.append(Problem(said, file=file))
            continue
        if now != digest:
            problems.append(
                Problem(
                    Message(
                        "this input changed since the run, so its paths cannot be re-simulated"
                    ),
                    file=file,
                    expected=Message("sha256 {digest}", digest=digest),
                )
            )
    return problems


def _writer(fmt: str, path: Path, schema: Any) -> Any:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "parquet":
        return pq.ParquetWriter(path, schema, compression="zstd")
    return pacsv.CSVWriter(path, schema)


def _write_table(fmt: str, path: Path, columns: dict[str, Any]) -> int:
    import pyarrow as pa

    table = pa.table(columns)
    with _writer(fmt, path, table.schema) as out:
        out.write_table(table)
    return int(table.num_rows)


def _path_rows(out: ChunkOutput, first_path: int, years: tuple[int, ...]) -> dict[str, Any]:
    n = out.cum_inflow.shape[1]
    cols: dict[str, Any] = {
        "path": np.repeat(np.arange(first_path, first_path + n, dtype=np.int64), len(years)),
        "year": np.tile(np.asarray(years, dtype=np.int32), n),
    }
    for name in PATH_SERIES:
        cols[name] = np.ascontiguousarray(getattr(out, name).T).reshape(-1).astype(np.float64)
    return cols


def _calendar(index: np.ndarray, start: int) -> Any:
    import pyarrow as pa

    index = np.asarray(index)
    return pa.array(np.where(index < 0, 0, index + start), mask=index < 0, type=pa.int32())


def export_run(
    run_dir: str | Path,
    out_dir: str | Path,
    fmt: str = "parquet",
    *,
    chunk_paths: int = 8192,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write the export of the run in `run_dir` to `out_dir`; returns its manifest.

    The per-path yearly series are not stored with a run, so they are simulated again from its
    seed; the export refuses when the inputs changed, and when the paths it simulates differ in
    any per-path result the run stored (final cumulative inflow, final NAV, recoupment years).
    """
    import pyarrow as pa

    if fmt not in FORMATS:
        raise InputError(
            [
                Problem(
                    Message("unknown format {format!r}", format=fmt),
                    field="--format",
                    expected=Message("parquet or csv"),
                )
            ]
        )
    run = load_run(run_dir)
    m = run.manifest
    problems = _check_inputs(run)
    if problems:
        raise InputError(problems)
    scenario = load_scenario(m.scenario_path)
    model = compile_model(scenario, m.years, start_from_dict(m.start))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ext = "parquet" if fmt == "parquet" else "csv"
    files: dict[str, dict[str, Any]] = {}
    years = run.calendar_years
    stored = run.path_metrics
    final_cum = np.empty(m.paths)
    final_nav = np.empty(m.paths)
    recoup = np.empty((4, m.paths), dtype=np.int64)
    series_path = out / f"paths.{ext}"
    writer = None
    try:
        for a in range(0, m.paths, chunk_paths):
            b = min(a + chunk_paths, m.paths)
            chunk = run_chunk(model, m.seed_entropy, a, b, m.antithetic)
            table = pa.table(_path_rows(chunk, a, years))
            if writer is None:
                writer = _writer(fmt, series_path, table.schema)
            writer.write_table(table)
            final_cum[a:b] = chunk.cum_inflow[-1]
            final_nav[a:b] = chunk.nav[-1]
            recoup[0:2, a:b] = chunk.recoup_cash
            recoup[2:4, a:b] = chunk.recoup_value
            if progress is not None:
                progress(b, m.paths)
    finally:
        if writer is not None:
            writer.close()
    same = (
        np.array_equal(final_cum, stored["final_cum_inflow"])
        and np.array_equal(final_nav, stored["final_nav"])
        and np.array_equal(recoup, stored["recoup"])
    )
    if not same:
        series_path.unlink(missing_ok=True)
        raise InputError(
            [
                Problem(
                    Message(
                        "simulating the run's seed again does not reproduce its stored per-path "
                        "results: the code changed since the run; re-run it with this version"
                    ),
                    file=str(run_dir),
                )
            ]
        )
    files["paths"] = {"rows": m.paths * m.years}
    start = m.start_year
    files["path_summary"] = {
        "rows": _write_table(
            fmt,
            out / f"path_summary.{ext}",
            {
                "path": np.arange(m.paths, dtype=np.int64),
                "final_cum_inflow": final_cum,
                "final_nav": final_nav,
                "recouped_cash_us": _calendar(recoup[0], start),
                "recouped_cash_ua": _calendar(recoup[1], start),
                "recouped_value_us": _calendar(recoup[2], start),
                "recouped_value_ua": _calendar(recoup[3], start),
            },
        )
    }
    files["fans"] = {"rows": _write_table(fmt, out / f"fans.{ext}", _fans(run))}
    files["targets"] = {"rows": _write_table(fmt, out / f"targets.{ext}", _targets(run))}
    files["survival"] = {"rows": _write_table(fmt, out / f"survival.{ext}", _survival(run))}
    for name, info in files.items():
        path = out / f"{name}.{ext}"
        info["file"] = path.name
        info["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {
        "run": str(Path(run_dir).resolve()),
        "run_manifest": dataclasses.asdict(m),
        "seed_entropy": m.seed_entropy,
        "input_hashes": dict(m.input_hashes),
        "code_revision": code_revision(),
        "format": fmt,
        "files": files,
        "reproduced": "per-path yearly series simulated again from the run's seed; final "
        "cumulative inflow, final NAV and recoupment years equal the stored ones on every path",
        "conditional_on": f"the assumptions of scenario {m.scenario!r} ({m.scenario_path}) and "
        "the fund terms in run_manifest.terms",
        "columns": {
            "paths": "path, year, then USD per year (raw_inflow, inflow), USD to date "
            "(cum_inflow, nav, capital_*, dist_*), share_us in 0..1",
            "path_summary": "recouped_*: first calendar year from which the partner stays "
            "recouped; empty = not within the horizon",
            "fans": "series, year, statistic (p5..p95, mean), value",
            "targets": "target_usd, declared (a scenario target) or grid, year, "
            "probability, se (Monte Carlo standard error)",
        },
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _fans(run: ForecastRun) -> dict[str, Any]:
    series, year, stat, value = [], [], [], []
    for key, f in run.fans.items():
        labels = [f"p{p:g}" for p in f.percentiles]
        for i, y in enumerate(run.calendar_years):
            for label, v in zip(labels, f.values[i], strict=True):
                series.append(key)
                year.append(y)
                stat.append(label)
                value.append(v)
            series.append(key)
            year.append(y)
            stat.append("mean")
            value.append(f.mean[i])
    return {"series": series, "year": year, "statistic": stat, "value": value}


def _targets(run: ForecastRun) -> dict[str, Any]:
    target, declared, year, prob, se = [], [], [], [], []
    for is_declared, curves in ((True, run.targets), (False, run.grid)):
        for c in curves:
            for i, y in enumerate(run.calendar_years):
                target.append(c.target_usd)
                declared.append(is_declared)
                year.append(y)
                prob.append(c.prob[i])
                se.append(c.se[i])
    return {
        "target_usd": target,
        "declared": declared,
        "year": year,
        "probability": prob,
        "se": se,
    }


def _survival(run: ForecastRun) -> dict[str, Any]:
    partner, basis, year, surv, never, never_se = [], [], [], [], [], []
    for s in run.survival:
        for i, y in enumerate(run.calendar_years):
            partner.append(s.partner)
            basis.append(s.basis)
            year.append(y)
            surv.append(s.survival[i])
            never.append(s.never)
            never_se.append(s.never_se)
    return {
        "partner": partner,
        "basis": basis,
        "year": year,
        "not_yet_recouped": surv,
        "never_recouped": never,
        "never_recouped_se": never_se,
    }
