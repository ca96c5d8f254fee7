"""Chart of a Sobol analysis: first- and total-order indices with their 95% intervals, and the
main-effect tornado read from the same evaluations; PNG and SVG, drawn without pyplot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from jointfund.forecast.sobol import OutputIndices, SobolRun

_MONEY = ("cum_inflow_mean", "cum_inflow_p50", "nav_p50")


def _scale(output: str) -> tuple[float, str]:
    if output in _MONEY:
        return 1e9, "USD bn"
    return 1.0, "probability"


def _figure(run: SobolRun, res: OutputIndices) -> Figure:
    idx = list(reversed(res.indices))
    height = 0.45 * len(idx) + 2.2
    fig = Figure(figsize=(12, height))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    y = np.arange(len(idx))
    left.barh(
        y + 0.2,
        [i.st for i in idx],
        height=0.4,
        xerr=[i.st_conf for i in idx],
        color="C0",
        label="total order S_T",
    )
    left.barh(
        y - 0.2,
        [i.s1 for i in idx],
        height=0.4,
        xerr=[i.s1_conf for i in idx],
        color="C1",
        label="first order S_1",
    )
    left.set_yticks(y, [i.name for i in idx])
    left.set_xlim(min(0.0, *(i.s1 - i.s1_conf for i in idx)) - 0.02, 1.0)
    left.set_xlabel("share of output variance (bars: 95% bootstrap interval)")
    left.legend(loc="lower right", fontsize="small")
    left.set_title(f"Sobol indices: {res.output}")
    scale, unit = _scale(res.output)
    for k, i in enumerate(idx):
        lo, hi = sorted((i.effect_low / scale, i.effect_high / scale))
        colour = "C2" if i.effect_high >= i.effect_low else "C3"
        right.barh(k, hi - lo, left=lo, color=colour)
    right.axvline(res.mean / scale, color="k", lw=1, label=f"mean {res.mean / scale:,.3g} {unit}")
    right.set_yticks(y, [f"{i.low:g} → {i.high:g}" for i in idx])
    right.yaxis.tick_right()
    right.set_xlabel(f"{res.output} ({unit}); green: rises with the input, red: falls")
    right.set_title("Main effect: input in its lowest vs highest tenth")
    right.legend(loc="lower right", fontsize="small")
    fig.suptitle(
        f"{run.scenario}: N = {run.n_base}, {run.evaluations:,} evaluations x {run.paths:,} "
        f"paths; conditional on the scenario's assumptions and these input ranges",
        fontsize="medium",
    )
    return fig


def render_sobol_chart(run: SobolRun, out_dir: str | Path) -> list[Path]:
    """One PNG and one SVG per output; returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for res in run.outputs:
        fig = _figure(run, res)
        stem = "sobol-" + res.output.replace(":", "-")
        for ext in ("png", "svg"):
            target = out / f"{stem}.{ext}"
            fig.savefig(target, format=ext, dpi=110, bbox_inches="tight")
            written.append(target)
    return written
