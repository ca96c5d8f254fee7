"""Charts of a run (fan, P(target), survival, tornado) as PNG and SVG, drawn without pyplot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from jointfund.forecast.results import ForecastRun

_BN = 1e9


def _save(fig: Figure, out: Path, stem: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        target = out / f"{stem}.{ext}"
        fig.savefig(target, format=ext, dpi=110, bbox_inches="tight")
        paths.append(target)
    return paths


def _conditional(run: ForecastRun, title: str) -> str:
    return f"{title}\nconditional on scenario {run.manifest.scenario}'s assumptions"


def _fan_chart(run: ForecastRun) -> Figure:
    fig = Figure(figsize=(15, 4))
    years = np.asarray(run.calendar_years)
    for ax, key, title in zip(
        fig.subplots(1, 3),
        ("us_value", "cum_inflow", "nav"),
        ("U.S. recoupment (dist. + NAV share)", "Total inflow (not U.S. recoupment)", "Fund NAV"),
        strict=True,
    ):
        if key not in run.fans:
            continue
        q = np.asarray(run.fans[key].values) / _BN
        ax.fill_between(years, q[:, 0], q[:, 4], alpha=0.2, color="C0", label="5-95%")
        ax.fill_between(years, q[:, 1], q[:, 3], alpha=0.4, color="C0", label="25-75%")
        ax.plot(years, q[:, 2], color="C0", label="median")
        ax.set_title(_conditional(run, title), fontsize="medium")
        ax.set_ylabel("USD bn")
        ax.legend(loc="upper left")
    return fig


def _target_chart(run: ForecastRun) -> Figure:
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    years = np.asarray(run.calendar_years)
    curves = [("U.S. recoupment", c) for c in run.targets]
    curves += [("total inflow", c) for c in run.inflow_targets]
    for k, (what, curve) in enumerate(curves):
        p, se = np.asarray(curve.prob), np.asarray(curve.se)
        ax.plot(years, p, color=f"C{k}", label=f"{what} >= ${curve.target_usd / _BN:,.1f} bn")
        ax.fill_between(
            years, np.clip(p - 2 * se, 0, 1), np.clip(p + 2 * se, 0, 1), color=f"C{k}", alpha=0.25
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(
        _conditional(run, "P(measure >= comparison line by year; lines, not debts), +/- 2 s.e.")
    )
    ax.legend()
    return fig


def _survival_chart(run: ForecastRun) -> Figure:
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    years = np.asarray(run.calendar_years)
    for k, s in enumerate(run.survival):
        ax.step(
            years,
            s.survival,
            where="post",
            color=f"C{k}",
            label=f"{s.partner} ({s.basis}); never: {s.never:.1%}",
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(_conditional(run, "P(not yet recouped) by year"))
    ax.legend(fontsize="small")
    return fig


def _tornado_chart(run: ForecastRun) -> Figure | None:
    if run.tornado is None or not run.tornado.bars:
        return None
    t = run.tornado
    fig = Figure(figsize=(7, 0.5 * len(t.bars) + 1.5))
    ax = fig.subplots()
    for i, bar in enumerate(reversed(t.bars)):
        lo, hi = sorted((bar.output_low, bar.output_high))
        ax.barh(i, hi - lo, left=lo, color="C0")
    ax.set_yticks(range(len(t.bars)), [b.name for b in reversed(t.bars)])
    ax.axvline(t.base, color="k", lw=1)
    ax.set_title(_conditional(run, f"Tornado: {t.output} (P10-P90 of each input)"))
    return fig


def render_charts(run: ForecastRun, out_dir: str | Path) -> list[Path]:
    """Write fan, P(target), survival and (if computed) tornado charts; returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = _save(_fan_chart(run), out, "fan")
    written += _save(_target_chart(run), out, "p_target")
    written += _save(_survival_chart(run), out, "survival")
    tornado = _tornado_chart(run)
    if tornado is not None:
        written += _save(tornado, out, "tornado")
    return written
