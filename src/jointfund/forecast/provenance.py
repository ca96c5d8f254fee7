"""The provenance census of a scenario: every number it states (scenario and deposit register), and
whether a cited source states it or an assumption names it, with the share of the expected inflow
each number enters (so an analyst sees how much of the mean rests on assumptions)."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from jointfund.forecast.draws import draw_chunk
from jointfund.forecast.engine import model_fx, model_prices
from jointfund.forecast.inflows import (
    deposit_inflows,
    price_columns,
    timelines,
)
from jointfund.forecast.model import CompiledModel, compile_model
from jointfund.forecast.scenario import Scenario, load_scenario
from jointfund.forecast.territory import territory_states
from jointfund.forecast.uncertainty import describe
from jointfund.forecast.validation import LABEL_FIELDS, Labelled

Status = Literal["sourced", "assumed", "uncovered"]
Component = tuple[str, str]  # ("new" | "existing", deposit id)
CENSUS_PATHS = 4096
CENSUS_SEED = 20250430


@dataclass(frozen=True, slots=True)
class Number:
    """One stated number: where it sits, its value, its provenance and the share of the
    expected cumulative inflow of the components it enters (None: it enters no inflow)."""

    path: str
    value: float
    status: Status
    label: str
    share_of_mean: float | None


@dataclass(frozen=True, slots=True)
class Census:
    """All numbers of a scenario, the counts by status and the inflow shares behind them.

    mean_touched[s]: share of the expected inflow that depends on at least one number of status
    s. fully_sourced: share of the expected inflow every number of which is sourced.
    scale_share[s]: share of the expected inflow whose scale (capacity or old-permit output)
    is of status s. component_share: each component's share of the expected inflow.
    parameter_uncertainty: whether the price parameters are drawn per path (uncertainty.describe).
    """

    scenario: str
    horizon_years: int
    paths: int
    numbers: tuple[Number, ...]
    counts: dict[str, int]
    mean_touched: dict[str, float]
    fully_sourced: float
    scale_share: dict[str, float]
    component_share: dict[str, float]
    parameter_uncertainty: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dataclasses.asdict(self)


def _leaves(value: Any, path: str) -> list[tuple[str, float]]:
    """Every number inside a field's value, with its dotted path."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [(path, float(value))]
    if isinstance(value, BaseModel):
        out = []
        for name in type(value).model_fields:
            if name in LABEL_FIELDS or name not in value.model_fields_set:
                continue
            out.extend(_leaves(getattr(value, name), f"{path}.{name}"))
        return out
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}.{i}")]
    return []


def _walk(node: Any, path: str, out: list[tuple[str, float, Status, str]]) -> None:
    """Collect (path, value, status, label) for every number under a validated model."""
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, f"{path}.{k}" if path else str(k), out)
        return
    if isinstance(node, list | tuple):
        for i, v in enumerate(node):
            _walk(v, f"{path}.{i}" if path else str(i), out)
        return
    if not isinstance(node, BaseModel):
        return
    own = set(node.numeric_fields()) if isinstance(node, Labelled) else set()
    for name in type(node).model_fields:
        if name in LABEL_FIELDS or name not in node.model_fields_set:
            continue
        value = getattr(node, name)
        where = f"{path}.{name}" if path else name
        if name in own:
            assert isinstance(node, Labelled)
            label = node.label_of(name)
            status: Status = "uncovered" if label is None else label[0]  # type: ignore[assignment]
            text = "" if label is None else label[1]
            out.extend((p, v, status, text) for p, v in _leaves(value, where))
        elif isinstance(value, BaseModel | dict | list | tuple):
            _walk(value, where, out)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out.append((where, float(value), "uncovered", ""))


def census_counts(scenario: Scenario) -> dict[str, int]:
    """Numbers by status, without the inflow shares (cheap: no simulation)."""
    rows: list[tuple[str, float, Status, str]] = []
    _walk(scenario.model, "", rows)
    for dep in scenario.deposits:
        _walk(dep, f"deposits.{dep.id}", rows)
    counts = {"sourced": 0, "assumed": 0, "uncovered": 0}
    for row in rows:
        counts[row[2]] += 1
    return counts


def caveat(scenario: Scenario, counts: dict[str, int] | None = None) -> str:
    """The sentence every surface shows: results are conditional on the scenario's assumptions."""
    counts = counts or census_counts(scenario)
    total = sum(counts.values())
    return (
        f"Conditional on the assumptions of scenario '{scenario.name}', not a prediction: "
        f"{counts['assumed']} of its {total} numbers are assumptions (named, not sourced) and "
        f"{counts['sourced']} are stated by a source. Census: "
        f"`jointfund forecast provenance {scenario.name}` or "
        f"{census_url(scenario.name)}."
    )


def census_url(name: str) -> str:
    """Where the web API serves a bundled scenario's census."""
    return f"/api/forecast/scenarios/{name}/provenance"


def component_means(model: CompiledModel, paths: int, seed: int) -> dict[Component, float]:
    """Expected cumulative receipts to the horizon of each eligible component (engine, CRN)."""
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    draws = draw_chunk(model, entropy, 0, paths)
    states = territory_states(model, draws)
    lines = timelines(model, draws, states)
    columns = price_columns(model, lines, paths)
    prices, fx = model_prices(model, draws, columns), model_fx(model, draws)
    out: dict[Component, float] = {}
    for comp, line in zip(model.new, lines, strict=True):
        sub = dataclasses.replace(model, new=(comp,), existing=())
        total = deposit_inflows(sub, [line], prices, columns, fx, states)
        out[("new", comp.deposit_id)] = float(total.sum(axis=0).mean())
    for ex in model.existing:
        sub = dataclasses.replace(model, new=(), existing=(ex,))
        total = deposit_inflows(sub, [], prices, columns, fx, states)
        out[("existing", model.units[ex.unit].deposit_id)] = float(total.sum(axis=0).mean())
    return out


def _affects(path: str, scenario: Scenario, comps: list[Component]) -> set[Component]:
    """The eligible components whose receipts a number at `path` enters."""
    parts = path.split(".")
    m = scenario.model
    deposits = {d.id: d for d in scenario.deposits}
    every = set(comps)

    def where(pred: Any) -> set[Component]:
        return {c for c in comps if pred(c, deposits[c[1]])}

    head = parts[0]
    if head == "deposits":
        dep_id, block = parts[1], parts[2]
        return {c for c in comps if c == (block, dep_id)}
    if head == "start_year" or (head == "territory" and parts[1] != "overrides"):
        return every
    if head == "territory":
        return {c for c in comps if c[1] == parts[2]}
    if head == "terms":  # the fund's share of receipts; payout and lock do not enter inflow
        inflow_fields = {"fund_share", "liberated_share", "threshold_total_usd"}
        return every if len(parts) > 2 and parts[2] in inflow_fields else set()
    if head == "pipeline":
        if parts[1] == "classes":
            stage, field = parts[2], parts[3]

            def in_class(c: Component, d: Any) -> bool:
                over = m.pipeline.overrides.get(d.id)
                overridden = over is not None and field in over.model_fields_set
                return c[0] == "new" and d.new.stage == stage and not overridden

            return where(in_class)
        if parts[1] == "overrides":
            return {c for c in comps if c == ("new", parts[2])}
        return where(lambda c, d: c[0] == "new" and d.capex_class == parts[2])
    if head == "prices":
        if parts[1] == "commodities":
            return where(lambda c, d: d.commodity == parts[2])
        corr = m.prices.correlation[int(parts[2])]
        return where(lambda c, d: d.commodity in (corr.a, corr.b))
    if head == "fiscal":
        if parts[1] == "royalty":

            def uses(c: Component, d: Any) -> bool:
                block = d.new if c[0] == "new" else d.existing
                key = block.royalty_schedule or d.commodity
                return bool(d.instrument != "psa" and key == parts[2])

            return where(uses)
        if parts[1] == "psa":
            if parts[2] == "royalty_rate_by_commodity":
                return where(lambda c, d: d.instrument == "psa" and d.commodity == parts[3])
            return where(lambda c, d: d.instrument == "psa")
        if parts[1] == "fx":
            return where(lambda c, d: c[0] == "new" and d.new.permit_fee_uah > 0)
        if parts[1] == "net_cost_fraction":
            return every if scenario.terms.basis == "net" else set()
    return set()


@functools.cache
def bundled_census(name: str) -> Census:
    """The census of a bundled scenario, computed once per process: the scenario ships with the
    package, and its census is a Monte Carlo of the components' means (140–230 ms, which the
    API paid on every request). Callers must not change the answer."""
    return census(load_scenario(name))


def census(
    scenario: Scenario, *, years: int = 40, paths: int = CENSUS_PATHS, seed: int = CENSUS_SEED
) -> Census:
    """Census of every number the scenario and its register state (see Census)."""
    rows: list[tuple[str, float, Status, str]] = []
    _walk(scenario.model, "", rows)
    for dep in scenario.deposits:
        _walk(dep, f"deposits.{dep.id}", rows)
    model = compile_model(scenario, years)
    means = component_means(model, paths, seed)
    total = sum(means.values())
    share = {c: (v / total if total > 0 else 0.0) for c, v in means.items()}
    comps = list(means)
    numbers: list[Number] = []
    touched: dict[str, set[Component]] = {"sourced": set(), "assumed": set(), "uncovered": set()}
    scale: dict[str, float] = {"sourced": 0.0, "assumed": 0.0, "uncovered": 0.0}
    for path, value, status, label in rows:
        hit = _affects(path, scenario, comps)
        weight = sum(share[c] for c in hit) if hit else None
        numbers.append(Number(path, value, status, label, weight))
        touched[status] |= hit
        if path.endswith((".new.capacity", ".existing.output")):
            for c in hit:
                scale[status] += share[c]
    counts = {s: sum(1 for n in numbers if n.status == s) for s in touched}
    weak = touched["assumed"] | touched["uncovered"]
    return Census(
        scenario=scenario.name,
        horizon_years=years,
        paths=paths,
        numbers=tuple(numbers),
        counts=counts,
        mean_touched={s: sum(share[c] for c in cs) for s, cs in touched.items()},
        fully_sourced=sum(v for c, v in share.items() if c not in weak),
        scale_share=scale,
        component_share={f"{kind}:{dep}": v for (kind, dep), v in share.items()},
        parameter_uncertainty=describe(model),
    )
