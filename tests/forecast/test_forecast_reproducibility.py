"""Replayability and common random numbers: seeds, chunking, Dask, paired scenario deltas."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.forecast import ForecastRun, compare_runs, load_scenario, run_forecast
from jointfund.forecast.draws import LazyDraws, draw_chunk
from jointfund.forecast.engine import simulate_chunk
from jointfund.forecast.model import compile_model
from jointfund.forecast.streams import PATH_BLOCK, DrawSpec, draw_range
from jointfund.forecast.territory import numerator_thresholds

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


@pytest.mark.parametrize(
    ("address", "said"),
    [("tcp://127.0.0.1:9", "Timed out trying to connect"), ("not an address", "port")],
)
def test_an_unreachable_or_malformed_scheduler_is_a_located_error(
    address: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a traceback after the connect timeout: the run says which input is wrong."""
    pytest.importorskip("distributed")  # its defaults join dask's config on import
    import dask

    from jointfund.cli.app import main
    from jointfund.errors import InputError

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(InputError) as raised:
            run_forecast(load_scenario("base"), paths=100, seed=1, years=5, scheduler=address)
        problem = raised.value.problems[0]
        assert problem.field == "scheduler" and said in problem.message
        assert problem.expected and "tcp://host:8786" in problem.expected
        args = ["forecast", "run", "base", "--paths", "100", "--years", "5"]
        code = main([*args, "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and "cannot reach the Dask scheduler" in err


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


@pytest.mark.parametrize("name", ["base", "terms-2025-02-21", "terms-2025-03"])
@pytest.mark.parametrize("antithetic", [False, True])
def test_draws_made_on_demand_give_the_eager_result(name: str, antithetic: bool) -> None:
    model = compile_model(load_scenario(name), 12)
    lazy = simulate_chunk(model, LazyDraws(model, 7, 1000, 3100, antithetic))
    eager = simulate_chunk(model, draw_chunk(model, 7, 1000, 3100, antithetic))
    for field in fields(eager):
        np.testing.assert_array_equal(getattr(lazy, field.name), getattr(eager, field.name))


def test_box_muller_normals_and_uniforms_have_their_moments() -> None:
    z, u = draw_range(
        5, "moments", (DrawSpec("normal", (100,)), DrawSpec("uniform", (100,))), 0, 4096
    )
    z64, u64 = z.astype(np.float64).ravel(), u.astype(np.float64).ravel()
    n = z64.size
    assert np.isfinite(z64).all() and np.abs(z64).max() < 5.65
    assert abs(z64.mean()) < 4 / np.sqrt(n)
    assert abs(z64.var() - 1.0) < 4 * np.sqrt(2 / n)
    assert abs((z64**4).mean() - 3.0) < 4 * np.sqrt(96 / n)
    assert u64.min() >= 0.0 and u64.max() < 1.0
    assert abs(u64.mean() - 0.5) < 4 * np.sqrt(1 / 12 / n)
    np.testing.assert_array_equal(u64 * 2**24, np.floor(u64 * 2**24))  # 24-bit grid


def test_whole_number_territory_cuts_agree_with_float_comparisons() -> None:
    cum = np.array([[-0.1, 0.0], [0.3, 0.975], [1.0, 1.5], [2.0**-24, 5 * 2.0**-24]])
    cuts = numerator_thresholds(cum)
    m = np.concatenate([np.arange(0, 8), np.arange(2**24 - 8, 2**24 + 1)]).astype(np.uint32)
    near = (cum[1][:, None] * 2**24).astype(np.int64) + np.arange(-2, 3)
    m = np.concatenate([m, near.ravel().astype(np.uint32)])
    for c, k in zip(cum.ravel(), cuts.ravel(), strict=True):
        np.testing.assert_array_equal(m >= k, m.astype(np.float64) * 2.0**-24 >= c)
