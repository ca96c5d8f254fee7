"""Schema of a price block's `fit`: the sampling distribution of calibrated estimates that
`parameter_uncertainty: draw` samples each path's parameters from (see forecast.uncertainty)."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from jointfund.forecast.validation import Strict
from jointfund.i18n.message import Message

PriceModelName = Literal["gbm", "ou", "schwartz_smith"]
Uncertainty = Literal["none", "draw"]
# the parameters a fit estimates, per model: the ones whose estimation error can be drawn
FITTED: dict[str, tuple[str, ...]] = {
    "gbm": ("mu", "sigma"),
    "ou": ("kappa", "long_run", "sigma"),
    "schwartz_smith": ("kappa", "sigma_chi", "mu", "sigma"),
}


class FitSpread(Strict):
    """The sampling distribution of a fit's estimates (asymptotic normal, delta method): each
    parameter's standard error on its own scale, and their correlation matrix, rows and columns
    in the order of `se` (None: the fit gives none, the estimates are taken as independent)."""

    model: PriceModelName
    se: dict[str, float] = Field(min_length=1)
    correlation: list[list[float]] | None = None

    @model_validator(mode="after")
    def _valid_spread(self) -> FitSpread:
        unknown = [k for k in self.se if k not in FITTED[self.model]]
        if unknown:
            raise ValueError(
                Message(
                    "se: {names}: not estimated by a {model!r} fit (expected some of {fitted})",
                    names=", ".join(unknown),
                    model=self.model,
                    fitted=", ".join(FITTED[self.model]),
                )
            )
        bad = [k for k, v in self.se.items() if not (math.isfinite(v) and v > 0)]
        if bad:
            raise ValueError(
                Message("se: {names} must be a positive finite number", names=", ".join(bad))
            )
        if self.correlation is not None:
            corr = np.asarray(self.correlation, dtype=np.float64)
            k = len(self.se)
            if corr.shape != (k, k):
                raise ValueError(Message("correlation must be {k} x {k}, in the order of se", k=k))
            if not (np.allclose(corr, corr.T) and np.allclose(np.diag(corr), 1.0)):
                raise ValueError(Message("correlation must be symmetric with a unit diagonal"))
            try:
                np.linalg.cholesky(corr)
            except np.linalg.LinAlgError:
                raise ValueError(Message("correlation is not positive definite")) from None
        return self
