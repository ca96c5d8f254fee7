"""Exact maximum-likelihood fits of the engine's price models to a yearly price series, with
standard errors, a unit-root test and a check whether a two-factor model is identified."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

MODELS = ("auto", "gbm", "ou", "schwartz_smith")
MIN_YEARS = 12  # fewer yearly changes than this cannot say anything about mean reversion


@dataclass(frozen=True, slots=True)
class Estimate:
    """A parameter's maximum-likelihood estimate and its asymptotic standard error."""

    value: float
    se: float


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One model fitted to log prices x_0..x_n (conditional on x_0), on the engine's parameters.

    gbm: mu (drift of the mean), sigma.  ou: kappa, long_run (median level), sigma.
    `correlation`: the estimates' asymptotic correlation matrix, rows in the order of `params`
    (None where the fit does not give it).
    """

    model: str
    params: dict[str, Estimate]
    loglik: float
    n: int
    correlation: tuple[tuple[float, ...], ...] | None = None

    @property
    def aic(self) -> float:
        """Akaike information criterion (both fits condition on the same first year)."""
        return 2.0 * len(self.params) - 2.0 * self.loglik


@dataclass(frozen=True, slots=True)
class TwoFactor:
    """Spot-only Schwartz-Smith (random walk with drift plus an AR(1) deviation, rho = 0) by
    Kalman-filter maximum likelihood; `identified` says whether both factors are resolved."""

    identified: bool
    reason: str
    params: dict[str, Estimate] = field(default_factory=dict)
    chi_last: float = 0.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """Every fit of one series over one window, the unit-root test and the chosen model."""

    years: tuple[int, ...]
    log_prices: tuple[float, ...]
    gbm: ModelFit
    ou: ModelFit | None
    ou_note: str
    adf_stat: float
    adf_pvalue: float
    kappa_bias_corrected: float | None
    two_factor: TwoFactor
    chosen: str
    reason: str

    @property
    def mean_reversion_identified(self) -> bool:
        """Whether the unit-root test rejects a random walk at 5%."""
        return self.adf_pvalue < 0.05

    @property
    def fit(self) -> ModelFit:
        """The chosen model's fit (a two-factor choice reads `two_factor` instead)."""
        if self.chosen == "schwartz_smith":
            return ModelFit("schwartz_smith", self.two_factor.params, math.nan, len(self.years) - 1)
        return self.ou if self.chosen == "ou" and self.ou is not None else self.gbm


def contiguous(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The latest run of consecutive years with positive prices (the exact transitions below
    are yearly; a gap would need its own step length)."""
    run: list[tuple[int, float]] = []
    for year, value in points:
        if value <= 0 or not math.isfinite(value):
            run = []
            continue
        if run and year != run[-1][0] + 1:
            run = []
        run.append((year, value))
    return run


def fit_gbm(x: NDArray[np.float64]) -> ModelFit:
    """GBM: yearly log changes are i.i.d. N(mu - sigma^2/2, sigma^2); closed-form MLE."""
    r = np.diff(x)
    n = r.size
    m = float(r.mean())
    v = float(np.mean((r - m) ** 2))
    sigma = math.sqrt(v)
    mu = m + v / 2.0
    # var(m) = v/n, var(v) = 2 v^2/n, independent; mu = m + v/2, sigma = sqrt(v)
    se_mu = math.sqrt(v / n + v * v / (2.0 * n))
    se_sigma = sigma / math.sqrt(2.0 * n)
    loglik = -0.5 * n * (math.log(2.0 * math.pi * v) + 1.0)
    # cov(mu, sigma) = var(v) / (4 sigma) = sigma^3 / 2n, so corr = sigma / sqrt(2 + sigma^2)
    rho = sigma / math.sqrt(2.0 + v)
    params = {"mu": Estimate(mu, se_mu), "sigma": Estimate(sigma, se_sigma)}
    return ModelFit("gbm", params, loglik, n, ((1.0, rho), (rho, 1.0)))


def fit_ou(x: NDArray[np.float64]) -> tuple[ModelFit | None, str]:
    """Log-OU by its exact AR(1) transition x_t = theta + (x_{t-1} - theta) e^-kappa + e_t,
    e_t ~ N(0, sigma^2 (1 - e^-2kappa) / 2kappa): least squares is the conditional MLE; standard
    errors by the delta method. None when the fitted autoregression shows no mean reversion."""
    y, lag = x[1:], x[:-1]
    n = y.size
    design = np.column_stack([np.ones(n), lag])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    a, b = float(beta[0]), float(beta[1])
    resid = y - design @ beta
    s2 = float(resid @ resid) / n
    if not 0.0 < b < 1.0:
        return None, Message(
            "the fitted yearly persistence is {b:.3f}, outside (0, 1): no mean reversion", b=b
        )
    kappa = -math.log(b)
    theta = a / (1.0 - b)
    sigma = math.sqrt(s2 * 2.0 * kappa / (1.0 - b * b))
    cov_ab = s2 * np.linalg.inv(design.T @ design)
    var_s2 = 2.0 * s2 * s2 / n
    # Jacobians of (kappa, theta, sigma) with respect to (a, b); s2 enters sigma only
    d_kappa = np.array([0.0, -1.0 / b])
    d_theta = np.array([1.0 / (1.0 - b), a / (1.0 - b) ** 2])
    g = 2.0 * kappa / (1.0 - b * b)  # sigma^2 = s2 * g(b)
    dg_db = (-2.0 / b) / (1.0 - b * b) + 2.0 * kappa * 2.0 * b / (1.0 - b * b) ** 2
    d_sigma_b = np.array([0.0, s2 * dg_db / (2.0 * sigma)])
    d_sigma_s2 = g / (2.0 * sigma)
    se_kappa = math.sqrt(float(d_kappa @ cov_ab @ d_kappa))
    se_theta = math.sqrt(float(d_theta @ cov_ab @ d_theta))
    se_sigma = math.sqrt(float(d_sigma_b @ cov_ab @ d_sigma_b) + d_sigma_s2**2 * var_s2)
    long_run = math.exp(theta)
    loglik = -0.5 * n * (math.log(2.0 * math.pi * s2) + 1.0)
    params = {
        "kappa": Estimate(kappa, se_kappa),
        "long_run": Estimate(long_run, long_run * se_theta),  # delta method on exp(theta)
        "sigma": Estimate(sigma, se_sigma),
    }
    # the whole delta-method covariance of (kappa, theta, sigma) from that of (a, b, s2); the
    # correlation of long_run = exp(theta) with the others is theta's
    jac = np.array([[*d_kappa, 0.0], [*d_theta, 0.0], [*d_sigma_b, d_sigma_s2]], dtype=np.float64)
    cov_in = np.zeros((3, 3))
    cov_in[:2, :2], cov_in[2, 2] = cov_ab, var_s2
    return ModelFit("ou", params, loglik, n, _correlation(jac @ cov_in @ jac.T)), ""


def _correlation(cov: NDArray[np.float64]) -> tuple[tuple[float, ...], ...]:
    """The correlation matrix of a covariance matrix, as nested tuples."""
    sd = np.sqrt(np.diag(cov))
    corr = np.clip(cov / np.outer(sd, sd), -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return tuple(tuple(float(v) for v in row) for row in corr)


def kappa_bias_corrected(x: NDArray[np.float64]) -> float | None:
    """kappa after the Marriott-Pope correction of the AR(1) slope, E[b_hat] ~ b - (1 + 3b)/n:
    least squares over-states mean reversion in short samples."""
    y, lag = x[1:], x[:-1]
    n = y.size
    b = float(np.polyfit(lag, y, 1)[0])
    corrected = b + (1.0 + 3.0 * b) / n
    return -math.log(corrected) if 0.0 < corrected < 1.0 else None


def adf_test(x: NDArray[np.float64]) -> tuple[float, float]:
    """Augmented Dickey-Fuller statistic and MacKinnon p-value (constant, no lags): the test the
    OU fit must pass before its mean reversion means anything."""
    from statsmodels.tsa.stattools import adfuller

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat, pvalue, *_ = adfuller(x, maxlag=0, regression="c", autolag=None)
    return float(stat), float(pvalue)


def fit_two_factor(x: NDArray[np.float64]) -> TwoFactor:
    """Spot-only two-factor fit (statsmodels UnobservedComponents: random walk with drift plus
    AR(1)); identified only if the optimiser converges and both shock variances and the AR
    coefficient are each more than two standard errors from their boundaries. rho is fixed at 0:
    spot prices alone cannot separate it from the other parameters."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = UnobservedComponents(x, level="rwdrift", autoregressive=1).fit(
                disp=False, maxiter=500
            )
        except (ValueError, np.linalg.LinAlgError) as exc:
            return TwoFactor(
                False, Message("the Kalman-filter fit failed: {reason}", reason=str(exc))
            )
    names = list(res.param_names)
    est = dict(zip(names, (float(v) for v in res.params), strict=True))
    ses = dict(zip(names, (float(v) for v in np.nan_to_num(res.bse, nan=math.inf)), strict=True))
    var_xi, var_ar, phi = est["sigma2.level"], est["sigma2.ar"], est["ar.L1"]
    trouble = [str(w.message).splitlines()[0] for w in caught]
    if trouble:
        said = Message(
            "the Kalman-filter fit did not converge cleanly: {reason}", reason=trouble[0]
        )
        return TwoFactor(False, said)
    if var_xi < 2 * ses["sigma2.level"] or var_ar < 2 * ses["sigma2.ar"]:
        return TwoFactor(
            False,
            Message(
                "one factor's shock variance is within two standard errors of zero "
                "(long-term {long:.4f} ± {long_se:.4f}, short-term {short:.4f} "
                "± {short_se:.4f}): the data do not separate two factors",
                long=var_xi,
                long_se=ses["sigma2.level"],
                short=var_ar,
                short_se=ses["sigma2.ar"],
            ),
        )
    if not 2 * ses["ar.L1"] < phi < 1.0 - 2 * ses["ar.L1"]:
        return TwoFactor(
            False,
            Message(
                "the short-term persistence {phi:.3f} ± {se:.3f} is not resolved",
                phi=phi,
                se=ses["ar.L1"],
            ),
        )
    kappa = -math.log(phi)
    sigma_chi = math.sqrt(var_ar * 2.0 * kappa / (1.0 - phi * phi))
    sigma_xi = math.sqrt(var_xi)
    drift = np.diff(x)
    params = {
        "kappa": Estimate(kappa, ses["ar.L1"] / phi),
        "sigma_chi": Estimate(sigma_chi, math.nan),
        "sigma": Estimate(sigma_xi, ses["sigma2.level"] / (2.0 * sigma_xi)),
        # the engine's mu is the long-term factor's drift in logs
        "mu": Estimate(float(drift.mean()), float(drift.std() / math.sqrt(drift.size))),
    }
    chi_last = float(res.filtered_state[-1, -1])  # the AR (short-term) state in the last year
    return TwoFactor(True, Message("both factors resolved (rho fixed at 0)"), params, chi_last)


def calibrate(points: list[tuple[int, float]], model: str = "auto", where: str = "") -> Calibration:
    """Fit GBM and log-OU to yearly prices (the latest run of consecutive years), test for a unit
    root and for a second factor, and choose: `auto` takes OU only when the unit-root test
    rejects a random walk at 5%."""
    if model not in MODELS:
        said = Message("unknown model {model!r}", model=model)
        raise InputError([Problem(said, where, field="--model")])
    run = contiguous(points)
    if len(run) - 1 < MIN_YEARS:
        raise InputError(
            [
                Problem(
                    Message("only {count} consecutive yearly changes", count=max(len(run) - 1, 0)),
                    where,
                    field="--series",
                    expected=Message("at least {count}", count=MIN_YEARS),
                )
            ]
        )
    years = tuple(y for y, _ in run)
    x = np.log(np.array([v for _, v in run], dtype=np.float64))
    gbm = fit_gbm(x)
    ou, ou_note = fit_ou(x)
    stat, pvalue = adf_test(x)
    two = fit_two_factor(x)
    if model == "ou" and ou is None:
        expected = Message("gbm or auto")
        raise InputError([Problem(ou_note, where, field="--model", expected=expected)])
    if model == "schwartz_smith" and not two.identified:
        msg = Message("two-factor model not identified: {reason}", reason=two.reason)
        expected = Message("gbm, ou or auto")
        raise InputError([Problem(msg, where, field="--model", expected=expected)])
    if model == "auto":
        # not AIC: under a random walk the OU's likelihood gain is Dickey-Fuller distributed,
        # and AIC would pick OU for a random walk too often
        chosen = "ou" if ou is not None and pvalue < 0.05 else "gbm"
        reason = (
            f"the unit-root test rejects a random walk (ADF p = {pvalue:.3f})"
            if chosen == "ou"
            else f"no evidence of mean reversion in this sample (ADF p = {pvalue:.2f})"
        )
    else:
        chosen, reason = model, f"chosen by the analyst (--model {model})"
    return Calibration(
        years=years,
        log_prices=tuple(float(v) for v in x),
        gbm=gbm,
        ou=ou,
        ou_note=ou_note,
        adf_stat=stat,
        adf_pvalue=pvalue,
        kappa_bias_corrected=kappa_bias_corrected(x),
        two_factor=two,
        chosen=chosen,
        reason=reason,
    )
