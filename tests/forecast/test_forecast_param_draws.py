"""Parameter uncertainty: a calibrated block carries its fit's sampling distribution, and
`parameter_uncertainty: draw` makes each path draw its price parameters from it, on its own
stream, so replay, chunking, Dask and the common random numbers of the shocks all hold."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from jointfund.cli.app import main
from jointfund.errors import InputError
from jointfund.forecast import ForecastRun, census, load_scenario, run_forecast
from jointfund.forecast.calibration import fit_gbm, fit_ou
from jointfund.forecast.draws import draw_chunk, source_ids
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.model import GBM, OU, SCHWARTZ_SMITH, PriceParams, compile_model
from jointfund.forecast.prices import price_paths
from jointfund.forecast.reference import reference_path
from jointfund.forecast.streams import PATH_BLOCK
from jointfund.forecast.uncertainty import path_params

from .price_files import gbm, monthly_from_yearly, pink_sheet, simulate

BLOCKS = ["base", "prices/pinksheet-2025-11.yaml", "prices/usgs-lithium-2021.yaml"]
PATHS = 3000
YEARS = 30


def _scenario(tmp_path: Path, name: str, **extra: Any) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"extends": BLOCKS, "name": name, **extra}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("draws")
    return _scenario(where, "calibrated-draws", prices={"parameter_uncertainty": "draw"})


@pytest.fixture(scope="module")
def point(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _scenario(tmp_path_factory.mktemp("point"), "calibrated-point")


@pytest.fixture(scope="module")
def drawn_run(drawn: Path) -> ForecastRun:
    return run_forecast(load_scenario(drawn), paths=PATHS, seed=11, years=YEARS, chunk_paths=1000)


def _same(a: ForecastRun, b: ForecastRun) -> None:
    assert a.fans == b.fans
    assert a.targets == b.targets and a.grid == b.grid and a.inflow_targets == b.inflow_targets
    assert a.survival == b.survival
    for key, value in a.path_metrics.items():
        np.testing.assert_array_equal(value, b.path_metrics[key])


# --- what the fit states ------------------------------------------------------------------


def _ou_series(kappa: float, theta: float, sigma: float, n: int, count: int) -> np.ndarray:
    rng = np.random.default_rng(8)
    b = math.exp(-kappa)
    sd = sigma * math.sqrt((1 - b * b) / (2 * kappa))
    x = np.empty((count, n + 1))
    x[:, 0] = theta + rng.standard_normal(count) * sigma / math.sqrt(2 * kappa)
    for t in range(1, n + 1):
        x[:, t] = theta + (x[:, t - 1] - theta) * b + sd * rng.standard_normal(count)
    return x


def test_the_stated_ou_correlation_is_the_estimators_own() -> None:
    """Fit many series simulated from one OU model: the estimates' correlation across the fits
    is the correlation each fit states (delta method), within Monte Carlo error."""
    series = _ou_series(0.4, math.log(80.0), 0.3, 300, 1500)
    fits = [fit_ou(x)[0] for x in series]
    est = np.array([[f.params[k].value for k in ("kappa", "long_run", "sigma")] for f in fits if f])
    est[:, 1] = np.log(est[:, 1])  # long_run's correlation is that of its log, theta
    seen = np.corrcoef(est.T)
    stated = np.mean([np.array(f.correlation) for f in fits if f], axis=0)
    np.testing.assert_allclose(seen, stated, atol=0.08)
    assert abs(stated[0, 1]) > 0.1 or abs(stated[0, 2]) > 0.1  # something to check


def test_the_stated_gbm_correlation_is_the_estimators_own() -> None:
    rng = np.random.default_rng(9)
    mu, sigma = 0.03, 0.6
    steps = rng.standard_normal((3000, 200)) * sigma + (mu - sigma**2 / 2)
    fits = [fit_gbm(np.concatenate([[0.0], np.cumsum(r)])) for r in steps]
    est = np.array([[f.params["mu"].value, f.params["sigma"].value] for f in fits])
    stated = fits[0].correlation
    assert stated is not None
    assert np.corrcoef(est.T)[0, 1] == pytest.approx(stated[0][1], abs=0.05)
    assert stated[0][1] == pytest.approx(sigma / math.sqrt(2 + sigma**2), abs=0.02)


def test_bundled_blocks_carry_each_fitted_parameters_standard_error() -> None:
    for block, names in (
        ("pinksheet-2025-11.yaml", ("oil", "natural_gas", "thermal_coal", "iron_ore")),
        ("usgs-lithium-2021.yaml", ("lithium",)),
    ):
        path = Path(__file__).resolve().parents[2] / "src/jointfund/forecast/scenarios/prices"
        data = yaml.safe_load((path / block).read_text(encoding="utf-8"))
        for name in names:
            price = data["prices"]["commodities"][name]
            fit = price["fit"]
            assert fit["model"] == price["model"] == "ou"
            assert list(fit["se"]) == ["kappa", "long_run", "sigma"]
            for key, se in fit["se"].items():  # the same s.e. the `source` line quotes
                assert f"{key} {price[key]:.4g} (s.e. {se:.4g})" in price["source"]
            corr = np.array(fit["correlation"])
            assert corr.shape == (3, 3) and np.allclose(corr, corr.T)
            np.linalg.cholesky(corr)
            assert "fit" in price["sourced"]


def test_a_calibrated_gbm_block_draws_mu_as_it_is_and_sigma_on_the_log_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = simulate(gbm(0.02, 0.3, s0=60.0), 40, seed=6)
    path = pink_sheet(
        tmp_path / "pink.xlsx",
        [("Crude oil, Brent", "$/bbl", "CRUDE_BRENT", monthly_from_yearly(truth))],
        first_year=1985,
    )
    block = tmp_path / "oil.yaml"
    args = ["forecast", "calibrate", "--prices", str(path), "--model", "gbm", "--json"]
    assert main([*args, "--out", str(block)]) == 0
    fits = json.loads(capsys.readouterr().out)["prices"][0]["fits"]["gbm"]
    oil = yaml.safe_load(block.read_text(encoding="utf-8"))["prices"]["commodities"]["oil"]
    assert oil["fit"]["se"] == {k: float(f"{fits['params'][k]['se']:.4g}") for k in ("mu", "sigma")}
    assert oil["fit"]["correlation"][0][1] == round(fits["correlation"][0][1], 4) > 0
    scenario = tmp_path / "gbm-draws.yaml"
    over = {"prices": {"commodities": {"oil": {"parameter_uncertainty": "draw"}}}}
    scenario.write_text(yaml.safe_dump({"extends": ["base", "oil.yaml"], "name": "g", **over}))
    run = run_forecast(load_scenario(scenario), paths=300, seed=2, years=15)
    said = run.manifest.parameter_uncertainty["commodities"]["oil"]["parameters"]
    assert {k: v["scale"] for k, v in said.items()} == {"mu": "identity", "sigma": "log"}


@pytest.mark.parametrize("model", [GBM, OU, SCHWARTZ_SMITH])
def test_per_path_parameters_give_each_path_the_prices_of_its_own_parameters(model: int) -> None:
    """price_paths with parameter arrays equals, path by path, price_paths with that path's
    parameters as plain numbers (GBM, OU and the two-factor model, some paths not priced)."""
    n, years = 40, 12
    rng = np.random.default_rng(4)
    p = PriceParams("x", model, 70.0, 0.01, 0.3, 0.5, math.log(60.0), 0.2, 0.4, 0.1)
    shocks = [rng.standard_normal((years, p.factors, n)).astype(np.float32)]
    drawn = {
        "mu": 0.01 + 0.02 * rng.standard_normal(n),
        "sigma": 0.3 * np.exp(0.2 * rng.standard_normal(n)),
        "kappa": 0.5 * np.exp(0.5 * rng.standard_normal(n)),
        "theta": math.log(60.0) + 0.3 * rng.standard_normal(n),
        "sigma_chi": 0.2 * np.exp(0.2 * rng.standard_normal(n)),
    }
    cols = np.arange(1, n, 3)
    (vector,) = price_paths((p,), ((1.0,),), shocks, columns=[cols], drawn=[drawn])
    assert vector is not None and vector.shape == (years, cols.size)
    for k, i in enumerate(cols):
        mine = dataclasses.replace(p, **{f: float(v[i]) for f, v in drawn.items()})
        (one,) = price_paths((mine,), ((1.0,),), [s[..., i : i + 1] for s in shocks])
        assert one is not None
        np.testing.assert_allclose(vector[:, k], one[:, 0], rtol=1e-12)


# --- the opt-in and its refusals ----------------------------------------------------------


def test_draws_are_refused_for_a_block_without_standard_errors(tmp_path: Path) -> None:
    mine = tmp_path / "no-se.yaml"
    over = {"prices": {"commodities": {"rare_earths": {"parameter_uncertainty": "draw"}}}}
    mine.write_text(yaml.safe_dump({"extends": BLOCKS, "name": "no-se", **over}))
    with pytest.raises(InputError) as caught:
        load_scenario(mine)
    (problem,) = caught.value.problems
    assert problem.file == str(mine)
    assert problem.field == "prices.commodities.rare_earths.parameter_uncertainty"
    assert "standard errors" in problem.message

    every = tmp_path / "all-no-se.yaml"
    every.write_text(
        yaml.safe_dump(
            {"extends": "base", "name": "x", "prices": {"parameter_uncertainty": "draw"}}
        )
    )
    with pytest.raises(InputError) as caught:
        load_scenario(every)
    (problem,) = caught.value.problems
    assert (problem.file, problem.field) == (str(every), "prices.parameter_uncertainty")


@pytest.mark.parametrize(
    ("oil", "says"),
    [
        ({"fit": {"se": {"mu": 0.1}}}, "not estimated by a 'ou' fit"),
        ({"fit": {"se": {"kappa": -0.1}}}, "positive finite"),
        ({"model": "gbm"}, "a 'ou' fit cannot spread a 'gbm' model"),
        ({"fit": {"correlation": [[1, 2, 0], [2, 1, 0], [0, 0, 1]]}}, "not positive definite"),
        ({"fit": {"correlation": [[1]]}}, "3 x 3"),
    ],
)
def test_a_malformed_fit_is_refused_where_it_stands(
    tmp_path: Path, oil: dict[str, Any], says: str
) -> None:
    mine = tmp_path / "bad-fit.yaml"
    over = {"prices": {"commodities": {"oil": oil}}}
    mine.write_text(yaml.safe_dump({"extends": BLOCKS, "name": "bad", **over}))
    with pytest.raises(InputError) as caught:
        load_scenario(mine)
    (problem,) = caught.value.problems
    assert problem.file == str(mine)
    assert problem.field is not None and problem.field.startswith("prices.commodities.oil")
    assert says in problem.message


def test_a_block_can_opt_out_and_draws_off_change_nothing(point: Path, tmp_path: Path) -> None:
    """With every block at `none` the run is the point-estimate run bit for bit, and so is
    the run of the same blocks without their `fit` (the blocks as they were before)."""
    names = ("oil", "natural_gas", "thermal_coal", "iron_ore", "lithium")
    out_all = _scenario(
        tmp_path,
        "opted-out",
        prices={
            "parameter_uncertainty": "draw",
            "commodities": {n: {"parameter_uncertainty": "none"} for n in names},
        },
    )
    no_fit = _scenario(
        tmp_path, "no-fit", prices={"commodities": {n: {"fit": None} for n in names}}
    )
    runs = [
        run_forecast(load_scenario(p), paths=PATHS, seed=11, years=YEARS, chunk_paths=1000)
        for p in (point, out_all, no_fit)
    ]
    for other in runs[1:]:
        _same(runs[0], other)
    assert runs[1].manifest.parameter_uncertainty["propagated"] is False


# --- the draws ----------------------------------------------------------------------------


def test_drawn_parameters_match_the_stated_standard_errors(drawn: Path) -> None:
    """Across paths, each parameter on its drawing scale (log for kappa, sigma, long_run) has
    mean log(estimate) and s.d. se / estimate (delta method), and the fit's correlation."""
    scenario = load_scenario(drawn)
    model = compile_model(scenario, YEARS)
    n = 40_000
    per_path = path_params(model, draw_chunk(model, 5, 0, n))
    assert per_path is not None
    gas = model.prices.index(next(p for p in model.prices if p.name == "natural_gas"))
    fields = per_path[gas]
    assert fields is not None and set(fields) == {"kappa", "theta", "sigma"}
    block = scenario.model.prices.commodities["natural_gas"]
    assert block.fit is not None and block.kappa and block.long_run
    se = block.fit.se
    on_scale = {
        "kappa": (np.log(fields["kappa"]), math.log(block.kappa), se["kappa"] / block.kappa),
        "long_run": (fields["theta"], math.log(block.long_run), se["long_run"] / block.long_run),
        "sigma": (np.log(fields["sigma"]), math.log(block.sigma), se["sigma"] / block.sigma),
    }
    for key, (values, centre, sd) in on_scale.items():
        assert abs(values.mean() - centre) < 4 * sd / math.sqrt(n), key
        assert abs(values.std(ddof=1) - sd) < 4 * sd / math.sqrt(2 * (n - 1)), key
    seen = np.corrcoef([v for v, _, _ in on_scale.values()])
    assert block.fit.correlation is not None
    np.testing.assert_allclose(seen, np.array(block.fit.correlation), atol=4 / math.sqrt(n))
    assert np.all(fields["kappa"] > 0) and np.all(fields["sigma"] > 0)


def test_parameter_draws_have_their_own_stream_and_leave_every_other_draw_alone(
    drawn: Path, point: Path
) -> None:
    with_draws = compile_model(load_scenario(drawn), YEARS)
    without = compile_model(load_scenario(point), YEARS)
    extra = set(source_ids(with_draws)) - set(source_ids(without))
    assert extra == {f"price-params:{n}" for n in ("natural_gas", "oil", "lithium")}
    a = draw_chunk(with_draws, 7, 100, 2500)
    b = draw_chunk(without, 7, 100, 2500)
    for name in ("price", "new_u", "new_z", "territory", "regions"):
        for x, y in zip(getattr(a, name), getattr(b, name), strict=True):
            np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.fx, b.fx)
    np.testing.assert_array_equal(a.fund, b.fund)
    assert all(p.size == 0 for p in b.params)
    # paired: the same licences and territory on every path, only prices differ
    out_a, out_b = simulate_chunk(with_draws, a), simulate_chunk(without, b)
    np.testing.assert_array_equal(out_a.raw_inflow > 0, out_b.raw_inflow > 0)
    assert not np.array_equal(out_a.raw_inflow, out_b.raw_inflow)


def test_same_seed_replays_with_draws(drawn: Path, drawn_run: ForecastRun) -> None:
    again = run_forecast(load_scenario(drawn), paths=PATHS, seed=11, years=YEARS, chunk_paths=1000)
    _same(drawn_run, again)


@pytest.mark.parametrize("chunk", [777, PATH_BLOCK + 5, 100_000])
def test_chunk_size_does_not_change_results_with_draws(
    drawn: Path, drawn_run: ForecastRun, chunk: int
) -> None:
    other = run_forecast(load_scenario(drawn), paths=PATHS, seed=11, years=YEARS, chunk_paths=chunk)
    _same(drawn_run, other)


def test_dask_gives_the_local_result_with_draws(drawn: Path, drawn_run: ForecastRun) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        remote = run_forecast(
            load_scenario(drawn),
            paths=PATHS,
            seed=11,
            years=YEARS,
            chunk_paths=1000,
            scheduler=cluster.scheduler_address,
        )
    _same(drawn_run, remote)


@pytest.mark.parametrize("antithetic", [False, True])
def test_engine_equals_reference_with_drawn_parameters(drawn: Path, antithetic: bool) -> None:
    model = compile_model(load_scenario(drawn), 40)
    draws = draw_chunk(model, 2024, 4090, 4110, antithetic)
    out = simulate_chunk(model, draws)
    for i in range(draws.n):
        ref = reference_path(model, draws, i)
        for field in ("raw_inflow", "cum_inflow", "nav", "share_us", "dist_us"):
            np.testing.assert_allclose(
                getattr(out, field)[:, i], getattr(ref, field), rtol=1e-9, atol=1e-6
            )


def test_the_fan_widens_when_parameters_are_drawn(drawn: Path, point: Path) -> None:
    """The 5-95 % width of cumulative inflow at the horizon: even the draws' narrowest width
    within the order-statistic intervals exceeds the point run's widest."""
    runs = [
        run_forecast(load_scenario(p), paths=4000, seed=5, years=40, rare_events=False)
        for p in (drawn, point)
    ]
    with_draws, without = (r.fans["cum_inflow"] for r in runs)
    narrowest = with_draws.low[-1][-1] - with_draws.high[-1][0]
    widest = without.high[-1][-1] - without.low[-1][0]
    assert narrowest > widest


# --- what the outputs say -----------------------------------------------------------------


def test_outputs_say_whether_parameter_uncertainty_was_propagated(
    drawn: Path, drawn_run: ForecastRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = drawn_run.manifest.parameter_uncertainty
    assert said["propagated"] is True
    assert set(said["commodities"]) == {"natural_gas", "oil", "lithium"}
    gas = said["commodities"]["natural_gas"]
    assert gas["stream"] in drawn_run.manifest.spawn_keys
    assert gas["parameters"]["kappa"]["scale"] == "log"
    assert "rare_earths" in said["point_estimates"]

    out = tmp_path / "run"
    args = ["forecast", "run", str(drawn), "--paths", "200", "--seed", "5", "--years", "12"]
    assert main([*args, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["parameter_uncertainty"]["propagated"] is True
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameter_uncertainty"]["commodities"]["oil"]["stream"] == "price-params:oil"

    assert main([*args[:2], "base", *args[3:], "--out", str(tmp_path / "plain"), "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert plain["parameter_uncertainty"]["propagated"] is False

    # the plain-text summary says it too, for a new run and for a saved one
    assert main(["forecast", "show", str(out)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Price parameters drawn per path for lithium, natural_gas, oil" in text
    assert "point estimates for rare_earths" in text
    assert main(["forecast", "show", str(tmp_path / "plain")]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Price parameters: the same on every path" in text and "drawn per path" not in text

    counted = census(load_scenario(drawn), years=10, paths=256).as_dict()
    assert counted["parameter_uncertainty"]["propagated"] is True
    fit_numbers = [n for n in counted["numbers"] if ".fit." in n["path"]]
    assert fit_numbers and all(n["status"] == "sourced" for n in fit_numbers)
