"""Estimation error of calibrated price parameters, propagated by drawing each path's parameters
once from the fit's asymptotic normal, on a scale that keeps them valid (log for kappa, sigma,
sigma_chi and the long-run level; mu as it is), from the path's own `price-params:` stream."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.scenario_schema import ScenarioModel
from jointfund.forecast.streams import FloatArray
from jointfund.i18n.message import Codes, Message

if TYPE_CHECKING:
    from jointfund.forecast.draws import Draws
    from jointfund.forecast.model import CompiledModel

# the engine's PriceParams field each scenario parameter sets: theta is log(long_run)
FIELDS = {
    "mu": "mu",
    "sigma": "sigma",
    "kappa": "kappa",
    "long_run": "theta",
    "sigma_chi": "sigma_chi",
}
_IDENTITY = frozenset({"mu"})  # drawn as they are; every other one on the log scale
METHOD = (
    "each path draws its price-model parameters once, y = estimate + L z (z standard normal, "
    "L L' the fit's covariance on the drawing scale: log for kappa, sigma, sigma_chi and "
    "long_run, as is for mu), from its own stream price-params:<commodity>; the price shocks "
    "are the same as without the draw"
)


def stream_id(name: str) -> str:
    """The random source id of a commodity's parameter draws."""
    return f"price-params:{name}"


@dataclass(frozen=True, slots=True)
class ParamSampler:
    """One commodity's per-path parameters: y = centre + chol @ z on the drawing scale, then
    each engine field is exp(y) (kappa, sigma, sigma_chi), y (mu, and theta = log long_run)."""

    names: tuple[str, ...]
    estimate: tuple[float, ...]
    se: tuple[float, ...]
    log: tuple[bool, ...]
    centre: tuple[float, ...]
    chol: tuple[tuple[float, ...], ...]

    @property
    def size(self) -> int:
        """Number of parameters drawn (normals per path)."""
        return len(self.names)

    def sample(self, z: NDArray[Any]) -> dict[str, FloatArray]:
        """The engine fields per path from z (size, n) standard normals (float32 or float64)."""
        y = np.asarray(self.chol) @ z.astype(np.float64)
        y += np.asarray(self.centre)[:, None]
        out: dict[str, FloatArray] = {}
        for k, name in enumerate(self.names):
            field = FIELDS[name]
            out[field] = np.exp(y[k]) if self.log[k] and field != "theta" else y[k]
        return out

    def sample_one(self, z: list[float]) -> dict[str, float]:
        """The same for one path, in plain Python (for the per-path reference)."""
        out: dict[str, float] = {}
        for k, name in enumerate(self.names):
            y = self.centre[k] + sum(w * zj for w, zj in zip(self.chol[k], z, strict=True))
            field = FIELDS[name]
            out[field] = math.exp(y) if self.log[k] and field != "theta" else y
        return out


def sampler(m: ScenarioModel, name: str) -> ParamSampler | None:
    """The sampler of commodity `name`, or None when its parameters keep their point values."""
    if not m.prices.draws(name):
        return None
    block = m.prices.commodities[name]
    fit = block.fit
    assert fit is not None
    names = tuple(fit.se)
    estimate = tuple(float(getattr(block, k)) for k in names)
    se = tuple(fit.se[k] for k in names)
    log = tuple(k not in _IDENTITY for k in names)
    centre = tuple(math.log(v) if lg else v for v, lg in zip(estimate, log, strict=True))
    # delta method: the s.d. of log(v) is se / v; correlations are unchanged by the log
    sd = np.asarray([s / v if lg else s for v, s, lg in zip(estimate, se, log, strict=True)])
    corr = np.eye(len(names)) if fit.correlation is None else np.asarray(fit.correlation)
    chol = np.linalg.cholesky(corr * np.outer(sd, sd))
    return ParamSampler(
        names, estimate, se, log, centre, tuple(tuple(float(v) for v in r) for r in chol)
    )


def path_params(model: CompiledModel, draws: Draws) -> list[dict[str, FloatArray] | None] | None:
    """Per commodity the per-path parameter arrays (over the chunk's paths), None where the
    point values hold; None when no commodity draws (the engine's scalar path)."""
    drawn = model.uncertain
    if not drawn:
        return None
    return [
        s.sample(draws.params[c]) if s is not None and c in drawn else None
        for c, s in enumerate(model.uncertainty)
    ]


def describe(model: CompiledModel) -> dict[str, Any]:
    """What the manifest, `forecast run --json` and the census say about parameter uncertainty."""
    drawn = model.uncertain
    commodities: dict[str, Any] = {}
    for c in sorted(drawn):
        s = model.uncertainty[c]
        assert s is not None
        commodities[model.prices[c].name] = {
            "stream": stream_id(model.prices[c].name),
            "parameters": {
                k: {
                    "estimate": v,
                    "se": se,
                    "scale": "log" if lg else "identity",
                    "sd_on_scale": float(np.hypot.reduce(row)) if row else 0.0,
                }
                for k, v, se, lg, row in zip(s.names, s.estimate, s.se, s.log, s.chol, strict=True)
            },
        }
    point = sorted(model.prices[c].name for c in model.priced - drawn)
    return {
        "propagated": bool(drawn),
        "method": METHOD if drawn else "point estimates: every path uses the same parameters",
        "commodities": commodities,
        "point_estimates": point,
    }


def said(described: Mapping[str, Any]) -> str:
    """One plain sentence from `describe`: whether the fan carries the price fits' own error."""
    drawn = Codes(sorted(described.get("commodities", {})))
    point = Codes(described.get("point_estimates", []))
    if not drawn:
        return Message(
            "Price parameters: the same on every path; no fit's own error is drawn into the fan."
        )
    if not point:
        return Message(
            "Price parameters drawn per path for {names}, from each fit's standard errors and "
            "correlation.",
            names=drawn,
        )
    return Message(
        "Price parameters drawn per path for {names}, from each fit's standard errors and "
        "correlation; point estimates for {point}.",
        names=drawn,
        point=point,
    )
