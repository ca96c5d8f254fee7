"""The forecast follows the term sheet's contribution cycle: a year's receipts credit Ukraine's
capital in the transfer year, at that year's rate; the February drafts keep their own rule."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np

from jointfund.forecast import load_scenario
from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.fundlayer import ChunkOutput
from jointfund.forecast.fundrules import ForecastTerms, forecast_terms_from_preset
from jointfund.forecast.inflows import fx_path
from jointfund.forecast.model import compile_model
from jointfund.terms import load_terms
from tests.forecast.forecast_tiny import tiny_scenario

FEE_UAH = 415.0e6  # the tiny deposit's permit fee, paid in its licence year 2026 (index 1)
# the hryvnia loses 5 % a year against the dollar with no noise: every year has its own rate
FX = {"assumption": "drifting", "s0": 41.5, "drift": 0.05, "kappa": 1.0, "sigma": 0.0}


def _run(tmp: Path, terms: ForecastTerms) -> tuple[ChunkOutput, np.ndarray]:
    path = tiny_scenario(tmp, fiscal=_fiscal_with(FX))
    scenario = dataclasses.replace(load_scenario(path), terms=terms)
    model = compile_model(scenario, 10)
    draws = draw_chunk(model, 3, 0, 4)
    return simulate_chunk(model, draws), fx_path(model, draws.fx)


def _fiscal_with(fx: dict[str, object]) -> dict[str, object]:
    return {
        "royalty": {"lithium": {"assumption": "10%", "tiers": [{"rate": 0.10}]}},
        "psa": {"assumption": "x", "royalty_rate": 0.02, "state_share": 0.3, "profit_margin": 0.35},
        "net_cost_fraction": {"assumption": "x", "value": 0.3},
        "fx": fx,
    }


def test_the_agreements_cycle_gives_a_one_year_lag_valued_at_the_transfer_rate() -> None:
    terms = forecast_terms_from_preset("ua-us-2025-04-30-agreement")
    cycle = load_terms("ua-us-2025-04-30-agreement").cycle
    assert cycle is not None and cycle.transfer_due(2025).isoformat() == "2026-04-01"
    assert terms.transfer_lag_years == 1 and terms.fx_at_transfer
    for draft in ("ua-us-2025-02-21-draft", "ua-us-2025-02-26-framework", "ua-us-2025-03-us-draft"):
        kept = forecast_terms_from_preset(draft)
        assert kept.transfer_lag_years == 0 and not kept.fx_at_transfer, draft


def test_a_receipt_of_year_y_enters_capital_in_y_plus_1_at_the_transfer_years_rate(
    tmp_path: Path,
) -> None:
    terms = forecast_terms_from_preset("ua-us-2025-04-30-agreement")
    out, fx = _run(tmp_path, terms)
    # the fee is received (and accrues) in 2026 at 2026's rate ...
    assert np.allclose(out.raw_inflow[1], 0.5 * FEE_UAH / fx[1], rtol=1e-12)
    assert math.isclose(fx[2, 0] / fx[1, 0], math.exp(0.05), rel_tol=1e-12)
    # ... but nothing reaches the fund or Ukraine's capital that year
    assert np.all(out.inflow[:2] == 0.0) and np.all(out.capital_ua[:2] == 0.0)
    # the transfer of 1 April 2027 credits the hryvnias at 2027's rate
    assert np.allclose(out.inflow[2], 0.5 * FEE_UAH / fx[2], rtol=1e-12)
    assert np.allclose(out.capital_ua[2], out.inflow[2], rtol=1e-12)
    assert np.allclose(out.nav[2], out.inflow[2], rtol=1e-12)
    # every later year's credit is the previous year's receipts revalued
    assert np.allclose(out.inflow[3:], out.raw_inflow[2:-1] * fx[2:-1] / fx[3:], rtol=1e-12)


def test_a_february_draft_credits_each_receipt_in_its_own_year(tmp_path: Path) -> None:
    terms = dataclasses.replace(
        forecast_terms_from_preset("ua-us-2025-02-26-framework"), covered_resources=None
    )
    out, fx = _run(tmp_path, terms)
    assert np.allclose(out.inflow[1], 0.5 * FEE_UAH / fx[1], rtol=1e-12)
    assert np.array_equal(out.inflow, out.raw_inflow)
    assert np.allclose(out.capital_ua[1], out.inflow[1], rtol=1e-12)
