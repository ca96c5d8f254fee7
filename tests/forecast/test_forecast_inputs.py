"""Bad inputs are reported all at once, located by dotted key path, before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jointfund.errors import InputError
from jointfund.forecast import load_scenario, scenario_names
from jointfund.forecast.register import bundled_register_path, load_register


def _write(tmp: Path, data: dict[str, object], name: str = "bad.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_bundled_scenarios_load_and_the_register_has_28_deposits() -> None:
    names = scenario_names()
    for expected in (
        "base",
        "frozen-line",
        "gradual-return",
        "terms-2025-02-21",
        "terms-2025-02-26",
        "terms-2025-03",
        "terms-2025-04-30",
    ):
        assert expected in names
        load_scenario(expected)
    deposits = load_register()
    assert len(deposits) == 28
    assert len({d.id for d in deposits}) == 28
    assert all(d.source_url.startswith("http") for d in deposits)


def test_every_invalid_value_is_reported_with_its_key_path(tmp_path: Path) -> None:
    bad = {
        "extends": "base",
        "prices": {"commodities": {"lithium": {"sigma": -1.0}}},
        "pipeline": {"classes": {"explored": {"p_licence": 1.5}}},
        "territory": {"transitions": {"controlled": [0.5, 0.2, 0.2]}},
        "fiscal": {"fx": {"surprise": 1}},
        "fund": {"investment_return": {"mu": 0.05}},  # restated: the parent's label is dropped
    }
    with pytest.raises(InputError) as info:
        load_scenario(str(_write(tmp_path, bad)))
    fields = {p.field for p in info.value.problems}
    assert "prices.commodities.lithium.sigma" in fields
    assert "pipeline.classes.explored.p_licence" in fields
    assert "territory.transitions" in fields
    assert "fiscal.fx.surprise" in fields
    assert "fund.investment_return" in fields
    assert all(p.file == str(tmp_path / "bad.yaml") for p in info.value.problems)
    assert len(info.value.problems) == 5


def test_cross_references_are_checked(tmp_path: Path) -> None:
    bad = {
        "extends": "base",
        "pipeline": {"overrides": {"atlantis": {"assumed": {"p_licence": "x"}, "p_licence": 0.5}}},
        "prices": {
            "correlation": [{"a": "oil", "b": "unobtainium", "rho": 0.5, "assumed": {"rho": "x"}}]
        },
        "sensitivity": {
            "inputs": [
                {
                    "name": "x",
                    "path": "prices.nothing",
                    "p10": 1,
                    "p90": 2,
                    "assumed": {"p10, p90": "x"},
                }
            ]
        },
    }
    with pytest.raises(InputError) as info:
        load_scenario(str(_write(tmp_path, bad)))
    fields = {p.field for p in info.value.problems}
    assert {
        "pipeline.overrides.atlantis",
        "prices.correlation.0.b",
        "sensitivity.inputs.0.path",
    } <= fields


def test_correlation_matrix_must_be_positive_definite(tmp_path: Path) -> None:
    corr = [
        {"a": a, "b": b, "rho": r, "assumed": {"rho": "x"}}
        for a, b, r in [
            ("oil", "natural_gas", 0.9),
            ("oil", "lithium", 0.9),
            ("natural_gas", "lithium", -0.9),
        ]
    ]
    with pytest.raises(InputError) as info:
        load_scenario(str(_write(tmp_path, {"extends": "base", "prices": {"correlation": corr}})))
    assert [p.field for p in info.value.problems] == ["prices.correlation"]


def test_register_problems_name_the_register_file(tmp_path: Path) -> None:
    rows = yaml.safe_load(bundled_register_path().read_text())
    rows[0]["capex_class"] = "gigantic"
    rows[1]["new_licence"] = False  # has a 'new:' block, so inconsistent
    rows[2]["id"] = rows[3]["id"]
    path = tmp_path / "deposits.yaml"
    path.write_text(yaml.safe_dump(rows))
    with pytest.raises(InputError) as info:
        load_register(path)
    fields = {p.field for p in info.value.problems}
    assert {"0.capex_class", "1"} <= fields
    assert all(p.file == str(path) for p in info.value.problems)


def test_unknown_scenario_and_unknown_preset_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_scenario("no-such-scenario")
    with pytest.raises(InputError) as info:
        load_scenario(str(_write(tmp_path, {"extends": "base", "terms": {"preset": "nope"}})))
    assert info.value.problems[0].field == "terms.preset"


def test_terms_can_be_stated_directly(tmp_path: Path) -> None:
    data = {
        "extends": "base",
        "terms": {
            "preset": None,
            "fields": {
                "assumed": {"fund_share, lock_years": "direct"},
                "fund_share": 0.7,
                "new_only": False,
                "lock_years": 3,
            },
        },
    }
    s = load_scenario(str(_write(tmp_path, data)))
    assert s.terms.fund_share == 0.7 and not s.terms.new_only and s.terms.lock_years == 3
