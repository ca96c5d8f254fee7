"""The in-kind valuation bases live in the forecast only, as analysis options of its scenarios."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jointfund.forecast import load_scenario
from jointfund.forecast.scenario_schema import Contribution


def _in_kind(name: str) -> dict[str, str | None]:
    scenario = load_scenario(name)
    return {
        c["id"]: c.get("valuation_basis")
        for c in scenario.raw["contributions"]
        if c["kind"] == "in_kind"
    }


def test_the_in_kind_scenarios_name_the_basis_each_stream_is_valued_on() -> None:
    assert _in_kind("base") == {"us-usai-in-kind": "assessed_value"}
    assert _in_kind("inkind-larger") == {
        "us-usai-in-kind": "assessed_value",
        "us-military-aid": "replacement_cost",
    }
    assert _in_kind("inkind-none") == {}


def test_a_basis_belongs_to_in_kind_streams_and_to_the_named_options() -> None:
    stream = {"id": "x", "partner": "US", "schedule": {2026: 1.0}, "assumed": {"schedule": "test"}}
    for basis in ("replacement_cost", "depreciated_book_value", "fair_value", "assessed_value"):
        Contribution.model_validate({**stream, "kind": "in_kind", "valuation_basis": basis})
    with pytest.raises(ValidationError, match="only an in-kind stream"):
        Contribution.model_validate({**stream, "kind": "cash", "valuation_basis": "fair_value"})
    with pytest.raises(ValidationError):
        Contribution.model_validate({**stream, "kind": "in_kind", "valuation_basis": "guess"})
