"""Export of a saved run: per-path yearly series re-simulated from the seed and checked against the
stored results, summaries as Parquet and CSV, and a manifest that names seed, code and inputs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml

from jointfund.cli.app import main
from jointfund.errors import InputError
from jointfund.forecast import load_scenario, run_forecast, save_run
from jointfund.forecast.run_export import PATH_SERIES, export_run

PATHS, YEARS = 300, 12


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("run") / "base"
    run = run_forecast(load_scenario("base"), paths=PATHS, seed=31, years=YEARS, chunk_paths=128)
    save_run(run, where)
    return where


def test_parquet_export_holds_every_path_and_year_and_matches_the_run(
    saved: Path, tmp_path: Path
) -> None:
    manifest = export_run(saved, tmp_path, "parquet", chunk_paths=100)
    paths = pq.read_table(tmp_path / "paths.parquet").to_pandas()
    assert len(paths) == PATHS * YEARS
    assert list(paths.columns) == ["path", "year", *PATH_SERIES]
    assert paths["year"].min() == 2025 and paths["year"].max() == 2025 + YEARS - 1
    with np.load(saved / "summary.npz") as npz:
        stored = npz["path_final_cum_inflow"]
    last = paths[paths["year"] == paths["year"].max()].sort_values("path")
    assert np.array_equal(last["cum_inflow"].to_numpy(), stored)
    results = json.loads((saved / "results.json").read_text())
    by_year = paths.groupby("year")["cum_inflow"].mean().to_numpy()
    assert np.allclose(by_year, results["fans"]["cum_inflow"]["mean"], rtol=1e-9)
    inflow = paths.groupby("path")["inflow"].sum().to_numpy()
    assert np.allclose(inflow, stored, rtol=1e-9)

    summary = pq.read_table(tmp_path / "path_summary.parquet").to_pandas()
    assert len(summary) == PATHS
    never = results["survival"][2]
    assert (never["partner"], never["basis"]) == ("US", "value")
    assert summary["recouped_value_us"].isna().mean() == pytest.approx(never["never"])
    fans = pq.read_table(tmp_path / "fans.parquet").to_pandas()
    p50 = fans[(fans.series == "nav") & (fans.statistic == "p50")]["value"].to_numpy()
    assert np.allclose(p50, [row[2] for row in results["fans"]["nav"]["values"]])
    targets = pq.read_table(tmp_path / "targets.parquet").to_pandas()
    assert set(targets[targets.declared].target_usd) == {500e9, 66.9e9, 65.9e9}

    assert manifest["seed_entropy"] == 31
    assert manifest["input_hashes"] == results["manifest"]["input_hashes"]
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["code_revision"]["commit"])
    assert "conditional_on" in manifest
    written = json.loads((tmp_path / "manifest.json").read_text())
    for info in written["files"].values():
        digest = hashlib.sha256((tmp_path / info["file"]).read_bytes()).hexdigest()
        assert digest == info["sha256"]


def test_csv_export_carries_the_same_numbers(saved: Path, tmp_path: Path) -> None:
    export_run(saved, tmp_path / "pq", "parquet")
    export_run(saved, tmp_path / "csv", "csv")
    a = pq.read_table(tmp_path / "pq" / "paths.parquet")
    b = pacsv.read_csv(tmp_path / "csv" / "paths.csv")
    assert a.num_rows == b.num_rows
    for name in ("cum_inflow", "nav", "share_us"):
        assert np.array_equal(a[name].to_numpy(), b[name].to_numpy())
    summary = pacsv.read_csv(tmp_path / "csv" / "path_summary.csv")
    assert summary.num_rows == PATHS


def test_export_refuses_changed_inputs_and_results_it_cannot_reproduce(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(yaml.safe_dump({"extends": "base", "name": "mine"}))
    run_dir = tmp_path / "run"
    save_run(run_forecast(load_scenario(scenario), paths=50, seed=3, years=5), run_dir)
    scenario.write_text(yaml.safe_dump({"extends": "base", "name": "mine", "start_year": 2026}))
    with pytest.raises(InputError) as caught:
        export_run(run_dir, tmp_path / "out")
    assert caught.value.problems[0].file == str(scenario)
    assert "changed since the run" in caught.value.problems[0].message

    tampered = tmp_path / "tampered"
    shutil.copytree(run_dir, tampered)
    scenario.write_text(yaml.safe_dump({"extends": "base", "name": "mine"}))
    with np.load(tampered / "summary.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["path_final_cum_inflow"] = arrays["path_final_cum_inflow"] + 1.0
    np.savez_compressed(tampered / "summary.npz", **arrays)
    export_run(run_dir, tmp_path / "fine")  # the untouched run still exports
    with pytest.raises(InputError, match="does not reproduce"):
        export_run(tampered, tmp_path / "out2")
    assert not (tmp_path / "out2" / "paths.parquet").exists()


def test_export_command(saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exp"
    code = main(["forecast", "export", str(saved), "--format", "csv", "--out", str(out), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"]["paths"]["rows"] == PATHS * YEARS
    assert (out / "paths.csv").is_file() and (out / "manifest.json").is_file()
    code = main(["forecast", "export", str(saved), "--format", "xlsx", "--out", str(out)])
    assert code == 3 and "xlsx" in capsys.readouterr().err
    code = main(["forecast", "export", str(tmp_path / "nothing"), "--out", str(out)])
    assert code == 3
