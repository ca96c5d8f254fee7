"""Model fixes: whole years by rounding to nearest; no licence (so no development) while occupied."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from jointfund.forecast import load_scenario, run_forecast
from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.inflows import nearest_year, not_while_occupied, timelines
from jointfund.forecast.model import compile_model
from jointfund.forecast.territory import OCCUPIED, territory_states
from tests.forecast.forecast_tiny import tiny_scenario


def _explored(licence: float) -> dict[str, object]:
    return {
        "classes": {
            "explored": {
                "assumption": "certain",
                "p_licence": 1.0,
                "licence_year": {"min": licence, "mode": licence, "max": licence},
                "dev_years": {"min": 3, "mode": 3, "max": 3},
                "ramp_years": 2,
                "p_fail": 0.0,
                "capacity_log_sd": 0.0,
            }
        },
        "capex_delay_years": {"assumption": "none", "small": 0, "medium": 0, "large": 0, "mega": 0},
    }


def test_a_licence_year_of_2026_6_means_2027_not_2026(tmp_path: Path) -> None:
    # licence 2026.6 -> 2027 (fee $5 m that year), 3 development years -> output from 2030
    scenario = load_scenario(tiny_scenario(tmp_path, pipeline=_explored(2026.6)))
    run = run_forecast(scenario, paths=4, seed=1, years=10, rare_events=False)
    median = [row[2] for row in run.fans["inflow"].values]
    np.testing.assert_allclose(
        median, [0, 0, 5e6, 0, 0, 0.25e6, 0.5e6, 0.5e6, 0, 0], rtol=1e-6, atol=1e-3
    )
    assert list(nearest_year(np.asarray([0.49, 0.5, 1.5, 2.99]))) == [0, 1, 2, 3]


def test_licensing_waits_for_the_deposit_to_be_free() -> None:
    o, c = OCCUPIED, 0
    # (years, paths): path 0 occupied to year 1, path 1 occupied in years 1-2, path 2 always
    states = np.asarray([[o, c, o], [o, o, o], [c, o, o], [c, c, o]], dtype=np.uint16)
    lic = np.asarray([0, 1, 1])
    assert list(not_while_occupied(lic, states)) == [2, 3, 4]  # never free: the horizon (4)


def test_no_bundled_deposit_is_licensed_while_occupied() -> None:
    scenario = load_scenario("base")
    model = compile_model(scenario, 40)
    draws = draw_chunk(model, 12345, 0, 4096)
    states = territory_states(model, draws)
    checked, waited = 0, 0
    for comp, line in zip(model.new, timelines(model, draws, states), strict=True):
        paths = np.flatnonzero(line.licensed & (line.lic < model.years))
        at = states[comp.unit][line.lic[paths], paths]
        assert not np.any(at == OCCUPIED), comp.deposit_id
        checked += paths.size
        waited += int(np.count_nonzero(states[comp.unit][0, paths] == OCCUPIED))
    assert checked > 10_000
    assert waited > 100  # deposits occupied in 2025 (Novopoltavske, ...) were licensed later


def test_payout_after_the_lock_makes_good_losses_first(tmp_path: Path) -> None:
    import yaml

    child = tmp_path / "ratchet.yaml"
    child.write_text(
        yaml.safe_dump(
            {
                "extends": "base",
                "name": "ratchet",
                "terms": {"fields": {"payout_rule": "positive_income"}},
            }
        )
    )
    kw = {"paths": 3000, "seed": 21, "years": 40, "rare_events": False}
    net = run_forecast(load_scenario("base"), **kw)  # type: ignore[arg-type]
    ratchet = run_forecast(load_scenario(child), **kw)  # type: ignore[arg-type]
    assert net.manifest.terms["payout_rule"] == "net_of_losses"
    # same paths: paying out only good years drains the fund and pays the U.S. more cash
    assert net.fans["nav"].mean[-1] > 1.3 * ratchet.fans["nav"].mean[-1]
    assert net.fans["dist_us"].mean[-1] < ratchet.fans["dist_us"].mean[-1]
    # before the lock ends (10 years) the two rules cannot differ
    assert net.fans["nav"].mean[9] == ratchet.fans["nav"].mean[9]


def test_territory_moves_by_region_with_correlated_neighbours() -> None:
    from jointfund.forecast.territory import region_shocks

    scenario = load_scenario("base")
    model = compile_model(scenario, 40)
    draws = draw_chunk(model, 777, 0, 4096)
    states = territory_states(model, draws)
    unit = {u.deposit_id: i for i, u in enumerate(model.units)}
    region = {name: i for i, name in enumerate(model.regions)}
    # the far west (Zhytomyr) is never occupied; before regions ~29% of paths were by 2064
    west = [i for i, u in enumerate(model.units) if u.region == region["west"]]
    assert west and not np.any(states[west] == OCCUPIED)
    # two controlled Kirovohrad deposits share their region's path
    kirovohrad = [unit[d] for d in ("dobra", "polokhivske", "balakhivske") if d in unit]
    for other in kirovohrad[1:]:
        assert np.array_equal(states[kirovohrad[0]], states[other])
    # neighbours' shocks correlate at 0.5, others not at all
    shocks = region_shocks(model, draws)
    flat = [s[1:].ravel() for s in shocks]
    near = np.corrcoef(flat[region["east"]], flat[region["south"]])[0, 1]
    far = np.corrcoef(flat[region["east"]], flat[region["west"]])[0, 1]
    assert abs(near - 0.5) < 0.02 and abs(far) < 0.02


def test_a_deposit_in_no_region_is_a_located_error(tmp_path: Path) -> None:
    import pytest
    import yaml

    from jointfund.errors import InputError

    child = tmp_path / "bad.yaml"
    child.write_text(
        yaml.safe_dump(
            {"extends": "base", "territory": {"regions": {"west": {"oblasts": ["Lviv"]}}}}
        )
    )
    with pytest.raises(InputError) as info:
        load_scenario(child)
    assert any(
        "zhytomyr" in p.message.lower() or "in no region" in p.message for p in info.value.problems
    )
    assert {p.field for p in info.value.problems} == {"territory.regions"}
