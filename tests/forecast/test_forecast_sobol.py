"""Global sensitivity: Sobol indices over a scenario's uncertain inputs, on common random numbers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from jointfund.cli.app import main
from jointfund.errors import InputError
from jointfund.forecast import load_scenario
from jointfund.forecast.sobol import sobol


def _scenario(tmp: Path, inputs: list[dict[str, object]]) -> Path:
    path = tmp / "sens.yaml"
    data = {
        "extends": "base",
        "name": "sens",
        "sensitivity": {"output": "cum_inflow_mean", "inputs": inputs},
    }
    path.write_text(yaml.safe_dump(data))
    return path


def _input(
    name: str, path: str, p10: float, p90: float, why: str = "prior range"
) -> dict[str, object]:
    """A scenario's uncertain input: its path, its p10 and p90, and why that range."""
    return {"name": name, "path": path, "p10": p10, "p90": p90, "assumed": {"p10, p90": why}}


GAS_DRIFT = _input("gas drift", "prices.commodities.natural_gas.mu", -0.04, 0.02)
GAS_RATE = _input(
    "gas royalty", "fiscal.royalty.natural_gas.tiers.0.rate", 0.06, 0.2, "rate uncertain"
)
# net-of-cost share: read only under "net" terms, so under the final agreement it moves nothing
UNUSED = _input("net cost fraction", "fiscal.net_cost_fraction.value", 0.1, 0.5)


def test_indices_rank_the_drivers_and_give_an_unused_input_exactly_zero(tmp_path: Path) -> None:
    scenario = load_scenario(_scenario(tmp_path, [GAS_DRIFT, GAS_RATE, UNUSED]))
    run = sobol(
        scenario,
        n_base=32,
        paths=128,
        seed=5,
        years=30,
        outputs=["cum_inflow_mean", "us_value_never_recouped"],
    )
    assert run.evaluations == 32 * (3 + 2)
    inflow = {i.name: i for i in run.outputs[0].indices}
    assert inflow["net cost fraction"].st == 0.0 and inflow["net cost fraction"].s1 == 0.0
    assert inflow["gas drift"].st > 0.2 and inflow["gas royalty"].st > 0.1
    for idx in inflow.values():
        assert idx.st_conf >= 0.0 and idx.s1_conf >= 0.0
    # the main effects read from the same evaluations: more royalty, more inflow
    assert inflow["gas royalty"].effect_high > inflow["gas royalty"].effect_low
    assert inflow["gas drift"].effect_high > inflow["gas drift"].effect_low
    assert inflow["net cost fraction"].effect_high == inflow["net cost fraction"].effect_low
    # more inflow, less chance that the U.S. is never recouped
    recoup = {i.name: i for i in run.outputs[1].indices}
    assert recoup["gas royalty"].effect_high <= recoup["gas royalty"].effect_low
    again = sobol(scenario, n_base=32, paths=128, seed=5, years=30)
    assert again.outputs[0].indices == run.outputs[0].indices


@pytest.mark.slow
def test_two_processes_give_the_same_indices(tmp_path: Path) -> None:
    scenario = load_scenario(_scenario(tmp_path, [GAS_DRIFT, GAS_RATE]))
    one = sobol(scenario, n_base=128, paths=32, seed=2, years=15)
    two = sobol(scenario, n_base=128, paths=32, seed=2, years=15, workers=2)
    assert one.outputs == two.outputs


def test_bad_designs_are_refused_before_simulating(tmp_path: Path) -> None:
    scenario = load_scenario(_scenario(tmp_path, [GAS_DRIFT, GAS_RATE]))
    with pytest.raises(InputError) as caught:
        sobol(scenario, n_base=100, paths=1)
    assert {p.field for p in caught.value.problems} == {"--n", "--paths"}
    with pytest.raises(InputError, match="unknown output"):
        sobol(scenario, n_base=16, outputs=["nav_mean"])
    with pytest.raises(InputError, match="at least two"):
        sobol(load_scenario(_scenario(tmp_path, [GAS_DRIFT])), n_base=16)
    with pytest.raises(InputError, match="does not vary"):
        sobol(scenario, n_base=16, paths=32, years=10, outputs=["p_target:66.9e9"])


def test_sensitivity_command_prints_json_and_draws_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(tmp_path, [GAS_DRIFT, GAS_RATE, UNUSED])
    charts = tmp_path / "charts"
    code = main(
        [
            "forecast",
            "sensitivity",
            str(path),
            "--method",
            "sobol",
            "--n",
            "32",
            "--paths",
            "64",
            "--years",
            "20",
            "--seed",
            "9",
            "--chart",
            str(charts),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_base"] == 32 and data["evaluations"] == 160
    assert "conditional on every other assumption" in data["note"]
    names = [i["name"] for i in data["outputs"][0]["indices"]]
    assert sorted(names) == ["gas drift", "gas royalty", "net cost fraction"]
    assert {Path(f).suffix for f in data["charts"]} == {".png", ".svg"}
    assert all(Path(f).stat().st_size > 5000 for f in data["charts"])

    code = main(["forecast", "sensitivity", str(path), "--method", "morris"])
    assert code == 3 and "morris" in capsys.readouterr().err
    code = main(["forecast", "sensitivity", str(path), "--n", "12"])
    assert code == 3 and "power of two" in capsys.readouterr().err
    code = main(  # seeded: on a fresh seed now and then a subset of so few evaluations is
        # constant, and SALib warns (an error here), so the test passed or failed by chance
        ["forecast", "sensitivity", str(path), "--n", "16", "--paths", "32", "--years", "10",
         "--seed", "9"]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "royalty" in printed and "S1" in printed


def test_evaluations_on_shared_draws_equal_the_engine_run_of_those_paths() -> None:
    """The design's shortcut (draws made once, reused by every evaluation) changes no number."""
    from jointfund.forecast.draws import draw_chunk
    from jointfund.forecast.engine import run_chunk, simulate_chunk
    from jointfund.forecast.model import compile_model

    base = load_scenario("base")
    model = compile_model(base, 25)
    draws = draw_chunk(model, 77, 0, 200)
    variant_model = compile_model(
        load_scenario("gradual-return"), 25
    )  # other numbers, same structure of sources
    for m in (model, variant_model, model):
        shared = simulate_chunk(m, draws)
        own = run_chunk(m, 77, 0, 200, False)
        assert np.array_equal(shared.cum_inflow, own.cum_inflow)
        assert np.array_equal(shared.nav, own.nav)
        assert np.array_equal(shared.recoup_value, own.recoup_value)


def test_each_evaluation_equals_a_plain_run_even_when_an_input_changes_the_draws(
    tmp_path: Path,
) -> None:
    from jointfund.forecast import run_forecast
    from jointfund.forecast.scenario import with_overrides
    from jointfund.forecast.sobol_eval import Job
    from jointfund.forecast.variants import factors

    window = _input("last year of further DFC cash", "contributions.2.random.end_year", 2030, 2038)
    scenario = load_scenario(_scenario(tmp_path, [GAS_RATE, window]))
    facs = tuple(factors(scenario))
    assert [f.integer for f in facs] == [False, True]
    rows = np.array([[0.12, 2034.0], [0.07, 2031.2], [0.19, 2037.6]])  # the first keeps the base
    job = Job(scenario, facs, 15, 4242, 64, ("cum_inflow_mean", "us_value_never_recouped"))
    got = job.evaluate(rows)
    for k, row in enumerate(rows):
        values = {facs[0].path: float(row[0]), facs[1].path: round(float(row[1]))}
        plain = run_forecast(with_overrides(scenario, values), paths=64, seed=4242, years=15)
        assert got[0, k] == plain.path_metrics["final_cum_inflow"].mean()
        assert got[1, k] == np.mean(plain.path_metrics["recoup"][2] < 0)


def test_a_variant_is_held_to_the_schemas_value_rules_not_to_a_second_label_check(
    tmp_path: Path,
) -> None:
    """A design row is validated like a scenario file's numbers (a royalty above 1 is refused
    where it sits); the labels' coverage, proven on the scenario, is not re-checked per row."""
    from jointfund.forecast.variants import factors, variant

    scenario = load_scenario(_scenario(tmp_path, [GAS_DRIFT, GAS_RATE]))
    facs = factors(scenario)
    ok = variant(scenario, facs, np.array([-0.01, 0.15]))
    assert ok.model.fiscal.royalty["natural_gas"].tiers[0].rate == 0.15
    with pytest.raises(InputError) as refused:
        variant(scenario, facs, np.array([-0.01, 1.5]))
    where = [p.field for p in refused.value.problems]
    assert any("royalty.natural_gas.tiers.0.rate" in (f or "") for f in where), where


def test_rows_sharing_prices_fx_and_fund_runs_each_equal_their_own_plain_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A design evaluates its rows with what neighbouring rows share computed once (price and FX
    paths kept while their inputs stay, the fund rules run over several rows' paths side by
    side, split where a row's contributions differ); every row still equals a plain run of its
    own scenario, to the last bit."""
    from SALib.sample import sobol as sample

    from jointfund.forecast import run_forecast, sobol_eval
    from jointfund.forecast.scenario import with_overrides
    from jointfund.forecast.variants import factors

    dfc = _input("further DFC cash, median", "contributions.2.random.median_usd", 25.0e6, 75.0e6)
    fx = _input("UAH drift", "fiscal.fx.drift", 0.0, 0.1)
    lithium = _input("lithium long run", "prices.commodities.lithium.long_run", 9000, 25000)
    scenario = load_scenario(_scenario(tmp_path, [GAS_DRIFT, GAS_RATE, dfc, fx, lithium]))
    facs = tuple(factors(scenario))
    problem = {
        "num_vars": len(facs),
        "names": [f.name for f in facs],
        "bounds": [[f.low, f.high] for f in facs],
    }
    rows = sample.sample(problem, 4, calc_second_order=False, seed=3)
    monkeypatch.setattr(sobol_eval, "_FUND_PATHS", 96)  # three rows of 32 paths per fund run
    job = sobol_eval.Job(scenario, facs, 15, 4242, 32, ("cum_inflow_mean", "nav_p50"))
    got = job.evaluate(rows)
    for k, row in enumerate(rows):
        values = {f.path: float(v) for f, v in zip(facs, row, strict=True)}
        plain = run_forecast(with_overrides(scenario, values), paths=32, seed=4242, years=15)
        assert got[0, k] == plain.path_metrics["final_cum_inflow"].mean()
        assert got[1, k] == float(np.median(plain.path_metrics["final_nav"]))


def test_a_large_design_uses_every_core_by_default_a_small_one_a_single_process() -> None:
    """`--workers` defaults to 0: one process per core for a design worth it (N = 4,096 with 8
    inputs is 40,960 evaluations), one process where starting a second costs more than it saves."""
    import os

    from jointfund.forecast.sobol import auto_workers

    cores = os.cpu_count() or 1
    assert auto_workers(40_960) == min(cores, 10)
    assert auto_workers(4_095) == 1
    assert auto_workers(16) == 1
