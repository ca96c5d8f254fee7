"""Run outputs: JSON summary, save/load round trip, charts, comparisons, tornado, public API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jointfund.forecast as forecast
from jointfund.errors import InputError
from jointfund.forecast import (
    ForecastRun,
    compare_runs,
    load_run,
    load_scenario,
    p_target,
    render_charts,
    run_forecast,
    save_run,
    summary_json,
    tornado,
    upper_bound_95,
)


@pytest.fixture(scope="module")
def run() -> ForecastRun:
    return run_forecast(
        load_scenario("terms-2025-02-21"), paths=2000, seed=3, years=20, progress=None
    )


def test_public_api_is_pinned() -> None:
    assert sorted(forecast.__all__) == [
        "Comparison",
        "Delta",
        "ForecastRun",
        "ForecastTerms",
        "IN_KIND_SOURCE",
        "LICENCE_SHIFT",
        "Levers",
        "PRICE_FACTOR",
        "Scenario",
        "TERRITORY_SOURCE",
        "TargetCurve",
        "bundled_census",
        "census",
        "census_url",
        "check_levers",
        "compare_runs",
        "derive",
        "load_run",
        "load_scenario",
        "p_target",
        "parameters_said",
        "render_charts",
        "run_forecast",
        "save_run",
        "scenario_names",
        "summary_json",
        "term_sheets",
        "tornado",
        "upper_bound_95",
    ]


@pytest.mark.parametrize(
    ("hits", "paths"), [(0, 100_000), (0, 400), (3, 1000), (500, 1000), (1000, 1000)]
)
def test_upper_bound_is_the_one_sided_95_wilson_bound(hits: int, paths: int) -> None:
    from scipy.stats import binomtest

    # A two-sided 90% interval's upper end is the one-sided 95% bound.
    want = binomtest(hits, paths).proportion_ci(confidence_level=0.90, method="wilson").high
    assert upper_bound_95(hits / paths, paths) == pytest.approx(want, rel=1e-9)


def test_a_target_no_path_reaches_still_gets_an_informative_bound(run: ForecastRun) -> None:
    prob, se = p_target(run, 5e11)
    assert (prob, se) == (0.0, 0.0)  # $500 bn is out of reach of every path here
    bound = upper_bound_95(prob, run.manifest.paths)
    assert 0 < bound < 3 / run.manifest.paths


def test_summary_is_json_with_percentiles_targets_and_survival(run: ForecastRun) -> None:
    data = json.loads(json.dumps(summary_json(run)))
    assert data["calendar_years"][0] == 2025 and len(data["calendar_years"]) == 20
    fan = data["fans"]["cum_inflow"]
    assert fan["percentiles"] == [5.0, 25.0, 50.0, 75.0, 95.0]
    for row in fan["values"]:
        assert row == sorted(row)
    assert {c["target_usd"] for c in data["targets"]} == {500e9, 66.9e9, 65.9e9}
    assert {(s["partner"], s["basis"]) for s in data["survival"]} == {
        ("US", "cash"),
        ("UA", "cash"),
        ("US", "value"),
        ("UA", "value"),
    }
    manifest = data["manifest"]
    assert manifest["paths"] == 2000 and manifest["seed_entropy"] == 3
    assert "price:oil" in manifest["spawn_keys"] and manifest["input_hashes"]
    assert manifest["packages"]["numpy"]


def test_shares_and_probabilities_are_consistent(run: ForecastRun) -> None:
    us = run.fans["share_us"].values[-1]
    ua = run.fans["share_ua"].values[-1]
    assert us[2] + ua[2] == pytest.approx(1.0)
    assert us == (1.0,) * 5  # the 21 Feb draft: 100% U.S. financial interest
    p, se = p_target(run, 500e9)
    assert 0.0 <= p <= 1.0 and se >= 0.0
    for curve in run.targets:
        assert list(curve.prob) == sorted(curve.prob)  # cumulative inflow never falls


def test_save_and_load_round_trip(run: ForecastRun, tmp_path: Path) -> None:
    out = save_run(run, tmp_path / "run")
    assert {p.name for p in out.iterdir()} == {"manifest.json", "results.json", "summary.npz"}
    back = load_run(out)
    assert back.manifest == run.manifest
    assert back.fans == run.fans and back.targets == run.targets and back.grid == run.grid
    assert back.survival == run.survival and back.calendar_years == run.calendar_years
    assert compare_runs(run, back).deltas[0].delta == 0.0
    with pytest.raises(InputError):
        load_run(tmp_path / "missing")


def test_render_charts_writes_png_and_valid_svg(run: ForecastRun, tmp_path: Path) -> None:
    files = render_charts(run, tmp_path)
    assert {f.suffix for f in files} == {".png", ".svg"}
    assert {f.stem for f in files} >= {"fan", "p_target", "survival"}
    for f in files:
        assert f.stat().st_size > 1000
        if f.suffix == ".png":
            assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            text = f.read_text()
            assert text.lstrip().startswith("<?xml") and text.rstrip().endswith("</svg>")


def test_tornado_swings_on_common_random_numbers(tmp_path: Path) -> None:
    scenario = load_scenario("base")
    result = tornado(scenario, paths=400, seed=8, years=25)
    assert len(result.bars) == len(scenario.model.sensitivity.inputs)
    swings = [b.swing for b in result.bars]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    by_name = {b.name: b for b in result.bars}
    licence = by_name["P(licence) explored deposits"]
    assert licence.output_high > licence.output_low  # more licences, more inflow
    run = run_forecast(scenario, paths=400, seed=8, years=25, sensitivity=True)
    assert run.tornado == result
    assert any(f.stem == "tornado" for f in render_charts(run, tmp_path))


def test_final_agreement_flows_far_short_of_500_bn() -> None:
    run = run_forecast(load_scenario("base"), paths=2000, seed=1, years=40)
    assert p_target(run, 500e9)[0] == 0.0
    assert run.fans["cum_inflow"].values[-1][4] < 50e9
    excluded = run_forecast(load_scenario("terms-2025-02-21"), paths=2000, seed=1, years=40)
    # counting existing permits (21 Feb draft) brings far more money in than new licences only
    assert excluded.fans["cum_inflow"].values[-1][2] > 5 * run.fans["cum_inflow"].values[-1][2]


def test_progress_reports_paths_done_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    run_forecast(
        load_scenario("base"),
        paths=2500,
        seed=1,
        years=5,
        chunk_paths=1000,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_invalid_run_arguments_are_reported_together() -> None:
    with pytest.raises(InputError) as info:
        run_forecast(load_scenario("base"), paths=1, seed=1, years=0, chunk_paths=0)
    assert {p.field for p in info.value.problems} == {"paths", "years", "chunk_paths"}
