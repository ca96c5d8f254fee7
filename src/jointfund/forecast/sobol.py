"""Global sensitivity: Sobol first- and total-order indices (SALib, Saltelli design) of a forecast
output over the scenario's uncertain inputs, on common random numbers, with a main-effect tornado
read from the same evaluations."""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jointfund.errors import InputError, Problem
from jointfund.forecast.scenario import Scenario
from jointfund.forecast.sobol_eval import OUTPUTS, Job, known_output
from jointfund.forecast.variants import Factor, factors
from jointfund.i18n import N_
from jointfund.i18n.message import Message

Progress = Callable[[int, int], None]
NOTE = N_(
    "Indices apportion the variance of the output over the stated input ranges (uniform between "
    "each input's p10 and p90), conditional on every other assumption of the scenario; each "
    "evaluation is the output over the same simulated paths (common random numbers)."
)


@dataclass(frozen=True, slots=True)
class SobolIndex:
    """First-order (S1) and total-order (ST) index of one input, each with a 95% half-width."""

    name: str
    path: str
    low: float
    high: float
    s1: float
    s1_conf: float
    st: float
    st_conf: float
    # main effect, read from the same evaluations: mean output when the input is in the lowest
    # and in the highest tenth of its range (the other inputs vary over theirs)
    effect_low: float
    effect_high: float

    @property
    def swing(self) -> float:
        """Width of the main-effect bar."""
        return abs(self.effect_high - self.effect_low)


@dataclass(frozen=True, slots=True)
class OutputIndices:
    """Sobol indices of one output, widest total-order first."""

    output: str
    mean: float
    variance: float
    indices: tuple[SobolIndex, ...]


@dataclass(frozen=True, slots=True)
class SobolRun:
    """A Sobol analysis: design, the indices per output and what it cost."""

    scenario: str
    input_hashes: dict[str, str]
    n_base: int
    paths: int
    years: int
    seed_entropy: int
    evaluations: int
    outputs: tuple[OutputIndices, ...]
    seconds: float
    note: str = NOTE

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data = dataclasses.asdict(self)
        for out, source in zip(data["outputs"], self.outputs, strict=True):
            for idx, rec in zip(out["indices"], source.indices, strict=True):
                idx["swing"] = rec.swing
        return data


_SLICE = 256  # design rows per task
_ROWS_PER_WORKER = 4096  # below this a second process costs more (its start) than it saves


def auto_workers(rows: int) -> int:
    """Processes for a design of `rows` evaluations: one per core, but no more than one per
    4,096 evaluations (about 20 s of work each)."""
    return max(1, min(os.cpu_count() or 1, rows // _ROWS_PER_WORKER))


def _gather(
    done: Iterable[tuple[int, int, NDArray[np.float64]]],
    values: NDArray[np.float64],
    rows: int,
    progress: Progress | None,
) -> None:
    count = 0
    for a, b, part in done:
        values[:, a:b] = part
        count += b - a
        if progress is not None:
            progress(count, rows)


def _power_of_two(n: int) -> bool:
    return n >= 2 and n & (n - 1) == 0


def sobol(
    scenario: Scenario,
    *,
    n_base: int = 256,
    paths: int = 256,
    seed: int | None = None,
    years: int = 40,
    outputs: Sequence[str] = (),
    progress: Progress | None = None,
    workers: int = 1,
) -> SobolRun:
    """Sobol indices by Saltelli's design (N (D + 2) evaluations for D inputs, Jansen and
    Saltelli estimators via SALib, bootstrap 95% intervals). Every evaluation simulates the same
    `paths` paths (the draws are made once): the indices are those of the output over those
    paths, which removes Monte Carlo noise between evaluations. `workers` 0: auto_workers; the
    indices are the same for any number of processes."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problems = []
    if not _power_of_two(n_base):
        problems.append(Problem(Message("must be a power of two (Sobol sequence)"), field="--n"))
    if paths < 2:
        problems.append(Problem(Message("need at least {count} paths", count=2), field="--paths"))
    if not 1 <= years <= 200:
        said = Message("years must be {low}..{high}", low=1, high=200)
        problems.append(Problem(said, field="--years"))
    if problems:
        raise InputError(problems)
    names = list(outputs) or [scenario.model.sensitivity.output]
    facs = factors(scenario)
    t0 = time.perf_counter()
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    problem = {
        "num_vars": len(facs),
        "names": [f.name for f in facs],
        "bounds": [[f.low, f.high] for f in facs],
    }
    design = sample.sample(problem, n_base, calc_second_order=False, seed=entropy % 2**32)
    unknown = [n for n in names if not known_output(n)]
    if unknown:
        raise InputError(
            [
                Problem(
                    Message("unknown output {output!r}", output=n),
                    field="--output",
                    expected=Message("{choices}", choices=", ".join(OUTPUTS)),
                )
                for n in unknown
            ]
        )
    rows = design.shape[0]
    values = np.empty((len(names), rows))
    job = Job(scenario, tuple(facs), years, entropy, paths, tuple(names))
    slices = [(a, min(a + _SLICE, rows)) for a in range(0, rows, _SLICE)]
    if workers <= 0:
        workers = auto_workers(rows)
    if workers <= 1:
        done = ((a, b, job.evaluate(design[a:b])) for a, b in slices)
        _gather(done, values, rows, progress)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [(a, b, pool.submit(job.evaluate, design[a:b])) for a, b in slices]
            _gather(((a, b, f.result()) for a, b, f in futures), values, rows, progress)
    results = []
    for j, name in enumerate(names):
        y = values[j]
        if not np.all(np.isfinite(y)) or float(np.var(y)) == 0.0:
            raise InputError(
                [
                    Problem(
                        Message(
                            "output {output!r} does not vary over the inputs' ranges "
                            "(it is {value:.6g} on every evaluation)",
                            output=name,
                            value=float(y[0]),
                        ),
                        field="--output",
                    )
                ]
            )
        si = analyze.analyze(
            problem, y, calc_second_order=False, conf_level=0.95, seed=entropy % 2**32
        )
        low, high = _main_effects(design, y, facs)
        indices = [
            SobolIndex(
                f.name,
                f.path,
                f.low,
                f.high,
                float(si["S1"][i]),
                float(si["S1_conf"][i]),
                float(si["ST"][i]),
                float(si["ST_conf"][i]),
                low[i],
                high[i],
            )
            for i, f in enumerate(facs)
        ]
        indices.sort(key=lambda x: x.st, reverse=True)
        results.append(OutputIndices(name, float(np.mean(y)), float(np.var(y)), tuple(indices)))
    return SobolRun(
        scenario=scenario.name,
        input_hashes=dict(scenario.input_hashes),
        n_base=n_base,
        paths=paths,
        years=years,
        seed_entropy=entropy,
        evaluations=int(design.shape[0]),
        outputs=tuple(results),
        seconds=time.perf_counter() - t0,
    )


def _main_effects(
    design: NDArray[np.float64], y: NDArray[np.float64], facs: Sequence[Factor]
) -> tuple[list[float], list[float]]:
    """Mean output with each input in the lowest and in the highest tenth of its range, the
    other inputs varying over theirs: E[Y] plus the mean change f(AB_i) - f(A) over the rows
    whose new value of input i (taken from B) falls in that tenth. The pairs share every other
    input, so their differences carry only input i's effect."""
    step = len(facs) + 2
    a_rows = np.arange(0, design.shape[0], step)
    mean = float(y[a_rows].mean() / 2 + y[a_rows + step - 1].mean() / 2)
    low, high = [], []
    for i, f in enumerate(facs):
        ab = a_rows + 1 + i
        moved = y[ab] - y[a_rows]
        value = design[ab, i]
        width = f.high - f.low
        lo = moved[value <= f.low + 0.1 * width]
        hi = moved[value >= f.high - 0.1 * width]
        low.append(mean + float(lo.mean()) if lo.size else math.nan)
        high.append(mean + float(hi.mean()) if hi.size else math.nan)
    return low, high
