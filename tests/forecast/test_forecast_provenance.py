"""Every number is sourced or assumed, by name: the schema refuses the rest; the census counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from jointfund.cli.app import main
from jointfund.errors import InputError
from jointfund.forecast import load_scenario, scenario_names
from jointfund.forecast.model import compile_model
from jointfund.forecast.provenance import census


def _write(tmp: Path, data: dict[str, object]) -> Path:
    path = tmp / "child.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("name", scenario_names())
def test_bundled_scenarios_have_no_uncovered_number(name: str) -> None:
    result = census(load_scenario(name), years=20, paths=512)
    assert result.counts["uncovered"] == 0
    assert sum(result.counts.values()) == len(result.numbers) > 250
    assert result.counts["sourced"] > 20
    assert abs(sum(result.component_share.values()) - 1.0) < 1e-9
    assert all(n.label.strip() for n in result.numbers)
    shares = [n.share_of_mean for n in result.numbers if n.share_of_mean is not None]
    assert all(0.0 <= s <= 1.0 + 1e-9 for s in shares)


def test_a_number_neither_sourced_nor_assumed_is_refused_where_it_sits(tmp_path: Path) -> None:
    child = {
        "extends": "base",
        "pipeline": {"classes": {"explored": {"p_fail": 0.5}}},  # parent's label dropped
        "fiscal": {"psa": {"assumed": {"no_such_field": "x"}}},
    }
    with pytest.raises(InputError) as info:
        load_scenario(str(_write(tmp_path, child)))
    by_field = {p.field: p.message for p in info.value.problems}
    assert "p_fail" in by_field["pipeline.classes.explored"]
    assert "no_such_field" in by_field["fiscal.psa"]
    relabelled = {
        "extends": "base",
        "pipeline": {"classes": {"explored": {"p_fail": 0.5, "assumed": {"p_fail": "half fail"}}}},
    }
    scenario = load_scenario(str(_write(tmp_path, relabelled)))
    assert scenario.model.pipeline.classes["explored"].label_of("p_fail") == (
        "assumed",
        "half fail",
    )


def test_the_three_mis_sourced_numbers_are_assumptions_and_psa_gas_pays_125() -> None:
    scenario = load_scenario("base")
    numbers = {n.path: n for n in census(scenario, years=10, paths=256).numbers}
    assert numbers["pipeline.overrides.dobra.p_licence"].status == "assumed"
    assert numbers["deposits.surske-novohurivske.new.permit_fee_uah"].status == "assumed"
    assert numbers["deposits.surske-novohurivske.new.capacity"].status == "sourced"
    assert numbers["deposits.dnipro-donets.existing.output"].status == "assumed"
    assert "national" in numbers["deposits.dnipro-donets.existing.output"].label
    model = compile_model(scenario, 10)
    names = [p.name for p in model.prices]
    assert model.psa_royalty[names.index("natural_gas")] == 0.0125
    assert model.psa_royalty[names.index("oil")] == 0.02
    assert model.psa_royalty[names.index("lithium")] == 0.02


def test_cli_prints_the_census(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forecast", "provenance", "base", "--years", "10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["uncovered"] == 0
    assert data["scenario"] == "base"
    assert main(["forecast", "provenance", "base", "--years", "10"]) == 0
    text = capsys.readouterr().out
    assert "uncovered" in text and "sourced numbers only" in text
