"""The forecast starts from the books on an as-of day, and a backtest places what the books
recorded later in the engine's fans."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from jointfund.errors import PermissionDeniedError
from jointfund.forecast import load_scenario
from jointfund.forecast.backtest import Backtest, percentile_of, place, run_backtest, simulate_years
from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.fundlayer import contribution_rows
from jointfund.forecast.inflows import timelines
from jointfund.forecast.model import compile_model
from jointfund.forecast.start import StartPoint
from jointfund.forecast.territory import territory_states
from jointfund.fund.demo import build_demo
from jointfund.fund.forecast_books import booked_years, books_state, forecast_start
from jointfund.fund.users import list_users
from jointfund.governance import Role, User
from jointfund.store import Database, open_database
from tests.operator import operator

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(str(tmp_path_factory.mktemp("books") / "fund.db"))
    build_demo(db)
    return db


def _demo_user(db: Database, role: Role) -> User:
    return next(u for u in list_users(db, operator(db)) if u.role is role)


@pytest.fixture(scope="module")
def auditor(example: Database) -> User:
    return _demo_user(example, Role.AUDITOR)


def test_the_books_state_on_a_day(example: Database, auditor: User) -> None:
    state = books_state(example, auditor, as_of=AS_OF)
    assert state.capital_minor == {"US": 75_000_000_00, "UA": 37_500_000_00}
    assert state.nav_minor == 112_500_000_00
    # the 2025 receipts wait in the special fund: 75 m hryvnias, not yet transferred
    assert state.pending == {2025: {"UAH": 75_000_000_00}}
    assert state.uah_per_usd == Decimal("43.1503")
    assert {"Dnipro-Donets basin gas block", "Surske uranium deposit"} <= set(state.issued)
    after = books_state(example, auditor, as_of=date(2026, 4, 1))
    assert 2025 not in after.pending  # the 1 April 2026 transfer settled them
    assert after.capital_minor["UA"] == 37_500_000_00 + 37_500_000_00 + 1_732_886_02


def test_a_filer_cannot_read_the_books_state(example: Database) -> None:
    filer = _demo_user(example, Role.REPORTING_ENTITY)
    with pytest.raises(PermissionDeniedError):
        books_state(example, filer, as_of=AS_OF)


def test_paths_start_from_the_books_cash_capital_and_accruals(
    example: Database, auditor: User
) -> None:
    scenario = load_scenario("base")
    start = forecast_start(example, auditor, scenario, as_of=AS_OF)
    assert start.first_year == 2026 and start.elapsed == 0.0
    model = compile_model(scenario, 3, start)
    draws = draw_chunk(model, 7, 0, 64)
    out = simulate_chunk(model, draws)
    us_cash, us_kind, ua_cash = (
        np.broadcast_to(r[0], (64,)) for r in contribution_rows(model, draws)
    )
    # the pending 2025 accrual arrives on 1 April 2026, valued at the books' rate (FX at transfer)
    assert np.allclose(out.inflow[0], 75_000_000 / 43.1503, rtol=1e-12)
    # capital at the start is the books': year 0 adds only year 0's own flows
    assert np.allclose(out.capital_ua[0] - out.inflow[0] - ua_cash, 37_500_000.0, rtol=1e-12)
    assert np.allclose(out.capital_us[0] - us_cash - us_kind, 75_000_000.0, rtol=1e-12)
    mu, sigma, drag = model.fund_return
    growth = np.exp(mu - 0.5 * sigma**2 - drag + sigma * draws.fund[0].astype(np.float64))
    expected_nav = 112_500_000.0 * growth + out.inflow[0] + us_cash + ua_cash
    assert np.allclose(out.nav[0], expected_nav, rtol=1e-9)
    # a licence the books issued is not drawn again (always licensed, in its year, fee paid)
    gas = [c for c in model.new if c.deposit_id == "dnipro-donets"]
    assert gas and all(c.issued and c.p_licence == 1.0 for c in gas)
    assert all(c.licence_year == (-1.0, -1.0, -1.0) for c in gas)
    # and one the books have not issued is not licensed before the as-of day
    lines = timelines(model, draws, territory_states(model, draws))
    for comp, line in zip(model.new, lines, strict=True):
        if not comp.issued:
            assert np.all(line.lic[line.licensed] >= 0), comp.deposit_id


def test_what_the_books_recorded_after_a_day(example: Database, auditor: User) -> None:
    (year,) = booked_years(example, auditor, after=AS_OF, to_year=2026)
    assert year.year == 2026
    assert year.inflow_minor == 1_732_886_02  # the 2025 transfer, at 1 April 2026's rate
    assert year.capital_ua_minor == 76_732_886_02
    assert year.receipts_minor > 0


def test_percentile_and_bands_on_a_known_sample() -> None:
    values = np.arange(1000, dtype=np.float64)  # 0 .. 999
    assert percentile_of(values, 249.5) == 25.0
    assert percentile_of(values, 250.0) == 25.05  # 250 below, one tie counting half
    assert percentile_of(values, -1.0) == 0.0 and percentile_of(values, 1e9) == 100.0
    inside, edge, outside = (
        place(2030, values, 500.0),
        place(2030, values, 60.0),
        place(2030, values, 30.0),
    )
    assert inside.in_50 and inside.in_90
    assert not edge.in_50 and edge.in_90
    assert not outside.in_50 and not outside.in_90
    result = Backtest("x", "2025-12-31", 2026, 1000, 1, {"nav": (inside, edge, outside)})
    assert result.coverage("nav") == {"years": 3, "band_50": 1 / 3, "band_90": 2 / 3}


def test_backtest_places_a_value_known_to_sit_at_a_percentile_of_the_engines_fan() -> None:
    scenario = load_scenario("base")
    start = StartPoint(
        as_of=AS_OF,
        first_year=2026,
        elapsed=0.0,
        nav=1e8,
        capital=(7.5e7, 2.5e7),
        distributed=(0, 0),
    )
    paths = 2000
    sims = simulate_years(scenario, start, 3, paths, 99)
    nav = np.sort(sims["nav"], axis=1)
    # observed: the 300th smallest path in 2026 (percentile 14.975), the 1,000th in 2028 (49.975)
    observed = {"nav": {2026: float(nav[0, 299]), 2028: float(nav[2, 999])}}
    result = run_backtest(scenario, start, observed, paths=paths, seed=99)
    low, mid = result.series["nav"]
    assert math.isclose(low.percentile, 100 * 299.5 / paths)
    assert math.isclose(mid.percentile, 100 * 999.5 / paths)
    assert (low.in_50, low.in_90, mid.in_50, mid.in_90) == (False, True, True, True)
    assert result.coverage("nav") == {"years": 2, "band_50": 0.5, "band_90": 1.0}


def test_year_zeros_scheduled_contributions_count_only_beyond_what_the_books_received(
    example: Database, auditor: User
) -> None:
    scenario = load_scenario("base")  # schedules Ukraine's second $37.5 m in 2026
    before = forecast_start(example, auditor, scenario, as_of=date(2026, 3, 1))
    after = forecast_start(example, auditor, scenario, as_of=date(2026, 6, 30))
    assert after.year_contributed == {"UA:cash": 37_500_000.0}  # booked on 16 March 2026

    def ua_cash_in_year_0(start: StartPoint) -> float:
        model = compile_model(scenario, 2, start)
        rows = contribution_rows(model, draw_chunk(model, 1, 0, 2))
        return float(np.max(rows[2][0]))

    assert ua_cash_in_year_0(before) == 37_500_000.0
    assert ua_cash_in_year_0(after) == 0.0
