"""Replayability and common random numbers: seeds, chunking, Dask, paired scenario deltas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.forecast import ForecastRun, compare_runs, load_scenario, run_forecast
from jointfund.forecast.streams import PATH_BLOCK, DrawSpec, draw_range

PATHS = 3000


def _same(a: ForecastRun, b: ForecastRun) -> None:
    assert a.fans == b.fans
    assert a.targets == b.targets and a.grid == b.grid
    assert a.survival == b.survival
    for key, value in a.path_metrics.items():
        np.testing.assert_array_equal(value, b.path_metrics[key])


@pytest.fixture(scope="module")
def base_run() -> ForecastRun:
    return run_forecast(load_scenario("base"), paths=PATHS, seed=11, years=30, chunk_paths=1000)


def test_same_seed_gives_identical_outputs(base_run: ForecastRun) -> None:
    again = run_forecast(load_scenario("base"), paths=PATHS, seed=11, years=30, chunk_paths=1000)
    _same(base_run, again)
    assert base_run.manifest.seed_entropy == 11


@pytest.mark.parametrize("chunk", [1, 777, PATH_BLOCK + 5, 100_000])
def test_chunk_size_does_not_change_results(base_run: ForecastRun, chunk: int) -> None:
    paths = PATHS if chunk > 1 else 50
    ref = base_run
    if chunk == 1:
        ref = run_forecast(load_scenario("base"), paths=paths, seed=11, years=30, chunk_paths=50)
    other = run_forecast(load_scenario("base"), paths=paths, seed=11, years=30, chunk_paths=chunk)
    _same(ref, other)


@settings(max_examples=15, deadline=None)
@given(
    start=st.integers(0, 3 * PATH_BLOCK),
    length=st.integers(1, 2 * PATH_BLOCK),
    antithetic=st.booleans(),
)
def test_draws_for_a_path_range_are_a_slice_of_the_whole(
    start: int, length: int, antithetic: bool
) -> None:
    specs = (DrawSpec("normal", (3,)), DrawSpec("uniform", (2,)))
    whole = draw_range(99, "price:oil", specs, 0, start + length, antithetic)
    part = draw_range(99, "price:oil", specs, start, start + length, antithetic)
    for w, p in zip(whole, part, strict=True):
        np.testing.assert_array_equal(w[..., start:], p)


def test_dask_local_cluster_gives_the_local_result(base_run: ForecastRun) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        remote = run_forecast(
            load_scenario("base"),
            paths=PATHS,
            seed=11,
            years=30,
            chunk_paths=1000,
            scheduler=cluster.scheduler_address,
        )
    _same(base_run, remote)
    assert remote.manifest.scheduler == cluster.scheduler_address


def test_different_seeds_differ(base_run: ForecastRun) -> None:
    other = run_forecast(load_scenario("base"), paths=PATHS, seed=12, years=30, chunk_paths=1000)
    assert other.fans["cum_inflow"] != base_run.fans["cum_inflow"]


def test_unseeded_runs_record_fresh_entropy() -> None:
    a = run_forecast(load_scenario("base"), paths=8, seed=None, years=5)
    b = run_forecast(load_scenario("base"), paths=8, seed=None, years=5)
    assert a.manifest.seed_entropy != b.manifest.seed_entropy


def test_common_random_numbers_shrink_the_delta_error(base_run: ForecastRun) -> None:
    other = run_forecast(load_scenario("gradual-return"), paths=PATHS, seed=11, years=30)
    cmp = compare_runs(base_run, other)
    assert cmp.paired
    mean = cmp.deltas[0]
    assert mean.se_paired is not None
    assert mean.se_paired < 0.5 * mean.se_unpaired
    unpaired = compare_runs(
        base_run, run_forecast(load_scenario("gradual-return"), paths=PATHS, seed=5, years=30)
    )
    assert not unpaired.paired and unpaired.deltas[0].se_paired is None


def test_longer_horizon_keeps_the_early_years(base_run: ForecastRun) -> None:
    longer = run_forecast(load_scenario("base"), paths=PATHS, seed=11, years=35)
    assert longer.fans["cum_inflow"].values[:30] == base_run.fans["cum_inflow"].values


def test_antithetic_runs_replay_and_differ_from_plain(base_run: ForecastRun) -> None:
    a = run_forecast(load_scenario("base"), paths=PATHS, seed=11, years=30, antithetic=True)
    b = run_forecast(
        load_scenario("base"), paths=PATHS, seed=11, years=30, antithetic=True, chunk_paths=500
    )
    _same(a, b)
    assert a.fans["cum_inflow"] != base_run.fans["cum_inflow"]
