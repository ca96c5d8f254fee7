"""A scenario's uncertain inputs as factors with ranges, and the scenario with chosen values:
what a global sensitivity design varies."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from jointfund.errors import InputError, Problem
from jointfund.forecast.scenario import Scenario, overridden, resolve_terms
from jointfund.forecast.scenario_schema import ScenarioModel
from jointfund.forecast.validation import LABELS_CHECKED, problems_from
from jointfund.i18n.message import Message


@dataclass(frozen=True, slots=True)
class Factor:
    """One uncertain input: a dotted path into the scenario and the range it is drawn from."""

    name: str
    path: str
    low: float
    high: float
    integer: bool


def factors(scenario: Scenario) -> list[Factor]:
    """The scenario's uncertain inputs (its `sensitivity.inputs`), with their ranges."""
    out = []
    dumped = scenario.model.model_dump()
    for inp in scenario.model.sensitivity.inputs:
        base = _lookup(dumped, inp.path)
        low, high = sorted((inp.p10, inp.p90))
        out.append(Factor(inp.name, inp.path, low, high, isinstance(base, int)))
    if len(out) < 2:
        raise InputError(
            [
                Problem(
                    Message("Sobol indices need at least two uncertain inputs"),
                    file=scenario.path,
                    field="sensitivity.inputs",
                )
            ]
        )
    return out


def _lookup(data: Any, dotted: str) -> Any:
    node = data
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node.get(part)
        if node is None:
            return None
    return node


def variant(scenario: Scenario, facs: Sequence[Factor], row: NDArray[np.float64]) -> Scenario:
    """The scenario with each factor set to its value in `row` (validated by the schema's value
    rules; not the labels' coverage, which the scenario passed and a value cannot change: 60 % of
    a variant's validation; the deposit register is not re-read, and terms are re-resolved only
    when a factor is a term)."""
    raw = overridden(
        scenario.raw,
        {
            f.path: round(float(v)) if f.integer else float(v)
            for f, v in zip(facs, row, strict=True)
        },
    )
    try:
        model = ScenarioModel.model_validate(raw, context={LABELS_CHECKED: True})
    except ValidationError as exc:
        raise InputError(problems_from(exc, scenario.path)) from None
    terms = scenario.terms
    if any(f.path.startswith("terms.") for f in facs):
        resolved, problems = resolve_terms(model, scenario.path)
        if problems or resolved is None:
            raise InputError(problems)
        terms = resolved
    return dataclasses.replace(scenario, raw=raw, model=model, terms=terms)
