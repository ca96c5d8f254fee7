"""Evaluating a sensitivity design's rows: each row's scenario simulated over the same paths
(common random numbers), sharing with its neighbours whatever its inputs leave unchanged."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.errors import InputError, Problem
from jointfund.forecast.draws import ChunkDraws, Draws, draw_chunk, source_ids
from jointfund.forecast.engine import model_fx, model_prices, receipts, run_chunk
from jointfund.forecast.fundlayer import ChunkOutput, fund_inputs, run_fund
from jointfund.forecast.inflows import Timeline, needs_fx, timeline
from jointfund.forecast.model import CompiledModel, NewComponent, compile_model
from jointfund.forecast.prices import Columns, price_paths
from jointfund.forecast.scenario import Scenario
from jointfund.forecast.streams import FloatArray
from jointfund.forecast.territory import StateArray, territory_key, territory_states
from jointfund.forecast.variants import Factor, variant
from jointfund.i18n.message import Message

OUTPUTS = (
    "cum_inflow_mean",
    "cum_inflow_p50",
    "nav_p50",
    "us_value_never_recouped",
    "us_cash_never_recouped",
    "p_target:<usd>",
)


def known_output(output: str) -> bool:
    """Whether `output` names one of OUTPUTS (a target with a finite amount)."""
    if output in OUTPUTS[:-1]:
        return True
    head, _, tail = output.partition(":")
    try:
        return head == "p_target" and math.isfinite(float(tail))
    except ValueError:
        return False


def output_of(out: ChunkOutput, output: str) -> float:
    """A named scalar output of one evaluation's paths, at the final year."""
    final = out.cum_inflow[-1]
    if output == "cum_inflow_mean":
        return float(final.mean())
    if output == "cum_inflow_p50":
        return float(np.median(final))
    if output == "nav_p50":
        return float(np.median(out.nav[-1]))
    if output == "us_value_never_recouped":
        return float(np.mean(out.recoup_value[0] < 0))
    if output == "us_cash_never_recouped":
        return float(np.mean(out.recoup_cash[0] < 0))
    if output.startswith("p_target:"):
        try:
            target = float(output.split(":", 1)[1])
        except ValueError:
            target = math.nan
        if math.isfinite(target):
            return float(np.mean(final >= target))
    raise InputError(
        [
            Problem(
                Message("unknown output {output!r}", output=output),
                field="--output",
                expected=Message("{choices}", choices=", ".join(OUTPUTS)),
            )
        ]
    )


# paths run through the fund rules at once: the rules' year loop costs about the same in
# Python for 256 paths as for thousands, so rows that share it pay it once
_FUND_PATHS = 8192


@dataclass(frozen=True, slots=True)
class Job:
    """What every evaluation shares; picklable, so worker processes can run slices of rows."""

    scenario: Scenario
    facs: tuple[Factor, ...]
    years: int
    entropy: int
    paths: int
    names: tuple[str, ...]

    def evaluate(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Outputs (len(names), len(rows)) for these design rows, all on the same draws; each
        equals a plain run of the row's scenario on those paths."""
        shape, draws = _draws(self.scenario, self.years, self.entropy, self.paths)
        out = np.empty((len(self.names), rows.shape[0]))
        known: dict[tuple[Any, ...], StateArray] = {}  # territory paths, shared by the rows
        lines: dict[tuple[int, NewComponent], tuple[StateArray, Timeline]] = {}
        prices, fx = _PriceCache(), _FxCache()
        batch = _FundBatch(draws, self.names, out, max(1, _FUND_PATHS // self.paths))
        for k, row in enumerate(rows):
            model = compile_model(variant(self.scenario, self.facs, row), self.years)
            if _structure(model) != shape:
                # an input that changes which numbers are drawn (a window, a correlation):
                # the engine's own streams, still common random numbers by source
                result = run_chunk(model, self.entropy, 0, self.paths, False)
                for j, name in enumerate(self.names):
                    out[j, k] = output_of(result, name)
                continue
            states = _states(known, model, draws)
            timelines = _lines(model, draws, states, lines)
            raw, credited = receipts(model, draws, states, timelines, prices, fx)
            batch.add(k, model, raw, credited)
        batch.flush()
        return out


class _FundBatch:
    """Rows' receipts waiting to run through the fund rules together: one run_fund over the
    rows' paths side by side (the rules treat every path alone, so each row's results are those
    of its own run), for rows whose models agree on everything the rules read."""

    def __init__(self, draws: ChunkDraws, names: tuple[str, ...], out: FloatArray, rows: int):
        self.draws, self.names, self.out, self.capacity = draws, names, out, rows
        self.key: tuple[object, ...] | None = None
        self.model: CompiledModel | None = None
        self.pending: list[tuple[int, FloatArray, FloatArray | None]] = []
        self.tiled: dict[int, Draws] = {}

    def add(
        self, k: int, model: CompiledModel, raw: FloatArray, credited: FloatArray | None
    ) -> None:
        """Queue row k's receipts; runs the queue first when this row cannot join it."""
        key = (*fund_inputs(model), credited is None)
        if self.pending and (key != self.key or len(self.pending) == self.capacity):
            self.flush()
        self.key, self.model = key, model
        self.pending.append((k, raw, credited))

    def flush(self) -> None:
        """Run the queued rows through the fund rules and write their outputs."""
        if not self.pending or self.model is None:
            return
        n, count = self.draws.n, len(self.pending)
        raw = np.concatenate([r for _, r, _ in self.pending], axis=1)
        credited = None
        if self.pending[0][2] is not None:
            credited = np.concatenate([c for _, _, c in self.pending if c is not None], axis=1)
        result = run_fund(self.model, raw, self._draws(count), credited)
        for i, (k, _, _) in enumerate(self.pending):
            part = result.paths(i * n, (i + 1) * n)
            for j, name in enumerate(self.names):
                self.out[j, k] = output_of(part, name)
        self.pending = []

    def _draws(self, count: int) -> Draws:
        """The draws the fund rules read, repeated for `count` rows side by side."""
        if count not in self.tiled:
            d = self.draws

            def tile(a: NDArray[Any]) -> NDArray[Any]:
                return np.tile(a, (1, count))

            contrib = {key: (tile(u), tile(z)) for key, (u, z) in d.contrib.items()}
            self.tiled[count] = replace(
                d, start=0, stop=d.n * count, price=(), new_u=(), new_z=(), territory=(),
                fx=tile(d.fx), fund=tile(d.fund), contrib=contrib, regions=(), params=(),
            )  # fmt: skip
        return self.tiled[count]


class _PriceCache:
    """Price paths per commodity, kept for the rows that follow: a row differs from its
    neighbours in one input, so most commodities keep their parameters and their paths. The
    key is all a commodity's path depends on: its parameters, its row of the correlation
    factor and the paths priced (the shocks are the design's, the same for every row)."""

    def __init__(self) -> None:
        self.known: dict[tuple[Any, ...], FloatArray | None] = {}

    def __call__(
        self, model: CompiledModel, draws: Draws, columns: Columns
    ) -> list[FloatArray | None]:
        if model.uncertain or columns is None:  # parameters drawn per path: nothing repeats
            return model_prices(model, draws, columns)
        if len(self.known) > 256:
            self.known.clear()
        keys: dict[int, tuple[Any, ...]] = {}
        for c in model.priced:
            cols = columns[c]
            keys[c] = (c, model.prices[c], model.chol[c], None if cols is None else cols.tobytes())
        missing = frozenset(c for c, key in keys.items() if key not in self.known)
        if missing:
            made = price_paths(model.prices, model.chol, draws.price, missing, columns)
            for c in missing:
                path = made[c]
                if path is not None:
                    path.flags.writeable = False  # shared by rows: the engine only reads it
                self.known[keys[c]] = path
        return [self.known[keys[c]] if c in keys else None for c in range(len(model.prices))]


class _FxCache:
    """The hryvnia's path, kept while the rows' FX inputs stay the same (all but a few rows)."""

    def __init__(self) -> None:
        self.key: tuple[object, ...] | None = None
        self.path: FloatArray | None = None

    def __call__(self, model: CompiledModel, draws: Draws) -> FloatArray | None:
        key = (model.fx, needs_fx(model))
        if key != self.key:
            self.key, self.path = key, model_fx(model, draws)
            if self.path is not None:
                self.path.flags.writeable = False  # shared by rows: the engine only reads it
        return self.path


def _lines(
    model: CompiledModel,
    draws: ChunkDraws,
    states: StateArray,
    lines: dict[tuple[int, NewComponent], tuple[StateArray, Timeline]],
) -> list[Timeline]:
    """Each new component's timeline, taken from `lines` when an earlier row had the same
    component on the same territory paths: a design row differs from its neighbours in one
    input, so most components repeat (a timeline is a function of those alone)."""
    if len(lines) > 512:  # bound the memory; rows sharing components are neighbours
        lines.clear()
    mine = []
    for comp, u32, z32 in zip(model.new, draws.new_u, draws.new_z, strict=True):
        key = (id(states), comp)  # the entry holds `states`, so its id cannot be reused
        if key not in lines:
            lines[key] = (states, timeline(comp, u32, z32, states[comp.unit], model.years))
        mine.append(lines[key][1])
    return mine


def _states(
    known: dict[tuple[Any, ...], StateArray], model: CompiledModel, draws: ChunkDraws
) -> StateArray:
    """The territory paths of this model on these draws, computed once per distinct territory
    (most designs vary no territory input, so every row after the first reuses them)."""
    key = territory_key(model)
    if key not in known:
        if len(known) >= 8:  # a territory input varies: keep memory bounded
            known.clear()
        known[key] = territory_states(model, draws)
    return known[key]


def _structure(model: CompiledModel) -> tuple[Any, ...]:
    """What the draws depend on: the sources, their shapes and which commodities are drawn."""
    windows = tuple(model.window(c) for c in model.contributions if c.fixed is None)
    return (tuple(source_ids(model)), windows, model.drawn, model.years)


_DRAWS: dict[tuple[str, int, int, int], tuple[tuple[Any, ...], ChunkDraws]] = {}


def _draws(
    scenario: Scenario, years: int, entropy: int, paths: int
) -> tuple[tuple[Any, ...], ChunkDraws]:
    """The evaluations' common draws, made once per process with the structure they fit: they
    depend on which sources the model draws from and their shapes, not on its numbers."""
    key = (scenario.path, years, entropy, paths)
    if key not in _DRAWS:
        _DRAWS.clear()
        model = compile_model(scenario, years)
        _DRAWS[key] = (_structure(model), draw_chunk(model, entropy, 0, paths))
    return _DRAWS[key]
