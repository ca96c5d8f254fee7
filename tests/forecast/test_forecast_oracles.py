"""Statistical and hand-computed oracles: GBM and OU moments, engine == reference, a fixed path."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from jointfund.forecast import load_scenario, run_forecast
from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.model import (
    GBM,
    OU,
    SCHWARTZ_SMITH,
    CompiledModel,
    PriceParams,
    compile_model,
)
from jointfund.forecast.prices import price_paths, ss_shock_correlation
from jointfund.forecast.reference import reference_path
from jointfund.forecast.start import StartPoint
from tests.forecast.forecast_tiny import tiny_scenario

N = 200_000
IDENTITY = ((1.0,),)


def _shocks(years: int, factors: int = 1, seed: int = 3) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((years, factors, N)),)


def test_gbm_sample_mean_matches_s0_exp_mu_t() -> None:
    p = PriceParams(
        "x", GBM, s0=100.0, mu=0.05, sigma=0.3, kappa=0, theta=0, sigma_chi=0, rho=0, chi0=0
    )
    years = 11
    (prices,) = price_paths((p,), IDENTITY, _shocks(years))
    assert prices is not None
    final = prices[-1]
    expected = 100.0 * math.exp(0.05 * (years - 1))
    se = final.std(ddof=1) / math.sqrt(N)
    assert abs(final.mean() - expected) < 4 * se


@pytest.mark.parametrize("kappa", [0.3, 1.5])
def test_ou_exact_transition_mean_variance_and_stationary_variance(kappa: float) -> None:
    sigma, theta, x0 = 0.4, math.log(50.0), math.log(80.0)
    p = PriceParams(
        "x", OU, s0=80.0, mu=0, sigma=sigma, kappa=kappa, theta=theta, sigma_chi=0, rho=0, chi0=0
    )
    years = 31
    (prices,) = price_paths((p,), IDENTITY, _shocks(years))
    assert prices is not None
    x = np.log(prices)
    for t in (1, 3):
        mean = theta + (x0 - theta) * math.exp(-kappa * t)
        var = sigma**2 * (1 - math.exp(-2 * kappa * t)) / (2 * kappa)
        assert abs(x[t].mean() - mean) < 4 * math.sqrt(var / N)
        assert abs(x[t].var() - var) < 4 * var * math.sqrt(2 / (N - 1))
    stationary = sigma**2 / (2 * kappa)
    assert abs(x[-1].var() - stationary) < 4 * stationary * math.sqrt(2 / (N - 1))


def test_schwartz_smith_log_price_variance_matches_closed_form() -> None:
    """Oil parameters of Schwartz & Smith (2000); Var x_t from the exact two-factor covariance."""
    k, sc, sx, rho = 1.49, 0.286, 0.145, 0.3
    p = PriceParams(
        "oil",
        SCHWARTZ_SMITH,
        s0=70.0,
        mu=-0.0125,
        sigma=sx,
        kappa=k,
        theta=0,
        sigma_chi=sc,
        rho=rho,
        chi0=0.0,
    )
    years, t = 6, 5
    (prices,) = price_paths((p,), IDENTITY, _shocks(years, factors=2))
    assert prices is not None
    x = np.log(prices[t])
    var = (
        (1 - math.exp(-2 * k * t)) * sc**2 / (2 * k)
        + sx**2 * t
        + 2 * (1 - math.exp(-k * t)) * rho * sc * sx / k
    )
    assert abs(x.var() - var) < 4 * var * math.sqrt(2 / (N - 1))
    assert abs(x.mean() - (math.log(70.0) - 0.0125 * t)) < 4 * math.sqrt(var / N)
    assert 0 < ss_shock_correlation(p) < 1


@pytest.mark.parametrize(
    "name", ["base", "terms-2025-02-21", "terms-2025-03", "gradual-return", "terms-2025-02-26"]
)
@pytest.mark.parametrize("antithetic", [False, True])
def test_engine_equals_reference_on_the_same_draws(name: str, antithetic: bool) -> None:
    _same_as_reference(compile_model(load_scenario(name), 40), antithetic)


# A start from books mid-2027: NAV, capital, distributions, untransferred hryvnias and dollars,
# two licences issued (one before year 0, one in it) and a rate of the day.
BOOKS_START = StartPoint(
    as_of=date(2027, 5, 20),
    first_year=2027,
    elapsed=0.38,
    nav=3.0e8,
    capital=(1.9e8, 1.1e8),
    distributed=(2.0e6, 1.0e6),
    arrivals_uah=(9.0e7, 4.0e7),
    arrivals_usd=(0.0, 2.5e6),
    issued={"dobra": 0, "dnipro-donets": -2},
    uah_per_usd=44.1,
)


@pytest.mark.parametrize("antithetic", [False, True])
def test_engine_equals_reference_from_a_books_start(antithetic: bool) -> None:
    model = compile_model(load_scenario("base"), 40, BOOKS_START)
    assert any(c.lic_u_floor > 0 for c in model.new) and any(c.issued for c in model.new)
    _same_as_reference(model, antithetic)


def _same_as_reference(model: CompiledModel, antithetic: bool) -> None:
    draws = draw_chunk(model, 2024, 4090, 4110, antithetic)  # straddles a path block boundary
    out = simulate_chunk(model, draws)
    for i in range(draws.n):
        ref = reference_path(model, draws, i)
        for field in (
            "raw_inflow",
            "inflow",
            "cum_inflow",
            "nav",
            "capital_us",
            "capital_ua",
            "share_us",
            "dist_us",
            "dist_ua",
        ):
            np.testing.assert_allclose(
                getattr(out, field)[:, i],
                getattr(ref, field),
                rtol=1e-9,
                atol=1e-6,
                err_msg=f"{field} path {i}",
            )
        assert tuple(out.recoup_cash[:, i]) == ref.recoup_cash
        assert tuple(out.recoup_value[:, i]) == ref.recoup_value


def test_fixed_path_reproduces_hand_computed_inflows(tmp_path: Path) -> None:
    # Licence in 2026 (certain): fee UAH 415 m / 41.5 UAH per USD = $10 m; fund share 50% -> $5 m.
    # Production starts 2026 + 3 development years = 2029, 2-year ramp, 3-year life:
    #   full year = 10,000 t x $1,000/t x 10% royalty x 50% share = $0.5 m
    #   2029: 50% ramp -> $0.25 m; 2030: $0.5 m; 2031: $0.5 m; nothing after.
    # Cumulative: 5 + 0.25 + 0.5 + 0.5 = $6.25 m; fund return 0, so NAV = cumulative inflow.
    run = run_forecast(load_scenario(tiny_scenario(tmp_path)), paths=4, seed=1, years=10)
    expected = [0, 5e6, 0, 0, 0.25e6, 0.5e6, 0.5e6, 0, 0, 0]
    median = [row[2] for row in run.fans["inflow"].values]
    np.testing.assert_allclose(median, expected, rtol=1e-6, atol=1e-3)
    assert run.fans["cum_inflow"].values[-1] == pytest.approx((6.25e6,) * 5)
    assert run.fans["nav"].values[-1][2] == pytest.approx(6.25e6, rel=1e-6)
    inflow = run.inflow_targets
    assert inflow[0].prob[-1] == 1.0 and inflow[1].prob[-1] == 0.0
    assert inflow[0].prob[5] == 0.0  # $5.75 m by 2030 is short of $6 m
    assert inflow[0].measure == "cum_inflow" and inflow[0].hits[-1] == 4
    # U.S. recoupment: the U.S. contributed nothing, so it owns nothing and is paid nothing
    assert run.targets[0].measure == "us_value"
    assert run.targets[0].prob[-1] == 0.0 and run.fans["us_value"].values[-1] == (0.0,) * 5
    assert run.fans["share_ua"].values[-1][2] == 1.0  # Ukraine is the only contributor
