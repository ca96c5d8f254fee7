"""Calibration from published prices: the readers read the publishers' layouts, the fits recover
the parameters of series simulated by the engine's own price models, and the blocks they write
are scenario blocks the engine runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from jointfund.cli.app import main
from jointfund.errors import InputError
from jointfund.forecast import load_scenario, run_forecast
from jointfund.forecast.calibration import calibrate, fit_gbm, fit_ou
from jointfund.forecast.priceblock import LCE_PER_LI, calibrate_series
from jointfund.forecast.pricedata import annual, latest_level, pick, read_prices
from jointfund.forecast.scenario_schema import PriceModel

from .price_files import (
    LITHIUM_FILE,
    PINK_SHEET_FILE,
    ds140,
    gbm,
    monthly_from_yearly,
    ou,
    pink_sheet,
    simulate,
    two_factor,
)

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "jointfund" / "forecast"


def _points(prices: np.ndarray, first: int = 1900) -> list[tuple[int, float]]:
    return [(first + i, float(v)) for i, v in enumerate(prices)]


def _within(estimate: float, se: float, truth: float, k: float = 3.0) -> bool:
    return abs(estimate - truth) <= k * se


def test_gbm_fit_recovers_the_engine_parameters() -> None:
    prices = simulate(gbm(0.03, 0.25), 1500, seed=7)
    fit = fit_gbm(np.log(prices))
    assert _within(fit.params["mu"].value, fit.params["mu"].se, 0.03)
    assert _within(fit.params["sigma"].value, fit.params["sigma"].se, 0.25)
    assert fit.params["sigma"].se < 0.01


def test_ou_fit_recovers_the_engine_parameters() -> None:
    prices = simulate(ou(0.3, 80.0, 0.3), 2000, seed=5)
    fit, note = fit_ou(np.log(prices))
    assert fit is not None and note == ""
    p = fit.params
    assert _within(p["kappa"].value, p["kappa"].se, 0.3)
    assert _within(p["long_run"].value, p["long_run"].se, 80.0)
    assert _within(p["sigma"].value, p["sigma"].se, 0.3)
    cal = calibrate(_points(prices))
    assert cal.chosen == "ou" and cal.mean_reversion_identified


def test_ou_standard_errors_match_the_spread_of_estimates() -> None:
    """Over many 60-year samples, the delta-method s.e. of sigma and long_run is the real spread."""
    sigmas, sigma_se, levels, level_se = [], [], [], []
    for seed in range(150):
        fit, _ = fit_ou(np.log(simulate(ou(0.6, 100.0, 0.25, s0=100.0), 61, seed=seed)))
        assert fit is not None
        sigmas.append(fit.params["sigma"].value)
        sigma_se.append(fit.params["sigma"].se)
        levels.append(math.log(fit.params["long_run"].value))
        level_se.append(fit.params["long_run"].se / fit.params["long_run"].value)
    assert 0.75 < np.std(sigmas) / np.mean(sigma_se) < 1.3
    assert 0.75 < np.std(levels) / np.mean(level_se) < 1.3


def test_a_random_walk_is_not_called_mean_reverting() -> None:
    cal = calibrate(_points(simulate(gbm(0.02, 0.3), 400, seed=3)))
    assert not cal.mean_reversion_identified
    assert cal.chosen == "gbm"
    assert not cal.two_factor.identified
    assert "do not separate two factors" in cal.two_factor.reason


def test_two_factor_is_fitted_only_where_the_data_identify_it() -> None:
    prices = simulate(two_factor(kappa=0.5, sigma_chi=0.35, mu=0.01, sigma=0.15), 600, seed=3)
    cal = calibrate(_points(prices), model="schwartz_smith")
    tf = cal.two_factor
    assert tf.identified
    assert _within(tf.params["kappa"].value, tf.params["kappa"].se, 0.5)
    assert _within(tf.params["sigma"].value, tf.params["sigma"].se, 0.15)
    assert abs(tf.params["sigma_chi"].value - 0.35) < 0.1
    with pytest.raises(InputError, match="two-factor model not identified"):
        calibrate(_points(simulate(gbm(0.0, 0.2), 80, seed=1)), model="schwartz_smith")


def test_too_short_or_gappy_series_are_refused_with_a_location() -> None:
    points = [(2000 + i, 10.0 + i) for i in range(8)] + [(2020 + i, 20.0) for i in range(5)]
    with pytest.raises(InputError) as caught:
        calibrate(points, where="f.xlsx:X")
    problem = caught.value.problems[0]
    assert problem.file == "f.xlsx:X" and problem.field == "--series"
    assert "at least" in (problem.expected or "")


def test_pink_sheet_layout_is_read_with_missing_months_and_vintage(tmp_path: Path) -> None:
    yearly = simulate(ou(0.4, 70.0, 0.3), 30, seed=2)
    brent = monthly_from_yearly(yearly)
    brent[5] = "…"  # a missing month: the year 1960 drops out of the yearly means
    path = pink_sheet(
        tmp_path / "CMO-Historical-Data-Monthly.xlsx",
        [
            ("Crude oil, Brent", "$/bbl", "CRUDE_BRENT", brent),
            ("Iron ore, cfr spot", "$/dmtu", "IRON_ORE", ["…"] * 24 + brent[24:]),
        ],
    )
    found = read_prices(path)
    assert [s.code for s in found] == ["CRUDE_BRENT", "IRON_ORE"]
    s = pick(found, "crude_brent", str(path))
    assert s.unit == "$/bbl" and s.frequency == "monthly"
    assert s.vintage == "Updated on December 02, 2025"
    assert s.periods[0] == "1960M01" and s.periods[-1] == "1989M12"
    years = annual(s)
    assert years[0][0] == 1961 and len(years) == 29
    assert years[0][1] == pytest.approx(yearly[1])
    level, period = latest_level(s)
    assert level == pytest.approx(yearly[-1]) and period == "1989M01-1989M12"
    assert annual(pick(found, "IRON_ORE", str(path)))[0][0] == 1962
    with pytest.raises(InputError) as caught:
        pick(found, "NGAS_EUR", str(path))
    assert "CRUDE_BRENT" in (caught.value.problems[0].expected or "")


def test_ds140_layout_is_read_with_na_and_withheld_cells(tmp_path: Path) -> None:
    years = list(range(1990, 2022))
    values: list[float | str] = [float(v) for v in simulate(ou(0.3, 4000, 0.2), 32, seed=9)]
    values[3] = "NA"
    path = ds140(tmp_path / "ds140-lithium-2021.xlsx", "lithium", years, values)
    found = read_prices(path)
    assert [s.code for s in found] == ["lithium_unit_value", "lithium_unit_value_1998usd"]
    s = found[0]
    assert s.unit == "USD/t lithium content" and s.frequency == "annual"
    assert s.vintage == "Last modification: August 2, 2023"
    assert "Data Series 140" in s.publisher
    assert len(s.observed()) == 31
    prices = calibrate_series(found, str(path), ["lithium"], model="ou")
    block = prices[0].block()
    assert block["unit"] == "USD/t LCE"
    assert block["s0"] == pytest.approx(values[-1] / LCE_PER_LI, rel=1e-3)
    assert prices[0].calibration.years == tuple(range(1994, 2022))  # after the NA year


def test_unreadable_and_unknown_files_are_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "prices.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(InputError) as caught:
        read_prices(bad)
    assert caught.value.problems[0].file == str(bad)
    with pytest.raises(InputError, match="no such file"):
        read_prices(tmp_path / "absent.xlsx")
    odd = tmp_path / "prices.csv"
    odd.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not a derived price file"):
        read_prices(odd)
    odd.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="UTF-8"):
        read_prices(odd)
    odd.write_text("# X.unit: $/t\ncode,period,value\nX,2001,abc\nY,2002,3\n")
    with pytest.raises(InputError) as caught:
        read_prices(odd)
    first = caught.value.problems[0]
    assert (first.row, first.field) == (3, "value")  # the file's own line number
    assert "'Y' has no header" in str(caught.value.problems[1])


def test_calibrate_command_writes_a_block_a_scenario_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = simulate(ou(0.35, 75.0, 0.28, s0=75.0), 40, seed=4)
    path = pink_sheet(
        tmp_path / "pink.xlsx",
        [("Crude oil, Brent", "$/bbl", "CRUDE_BRENT", monthly_from_yearly(truth))],
        first_year=1985,
    )
    block = tmp_path / "prices" / "oil.yaml"
    code = main(
        ["forecast", "calibrate", "--prices", str(path), "--model", "ou", "--out", str(block)]
    )
    assert code == 0
    text = block.read_text(encoding="utf-8")
    assert "World Bank Commodity Price Data (The Pink Sheet) (CC BY 4.0)" in text
    assert f"# Command: jointfund forecast calibrate --prices {path} --model ou --out" in text
    data = yaml.safe_load(text)
    oil = data["prices"]["commodities"]["oil"]
    PriceModel.model_validate(oil)
    assert oil["model"] == "ou" and "CRUDE_BRENT" in oil["source"] and "1985-2024" in oil["source"]
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text("extends: [base, prices/oil.yaml]\nname: calibrated\n")
    loaded = load_scenario(scenario)
    model = loaded.model.prices.commodities["oil"]
    assert model.model == "ou" and model.sigma_chi is None and model.kappa == oil["kappa"]
    assert str(block) in loaded.input_hashes
    run = run_forecast(loaded, paths=64, seed=1, years=10)
    assert run.manifest.scenario == "calibrated"

    capsys.readouterr()
    code = main(["forecast", "calibrate", "--prices", str(path), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)["prices"][0]
    assert set(report["fits"]) == {"gbm", "ou"}
    assert report["fits"]["ou"]["params"]["kappa"]["se"] > 0
    assert report["two_factor"]["identified"] is False

    code = main(["forecast", "calibrate", "--prices", str(path), "--series", "NICKEL"])
    assert code == 3
    assert "NICKEL" in capsys.readouterr().err


def test_bundled_blocks_load_and_are_reproduced_from_the_shipped_series(tmp_path: Path) -> None:
    shipped = PACKAGE / "data" / "prices"
    blocks = PACKAGE / "scenarios" / "prices"
    pink = yaml.safe_load((blocks / "pinksheet-2025-11.yaml").read_text(encoding="utf-8"))
    lith = yaml.safe_load((blocks / "usgs-lithium-2021.yaml").read_text(encoding="utf-8"))
    assert set(pink["prices"]["commodities"]) == {"oil", "natural_gas", "thermal_coal", "iron_ore"}
    assert set(lith["prices"]["commodities"]) == {"lithium"}
    again = calibrate_series(
        read_prices(shipped / "pinksheet-2025-12.csv"),
        "pinksheet",
        ["oil", "natural_gas", "thermal_coal", "iron_ore"],
        model="ou",
        since=1986,
    )
    for p in again:
        stated = pink["prices"]["commodities"][p.mapping.commodity]
        assert {k: stated[k] for k in ("kappa", "long_run", "sigma", "s0")} == {
            k: p.block()[k] for k in ("kappa", "long_run", "sigma", "s0")
        }
    for text in (
        (blocks / "pinksheet-2025-11.yaml").read_text(encoding="utf-8"),
        (shipped / "pinksheet-2025-12.csv").read_text(encoding="utf-8"),
    ):
        assert "World Bank Commodity Price Data (The Pink Sheet)" in text and "CC BY 4.0" in text
    # a scenario anywhere names the bundled blocks by their place among the scenarios
    mine = tmp_path / "with-blocks.yaml"
    parents = ["base", "prices/pinksheet-2025-11.yaml", "prices/usgs-lithium-2021.yaml"]
    mine.write_text(yaml.safe_dump({"extends": parents, "name": "with-blocks"}))
    loaded = load_scenario(mine)
    assert loaded.model.prices.commodities["natural_gas"].model == "ou"
    assert loaded.model.prices.commodities["lithium"].unit == "USD/t LCE"


@pytest.mark.skipif(not PINK_SHEET_FILE.exists(), reason=f"{PINK_SHEET_FILE} not present")
def test_real_pink_sheet_gives_blocks_for_oil_gas_coal_and_iron_ore() -> None:
    found = read_prices(PINK_SHEET_FILE)
    prices = calibrate_series(found, str(PINK_SHEET_FILE), since=1986)
    assert {p.mapping.commodity for p in prices} == {
        "oil",
        "natural_gas",
        "thermal_coal",
        "iron_ore",
    }
    for p in prices:
        PriceModel.model_validate(p.block())
        assert p.calibration.years[0] == 1986 and p.calibration.years[-1] == 2024
        assert p.series.vintage == "Updated on December 02, 2025"
        assert 0.1 < p.calibration.gbm.params["sigma"].value < 0.6
    shipped = read_prices(PACKAGE / "data" / "prices" / "pinksheet-2025-12.csv")
    for s in shipped:
        original = pick(found, s.code, "workbook")
        assert s.periods == original.periods
        assert np.array_equal(np.array(s.values), np.array(original.values), equal_nan=True)


@pytest.mark.skipif(not LITHIUM_FILE.exists(), reason=f"{LITHIUM_FILE} not present")
def test_real_usgs_lithium_gives_a_block() -> None:
    found = read_prices(LITHIUM_FILE)
    prices = calibrate_series(found, str(LITHIUM_FILE), ["lithium"], since=2001, model="ou")
    block = prices[0].block()
    PriceModel.model_validate(block)
    assert prices[0].calibration.years == tuple(range(2001, 2022))
    assert block["s0"] == pytest.approx(6200 / LCE_PER_LI, rel=1e-3)
    assert "NOT a battery-grade" in block["assumption"]


def test_ranges_let_sobol_apportion_the_output_over_the_fits_own_error(tmp_path: Path) -> None:
    from jointfund.forecast.sobol import sobol

    truth = simulate(ou(0.35, 75.0, 0.28, s0=75.0), 40, seed=4)
    path = pink_sheet(
        tmp_path / "pink.xlsx",
        [("Crude oil, Brent", "$/bbl", "CRUDE_BRENT", monthly_from_yearly(truth))],
        first_year=1985,
    )
    block = tmp_path / "oil.yaml"
    args = ["forecast", "calibrate", "--prices", str(path), "--model", "ou", "--ranges"]
    assert main([*args, "--out", str(block)]) == 0
    data = yaml.safe_load(block.read_text(encoding="utf-8"))
    inputs = {i["path"]: i for i in data["sensitivity"]["inputs"]}
    oil = data["prices"]["commodities"]["oil"]
    assert set(inputs) == {f"prices.commodities.oil.{k}" for k in ("kappa", "long_run", "sigma")}
    for key, inp in inputs.items():
        value = oil[key.rsplit(".", 1)[1]]
        assert inp["p10"] < value < inp["p90"]
    scenario = tmp_path / "fit-error.yaml"
    scenario.write_text("extends: [base, oil.yaml]\nname: fit-error\n")
    loaded = load_scenario(scenario)
    assert [i.path for i in loaded.model.sensitivity.inputs] == list(inputs)
    run = sobol(loaded, n_base=16, paths=64, seed=3, years=20)
    assert {i.path for i in run.outputs[0].indices} == set(inputs)
    assert max(i.st for i in run.outputs[0].indices) > 0.0
