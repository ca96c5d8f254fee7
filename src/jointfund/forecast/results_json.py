"""A forecast run as plain JSON-ready data and back: what `forecast run --json` prints and what a
stored run keeps beside its per-path arrays."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from numpy.typing import NDArray

from jointfund.forecast.results import (
    MEASURES,
    Fan,
    ForecastRun,
    Manifest,
    RareEstimate,
    Survival,
    TargetCurve,
    Tornado,
    TornadoBar,
)


def to_dict(run: ForecastRun) -> dict[str, Any]:
    """JSON-ready summary (no per-path arrays)."""
    return {
        "manifest": asdict(run.manifest),
        "calendar_years": list(run.calendar_years),
        "fans": {k: asdict(v) for k, v in run.fans.items()},
        "conditional_on": run.manifest.caveat,
        "parameter_uncertainty": run.manifest.parameter_uncertainty,
        "measures": MEASURES,
        "targets": [_curve_dict(c) for c in run.targets],
        "inflow_targets": [_curve_dict(c) for c in run.inflow_targets],
        "grid": [asdict(c) for c in run.grid],
        "survival": [asdict(s) for s in run.survival],
        "tornado": None if run.tornado is None else asdict(run.tornado),
    }


def _curve_dict(curve: TargetCurve) -> dict[str, Any]:
    out = asdict(curve)
    out["estimator"] = curve.estimator
    return out


def _curve(d: dict[str, Any]) -> TargetCurve:
    d = {k: v for k, v in d.items() if k != "estimator"}
    rare = d.pop("rare", None)
    curve = TargetCurve(**{k: _tuples(v) for k, v in d.items()})
    if rare is not None:
        rare = RareEstimate(**{**rare, "levels": tuple(rare["levels"])})
        curve = replace(curve, rare=rare)
    return curve


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def from_dict(data: dict[str, Any], path_metrics: dict[str, NDArray[Any]]) -> ForecastRun:
    """Rebuild a run from `to_dict` output and its per-path arrays."""

    def rec(cls: Any, d: dict[str, Any]) -> Any:
        return cls(**{k: _tuples(v) for k, v in d.items()})

    tornado = data.get("tornado")
    targets = tuple(_curve(c) for c in data["targets"])
    inflow = tuple(_curve(c) for c in data.get("inflow_targets", []))
    if "inflow_targets" not in data:  # saved before U.S. recoupment targets: they were inflow
        targets, inflow = (), targets
    return ForecastRun(
        manifest=Manifest(**data["manifest"]),
        calendar_years=tuple(data["calendar_years"]),
        fans={k: rec(Fan, v) for k, v in data["fans"].items()},
        targets=targets,
        grid=tuple(rec(TargetCurve, c) for c in data["grid"]),
        survival=tuple(rec(Survival, s) for s in data["survival"]),
        path_metrics=path_metrics,
        tornado=None
        if tornado is None
        else Tornado(
            tornado["output"],
            tornado["base"],
            tuple(rec(TornadoBar, b) for b in tornado["bars"]),
        ),
        inflow_targets=inflow,
    )
