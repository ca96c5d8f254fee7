"""All random numbers one chunk of paths consumes, drawn from the per-source streams."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, overload

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.model import CompiledModel
from jointfund.forecast.streams import DrawArray, DrawSpec, Kind, draw_range
from jointfund.forecast.uncertainty import stream_id

DEPOSIT_UNIFORMS = 4  # licensed?, licence year, failure?, development years


@dataclass(frozen=True, slots=True)
class ChunkDraws:
    """Draws for paths [start, stop), all float32 (see streams); the path axis is last everywhere.

    price: per commodity (sorted order) an array (years, factors, n) of independent normals;
        empty for commodities the model neither prices nor correlates with a priced one.
    new_u / new_z: per new component (DEPOSIT_UNIFORMS, n) uniforms and (1, n) normals.
    territory: per territory unit (years, n) uniforms (row 0 unused: the start state is known);
        compared with thresholds only, see territory.territory_codes.
    fx, fund: (years, n) normals.  contrib: per random contribution (u, z), each
        (window years, n) over model.window(item).
    regions: per region (years, n) independent normals, correlated by model.region_chol; when
        the model has regions, its units read these instead of `territory` (then empty).
    params: per commodity (parameters, n) normals for its per-path parameters (uncertainty.py);
        (0, n) for commodities that keep their point values.
    """

    start: int
    stop: int
    price: tuple[DrawArray, ...]
    new_u: tuple[DrawArray, ...]
    new_z: tuple[DrawArray, ...]
    territory: tuple[DrawArray, ...]
    fx: DrawArray
    fund: DrawArray
    contrib: dict[str, tuple[DrawArray, DrawArray]]
    regions: tuple[DrawArray, ...] = ()
    params: tuple[DrawArray, ...] = ()

    @property
    def n(self) -> int:
        """Number of paths."""
        return self.stop - self.start


def source_ids(model: CompiledModel) -> list[str]:
    """Every random source id this model draws from (for the manifest)."""
    drawn, uncertain = model.drawn, model.uncertain  # properties: computed once here
    ids = [f"price:{p.name}" for c, p in enumerate(model.prices) if c in drawn]
    ids += [stream_id(p.name) for c, p in enumerate(model.prices) if c in uncertain]
    ids += [f"deposit:{c.deposit_id}" for c in model.new]
    if model.regions:
        ids += [f"territory-region:{r}" for r in model.regions]
    else:
        ids += [f"territory:{u.deposit_id}" for u in model.units]
    ids += ["fx", "fund-return"]
    ids += [f"contribution:{c.id}" for c in model.contributions if c.fixed is None]
    return ids


class Draws(Protocol):
    """What the engine reads from a chunk's draws: a ChunkDraws, or LazyDraws."""

    @property
    def n(self) -> int: ...

    @property
    def price(self) -> Sequence[DrawArray]: ...

    @property
    def new_u(self) -> Sequence[DrawArray]: ...

    @property
    def new_z(self) -> Sequence[DrawArray]: ...

    @property
    def territory(self) -> Sequence[NDArray[Any]]: ...

    @property
    def fx(self) -> DrawArray: ...

    @property
    def fund(self) -> DrawArray: ...

    @property
    def contrib(self) -> Mapping[str, tuple[DrawArray, DrawArray]]: ...

    @property
    def regions(self) -> Sequence[DrawArray]: ...

    @property
    def params(self) -> Sequence[DrawArray]: ...


class _Sources:
    """The draws of each random source of one model for paths [start, stop)."""

    def __init__(
        self, model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool
    ) -> None:
        self.model, self.entropy, self.antithetic = model, entropy, antithetic
        self.start, self.stop = start, stop

    def get(self, source: str, *specs: DrawSpec) -> list[NDArray[Any]]:
        return draw_range(self.entropy, source, specs, self.start, self.stop, self.antithetic)

    def price(self, c: int) -> DrawArray:
        p = self.model.prices[c]
        if c not in self.model.drawn:
            return np.empty((0, p.factors, 0), dtype=np.float32)
        return self.get(f"price:{p.name}", DrawSpec("normal", (self.model.years, p.factors)))[0]

    def params(self, c: int) -> DrawArray:
        """A commodity's normals for its per-path parameters (own stream: the price shocks are
        the same whether or not parameters are drawn)."""
        s = self.model.uncertainty[c] if c in self.model.uncertain else None
        if s is None:
            return np.empty((0, self.stop - self.start), dtype=np.float32)
        p = self.model.prices[c]
        return self.get(stream_id(p.name), DrawSpec("normal", (s.size,)))[0]

    def deposit(self, j: int) -> tuple[DrawArray, DrawArray]:
        u, z = self.get(
            f"deposit:{self.model.new[j].deposit_id}",
            DrawSpec("uniform", (DEPOSIT_UNIFORMS,)),
            DrawSpec("normal", (1,)),
        )
        return u, z

    def territory(self, i: int, kind: Kind = "uniform", rows: int | None = None) -> DrawArray:
        """A unit's uniforms, or only its first `rows` years (the same numbers: rows come in
        order within each block's stream)."""
        unit = self.model.units[i]
        spec = DrawSpec(kind, (self.model.years if rows is None else rows,))
        return self.get(f"territory:{unit.deposit_id}", spec)[0]

    def region(self, r: int) -> DrawArray:
        """A region's yearly control shocks (independent normals)."""
        return self.yearly(f"territory-region:{self.model.regions[r]}")

    def yearly(self, source: str) -> DrawArray:
        return self.get(source, DrawSpec("normal", (self.model.years,)))[0]

    def contrib(self) -> dict[str, tuple[DrawArray, DrawArray]]:
        out: dict[str, tuple[DrawArray, DrawArray]] = {}
        for item in self.model.contributions:
            if item.fixed is None:
                first, last = self.model.window(item)
                rows = last - first
                cu, cz = self.get(
                    f"contribution:{item.id}",
                    DrawSpec("uniform", (rows,)),
                    DrawSpec("normal", (rows,)),
                )
                out[item.id] = (cu, cz)
        return out


def draw_chunk(
    model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool = False
) -> ChunkDraws:
    """Draw every random number for paths [start, stop) of this model."""
    src = _Sources(model, entropy, start, stop, antithetic)
    deposits = [src.deposit(j) for j in range(len(model.new))]
    return ChunkDraws(
        start,
        stop,
        tuple(src.price(c) for c in range(len(model.prices))),
        tuple(u for u, _ in deposits),
        tuple(z for _, z in deposits),
        () if model.regions else tuple(src.territory(i) for i in range(len(model.units))),
        src.yearly("fx"),
        src.yearly("fund-return"),
        src.contrib(),
        tuple(src.region(r) for r in range(len(model.regions))),
        tuple(src.params(c) for c in range(len(model.prices))),
    )


class _OnDemand(Sequence[DrawArray]):
    """A sequence whose item i is made when first asked for (kept only when `keep`)."""

    def __init__(self, size: int, make: Callable[[int], DrawArray], keep: bool) -> None:
        self._size, self._make, self._keep = size, make, keep
        self._made: dict[int, DrawArray] = {}

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> DrawArray: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[DrawArray]: ...

    def __getitem__(self, i: int | slice) -> DrawArray | Sequence[DrawArray]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._size))]
        if not -self._size <= i < self._size:
            raise IndexError(i)
        i %= self._size
        if i in self._made:
            return self._made[i]
        arr = self._make(i)
        if self._keep:
            self._made[i] = arr
        return arr


class LazyDraws:
    """The same numbers as draw_chunk, each source drawn when the engine first reads it.

    Numbers made just before they are used are still in cache; a territory's uniforms are not
    kept (the engine reads each once), so a chunk never holds all its draws at once.
    """

    def __init__(
        self, model: CompiledModel, entropy: int, start: int, stop: int, antithetic: bool = False
    ) -> None:
        # the makers below must not refer to self: a cycle would keep every chunk's draws alive
        # until the garbage collector runs
        src = self._src = _Sources(model, entropy, start, stop, antithetic)
        self.start, self.stop = start, stop
        deposit = functools.cache(src.deposit)
        self.price: Sequence[DrawArray] = _OnDemand(len(model.prices), src.price, True)
        self.new_u: Sequence[DrawArray] = _OnDemand(len(model.new), lambda j: deposit(j)[0], True)
        self.new_z: Sequence[DrawArray] = _OnDemand(len(model.new), lambda j: deposit(j)[1], True)
        # territory: the uniforms' 24-bit numerators (uint32), compared with whole-number cuts,
        # and only for the years some component reads (model.unit_years)
        self.territory: Sequence[NDArray[Any]] = _OnDemand(
            0 if model.regions else len(model.units),
            lambda i: src.territory(i, "numerator", model.unit_years(i)),
            False,
        )
        self.regions: Sequence[DrawArray] = _OnDemand(len(model.regions), src.region, False)
        self.params: Sequence[DrawArray] = _OnDemand(len(model.prices), src.params, True)

    @property
    def n(self) -> int:
        """Number of paths."""
        return self.stop - self.start

    @functools.cached_property
    def fx(self) -> DrawArray:
        """FX normals (years, n)."""
        return self._src.yearly("fx")

    @functools.cached_property
    def fund(self) -> DrawArray:
        """Fund-return normals (years, n)."""
        return self._src.yearly("fund-return")

    @functools.cached_property
    def contrib(self) -> Mapping[str, tuple[DrawArray, DrawArray]]:
        """Per random contribution (u, z)."""
        return self._src.contrib()
