"""Honest outputs: conditional on the assumptions, Monte Carlo error on fans and means, a
rare-event estimator that agrees with plain Monte Carlo where both apply, U.S. recoupment."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jointfund.cli.app import main
from jointfund.forecast import load_scenario, run_forecast
from jointfund.forecast.model import compile_model
from jointfund.forecast.rare import RARE_HITS, estimate
from jointfund.forecast.results import batch_edges, batch_mean_se, order_ranks
from jointfund.forecast.run_charts import _fan_chart, _survival_chart, _target_chart


def test_cli_json_manifest_and_charts_say_the_result_is_conditional(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    args = ["forecast", "run", "base", "--paths", "300", "--seed", "5", "--years", "12"]
    assert main([*args, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    note = summary["conditional_on"]
    assert note.startswith("Conditional on the assumptions of scenario 'base'")
    assert "jointfund forecast provenance base" in note
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["caveat"] == note and manifest["census"]["uncovered"] == 0
    assert (
        "us_value" in summary["measures"]
        and "not what the U.S." in summary["measures"]["cum_inflow"]
    )
    assert all(t["estimator"] for t in summary["targets"] + summary["inflow_targets"])
    assert main(["forecast", "show", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Conditional on the assumptions" in text and "mean ± MC s.e." in text
    assert "not U.S. recoupment" in text
    from jointfund.forecast import load_run

    run = load_run(out)
    for fig in (_fan_chart(run), _target_chart(run), _survival_chart(run)):
        assert all("conditional on scenario base" in ax.get_title() for ax in fig.axes)


def test_mean_standard_error_matches_the_spread_across_seeds() -> None:
    scenario = load_scenario("base")
    runs = [
        run_forecast(scenario, paths=1500, seed=s, years=15, rare_events=False) for s in range(10)
    ]
    means = np.asarray([r.fans["cum_inflow"].mean[-1] for r in runs])
    reported = np.asarray([r.fans["cum_inflow"].mean_se[-1] for r in runs])
    ratio = means.std(ddof=1) / reported.mean()
    assert 0.5 < ratio < 1.8, ratio  # 10 replications: the s.d. itself is known to ~25%
    # percentile bounds: the median of a 20x bigger run falls inside most runs' 95% intervals
    big = run_forecast(scenario, paths=30_000, seed=99, years=15, rare_events=False)
    truth = big.fans["cum_inflow"].values[-1][2]
    inside = [
        r.fans["cum_inflow"].low[-1][2] <= truth <= r.fans["cum_inflow"].high[-1][2] for r in runs
    ]
    assert sum(inside) >= 7


def test_batch_means_see_dependence_that_the_iid_formula_misses() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=(1, 64))
    pairs = np.repeat(base, 32, axis=1)  # each value 32 times in a row: strongly dependent
    edges = batch_edges(pairs.shape[1], 32)
    iid = pairs.std(ddof=1) / np.sqrt(pairs.shape[1])
    assert batch_mean_se(pairs, edges)[0] > 3 * iid
    lo, hi = order_ranks(1000, (5.0, 50.0, 95.0))
    # the median of 1000: the 469th and 532nd values (1-based), the textbook binomial interval
    assert list(lo) == [35, 468, 935] and list(hi) == [64, 531, 964]


def test_rare_event_estimator_agrees_with_plain_monte_carlo_where_both_apply() -> None:
    scenario = load_scenario("base")
    model = compile_model(scenario, 40)
    plain = run_forecast(scenario, paths=20_000, seed=4, years=40, rare_events=False)
    entropy = plain.manifest.seed_entropy
    target = 3.0e9  # reachable: a few hundred plain hits
    inflow = np.asarray(plain.path_metrics["final_cum_inflow"]) >= target
    us = np.asarray(plain.path_metrics["final_us_value"]) >= target
    rare = estimate(model, entropy, [("cum_inflow", target), ("us_value", target)], paths=12_000)
    for hits, est in zip((inflow, us), rare, strict=True):
        p = hits.mean()
        se = np.sqrt(p * (1 - p) / hits.size)
        assert hits.sum() > 50
        assert abs(est.prob - p) < 3.5 * np.hypot(se, est.se), (p, se, est.prob, est.se)
    # far in the tail, where plain Monte Carlo has no hit, it still returns a positive estimate
    # below the plain 95% bound, with its own error
    (far,) = estimate(model, entropy, [("cum_inflow", 30e9)], paths=12_000)
    assert 0.0 < far.prob < 3.0 / 20_000 and far.se > 0.0


def test_us_recoupment_is_distributions_plus_nav_share_and_separate_from_inflow() -> None:
    run = run_forecast(load_scenario("base"), paths=2000, seed=8, years=20)
    value = run.fans["us_value"]
    assert value.mean[-1] == pytest.approx(float(np.mean(run.path_metrics["final_us_value"])))
    assert value.mean[0] == pytest.approx(75e6)  # the DFC's $75 m: U.S. share x NAV in 2025
    assert all(t.measure == "us_value" for t in run.targets)
    assert all(t.measure == "cum_inflow" for t in run.inflow_targets)
    # fewer than 10 plain hits: an importance-sampling estimate is attached, and named
    rare = [t for t in (*run.targets, *run.inflow_targets) if t.hits[-1] < RARE_HITS]
    assert rare and all(t.rare is not None and "importance sampling" in t.estimator for t in rare)


def test_a_run_saved_before_us_targets_reads_its_targets_as_total_inflow(tmp_path: Path) -> None:
    from jointfund.forecast import load_run, save_run

    run = run_forecast(load_scenario("base"), paths=200, seed=2, years=8, rare_events=False)
    save_run(run, tmp_path / "run")
    results = tmp_path / "run" / "results.json"
    data = json.loads(results.read_text())
    data["targets"] = data.pop("inflow_targets")  # what older versions wrote
    for c in data["targets"]:
        del c["measure"], c["hits"], c["rare"], c["estimator"]
    results.write_text(json.dumps(data))
    old = load_run(tmp_path / "run")
    assert old.targets == () and [c.measure for c in old.inflow_targets] == ["cum_inflow"] * 3
    assert old.inflow_targets[0].prob == run.inflow_targets[0].prob
