"""Running a forecast: chunks of paths locally or on Dask, gathered into bounded summary arrays."""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from importlib import metadata
from typing import Any

import numpy as np

from jointfund.errors import InputError, Problem
from jointfund.forecast.draws import source_ids
from jointfund.forecast.engine import run_chunk
from jointfund.forecast.fundlayer import ChunkOutput
from jointfund.forecast.model import CompiledModel, compile_model
from jointfund.forecast.provenance import caveat, census_counts
from jointfund.forecast.results import (
    FAN_SERIES,
    GRID_USD,
    ForecastRun,
    Manifest,
    TargetCurve,
    batch_edges,
    batch_mean_se,
    fan,
    mirror,
    survival,
    target_curves,
)
from jointfund.forecast.scenario import Scenario
from jointfund.forecast.start import StartPoint, start_dict
from jointfund.forecast.streams import PATH_BLOCK, source_key
from jointfund.forecast.uncertainty import describe
from jointfund.i18n.message import Message

Progress = Callable[[int, int], None]
DEFAULT_CHUNK = 8192
THREADS = min(2, os.cpu_count() or 1)  # measured on the 2-core build machine; more is untested
_STORED = (
    "inflow",
    "cum_inflow",
    "nav",
    "capital_us",
    "capital_ua",
    "share_us",
    "us_value",
    "dist_us",
)


def _chunks(paths: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(a + size, paths)) for a in range(0, paths, size)]


def _local(
    model: CompiledModel, entropy: int, chunks: list[tuple[int, int]], antithetic: bool
) -> Iterator[tuple[int, int, ChunkOutput]]:
    """Chunks on this machine's cores as threads, yielded in order. Most of a chunk's time is
    NumPy kernels, which release the GIL; each chunk draws from its own streams, so threads
    change no number (benchmarks/forecast_engine.py measures the gain)."""
    if len(chunks) == 1:
        a, b = chunks[0]
        yield a, b, run_chunk(model, entropy, a, b, antithetic)
        return
    with ThreadPoolExecutor(THREADS) as pool:
        outs = pool.map(lambda ab: run_chunk(model, entropy, ab[0], ab[1], antithetic), chunks)
        for (a, b), out in zip(chunks, outs, strict=True):
            yield a, b, out


def _dask(
    address: str,
    model: CompiledModel,
    entropy: int,
    chunks: list[tuple[int, int]],
    antithetic: bool,
) -> Iterator[tuple[int, int, ChunkOutput]]:
    from distributed import Client, as_completed

    try:
        client = Client(address)  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:  # unreachable, refused or malformed
        raise InputError(
            [
                Problem(
                    Message(
                        "cannot reach the Dask scheduler at {address!r}: {reason}",
                        address=address,
                        reason=str(exc),
                    ),
                    field="scheduler",
                    expected=Message(
                        "the address of a running scheduler, e.g. {example}",
                        example="tcp://host:8786",
                    ),
                )
            ]
        ) from None
    with client:
        remote_model = client.scatter(model, broadcast=True)  # type: ignore[no-untyped-call]
        futures = {
            client.submit(run_chunk, remote_model, entropy, a, b, antithetic, pure=False): (a, b)
            for a, b in chunks
        }
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            a, b = futures[fut]
            yield a, b, fut.result()


@functools.cache
def _packages() -> dict[str, str]:
    out = {}
    for name in ("jointfund", "numpy", "pydantic", "pyyaml", "matplotlib", "dask", "distributed"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def run_forecast(
    scenario: Scenario,
    *,
    paths: int,
    seed: int | None,
    years: int = 40,
    chunk_paths: int = DEFAULT_CHUNK,
    scheduler: str | None = None,
    antithetic: bool = False,
    progress: Progress | None = None,
    sensitivity: bool = False,
    rare_events: bool = True,
    start: StartPoint | None = None,
) -> ForecastRun:
    """Simulate `paths` paths over `years` years; same seed gives the same result on any chunking
    or scheduler. `sensitivity=True` also runs the scenario's tornado on common random numbers.
    `rare_events=True` adds an importance-sampling estimate for every final-year target that
    fewer than RARE_HITS paths reach (see forecast.rare). `start`: begin from the books' state
    on an as-of day (forecast.start) instead of from zero at the scenario's start year."""
    problems = []
    if paths < 2:
        problems.append(Problem(Message("need at least {count} paths", count=2), field="paths"))
    if not 1 <= years <= 200:
        said = Message("years must be {low}..{high}", low=1, high=200)
        problems.append(Problem(said, field="years"))
    if chunk_paths < 1:
        problems.append(Problem(Message("chunk_paths must be positive"), field="chunk_paths"))
    if sensitivity and start is not None:
        problems.append(
            Problem(
                Message("the tornado runs from the scenario's start, not from the books"),
                field="tornado",
                expected=Message("a run without --as-of"),
            )
        )
    if problems:
        raise InputError(problems)
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    model = compile_model(scenario, years, start)
    store = {
        k: np.empty((years, paths), np.float64 if k == "cum_inflow" else np.float32)
        for k in _STORED
    }
    recoup = np.empty((4, paths), np.int16)
    final_nav = np.empty(paths)
    chunks = _chunks(paths, chunk_paths)
    source = (
        _local(model, entropy, chunks, antithetic)
        if scheduler is None
        else _dask(scheduler, model, entropy, chunks, antithetic)
    )
    done = 0
    t1 = time.perf_counter()
    for a, b, out in source:
        store["inflow"][:, a:b] = out.inflow
        store["cum_inflow"][:, a:b] = out.cum_inflow
        store["nav"][:, a:b] = out.nav
        store["capital_us"][:, a:b] = out.capital_us
        store["capital_ua"][:, a:b] = out.capital_ua
        store["share_us"][:, a:b] = out.share_us
        store["dist_us"][:, a:b] = out.dist_us
        us_value = store["us_value"][:, a:b]
        np.multiply(out.share_us, out.nav, out=us_value)
        us_value += out.dist_us
        final_nav[a:b] = out.nav[-1]
        recoup[0:2, a:b] = out.recoup_cash
        recoup[2:4, a:b] = out.recoup_value
        done += b - a
        if progress is not None:
            progress(done, paths)
    t2 = time.perf_counter()
    run = _summarise(
        scenario, model, store, recoup, final_nav, entropy, chunk_paths, antithetic, scheduler
    )
    t3 = time.perf_counter()
    timings = {"compile_s": t1 - t0, "simulate_s": t2 - t1, "summarise_s": t3 - t2}
    if rare_events:
        run = _with_rare_events(run, model, entropy)
        timings["rare_events_s"] = time.perf_counter() - t3
        t3 = time.perf_counter()
    tornado = None
    if sensitivity:
        from jointfund.forecast.sensitivity import tornado as run_tornado

        tornado = run_tornado(
            scenario,
            paths=paths,
            seed=entropy,
            years=years,
            chunk_paths=chunk_paths,
            scheduler=scheduler,
            antithetic=antithetic,
        )
        timings["tornado_s"] = time.perf_counter() - t3
    manifest = _with(
        run.manifest,
        timings=timings,
        as_of=None if start is None else start.as_of.isoformat(),
        start=None if start is None else start_dict(start),
    )
    return replace(run, manifest=manifest, tornado=tornado)


def _with_rare_events(run: ForecastRun, model: CompiledModel, entropy: int) -> ForecastRun:
    """Attach an importance-sampling estimate to every final-year target with < RARE_HITS hits."""
    from jointfund.forecast.rare import RARE_HITS, estimate

    curves = [*run.targets, *run.inflow_targets]
    rare = [c for c in curves if c.hits and c.hits[-1] < RARE_HITS]
    if not rare:
        return run
    found = dict(
        zip(
            [id(c) for c in rare],
            estimate(model, entropy, [(c.measure, c.target_usd) for c in rare]),
            strict=True,
        )
    )

    def attach(group: tuple[TargetCurve, ...]) -> tuple[TargetCurve, ...]:
        return tuple(replace(c, rare=found[id(c)]) if id(c) in found else c for c in group)

    return replace(run, targets=attach(run.targets), inflow_targets=attach(run.inflow_targets))


def _with(manifest: Manifest, **changes: Any) -> Manifest:
    return replace(manifest, **changes)


def _sort_rows(arrays: list[np.ndarray]) -> None:
    """Sort every row of each array in place, two arrays at a time: NumPy releases the GIL while
    it sorts, so both cores work on the fans' order statistics (half the summary's time at 100k
    paths; benchmarks/forecast_engine.py)."""
    with ThreadPoolExecutor(THREADS) as pool:
        for _ in pool.map(functools.partial(np.ndarray.sort, axis=1), arrays):
            pass


def _summarise(
    scenario: Scenario,
    model: CompiledModel,
    store: dict[str, np.ndarray],
    recoup: np.ndarray,
    final_nav: np.ndarray,
    entropy: int,
    chunk_paths: int,
    antithetic: bool,
    scheduler: str | None,
) -> ForecastRun:
    years, paths = store["cum_inflow"].shape
    cum = store["cum_inflow"]
    edges = batch_edges(paths, PATH_BLOCK if antithetic else 1)
    final_us_value = store["us_value"][-1].astype(np.float64)  # a copy: sorted in place below
    se = {k: batch_mean_se(store[k], edges) for k in _STORED}  # before the sorts below
    cum_ranked = np.empty_like(cum)
    np.copyto(cum_ranked, cum)  # cum itself stays in path order for the metrics
    # in place: only the fans and targets read these arrays from here on
    _sort_rows([cum_ranked, *(store[k] for k in _STORED if k != "cum_inflow")])
    fans = {
        k: fan(k, store[k], cum_ranked if k == "cum_inflow" else store[k], se[k]) for k in _STORED
    }
    fans["share_ua"] = mirror(fans["share_us"], "share_ua")
    assert set(fans) == set(FAN_SERIES)
    wanted = tuple(scenario.model.outputs.targets_usd)
    curves = target_curves(cum, wanted + GRID_USD, cum_ranked)
    n_targets = len(wanted)
    inflow_targets, grid = curves[:n_targets], curves[n_targets:]
    value = store["us_value"]  # sorted per year above
    targets = target_curves(value, wanted, value, measure="us_value")
    surv = tuple(
        survival(partner, basis, recoup[row], years)
        for row, (partner, basis) in enumerate(
            [("US", "cash"), ("UA", "cash"), ("US", "value"), ("UA", "value")]
        )
    )
    counts = census_counts(scenario)
    manifest = Manifest(
        scenario=scenario.name,
        scenario_path=scenario.path,
        input_hashes=dict(scenario.input_hashes),
        seed_entropy=entropy,
        spawn_keys={s: list(source_key(s)) for s in source_ids(model)},
        path_block=PATH_BLOCK,
        packages=dict(_packages()),
        paths=paths,
        years=years,
        start_year=model.start_year,
        chunk_paths=chunk_paths,
        antithetic=antithetic,
        scheduler=scheduler,
        timings={},
        terms=scenario.terms.as_dict(),
        created_utc=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        caveat=caveat(scenario, counts),
        census=counts,
        parameter_uncertainty=describe(model),
    )
    metrics = {
        "final_cum_inflow": cum[-1].copy(),
        "final_nav": final_nav,
        "final_us_value": final_us_value,
        "recoup": recoup,
    }
    calendar = tuple(model.start_year + t for t in range(years))
    return ForecastRun(
        manifest, calendar, fans, targets, grid, surv, metrics, inflow_targets=inflow_targets
    )
