"""Pydantic schema of a forecast scenario file (after `extends:` has been merged)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from jointfund.forecast.fit_schema import FitSpread, PriceModelName, Uncertainty
from jointfund.forecast.register import Stage
from jointfund.forecast.territory_schema import (
    Territory,
)
from jointfund.forecast.validation import Labelled, Sourced, Strict
from jointfund.i18n.message import Message

Probability = float


class Triangular(Strict):
    """A triangular distribution given by min, mode and max."""

    min: float
    mode: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.min <= self.mode <= self.max:
            raise ValueError(Message("need min <= mode <= max"))
        return self


class PipelineClass(Sourced):
    """Licence pipeline for one development stage."""

    p_licence: float = Field(ge=0, le=1)
    licence_year: Triangular
    dev_years: Triangular
    ramp_years: int = Field(ge=0, le=30)
    p_fail: float = Field(ge=0, le=1)
    capacity_log_sd: float = Field(default=0.0, ge=0, le=3)


class PipelineOverride(Sourced):
    """Per-deposit replacements for fields of its stage's class."""

    p_licence: float | None = Field(default=None, ge=0, le=1)
    licence_year: Triangular | None = None
    dev_years: Triangular | None = None
    ramp_years: int | None = Field(default=None, ge=0, le=30)
    p_fail: float | None = Field(default=None, ge=0, le=1)
    capacity_log_sd: float | None = Field(default=None, ge=0, le=3)


class CapexDelay(Sourced):
    """Extra development years by capex class (bigger projects take longer to finance and build)."""

    small: float = Field(ge=0)
    medium: float = Field(ge=0)
    large: float = Field(ge=0)
    mega: float = Field(ge=0)


class Pipeline(Strict):
    """Licence pipeline inputs: per-stage classes, capex delays, per-deposit overrides."""

    classes: dict[Stage, PipelineClass]
    capex_delay_years: CapexDelay
    overrides: dict[str, PipelineOverride] = Field(default_factory=dict)


class PriceModel(Sourced):
    """A commodity price model on the log price; annual steps, exact transitions.

    gbm: mu (drift of the mean), sigma.  ou: kappa, long_run (price level), sigma.
    schwartz_smith: kappa, sigma_chi (short-term), mu and sigma (long-term factor), rho, chi0.
    `fit`: the estimates' standard errors (a calibrated block carries them);
    `parameter_uncertainty: draw` makes each path draw its parameters from them (None: as
    `prices.parameter_uncertainty` says).
    """

    model: PriceModelName
    unit: str
    s0: float = Field(gt=0)
    mu: float = Field(default=0.0, ge=-1, le=1)
    sigma: float = Field(default=0.0, ge=0, le=3)
    kappa: float | None = Field(default=None, gt=0, le=50)
    long_run: float | None = Field(default=None, gt=0)
    sigma_chi: float | None = Field(default=None, ge=0, le=3)
    rho: float = Field(default=0.0, ge=-1, le=1)
    chi0: float = 0.0
    fit: FitSpread | None = None
    parameter_uncertainty: Uncertainty | None = None

    @field_validator("parameter_uncertainty")
    @classmethod
    def _draws_need_a_fit(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value == "draw" and "fit" in info.data and info.data["fit"] is None:
            raise ValueError(
                Message(
                    # no parts: the braces are the block's own syntax, written as they are
                    "'draw' needs the standard errors of a fit (`fit: {model, se, correlation}`), "
                    "which this block does not carry: write the block with `jointfund forecast "
                    "calibrate`, or state them"
                )
            )
        return value

    @model_validator(mode="after")
    def _has_model_parameters(self) -> PriceModel:
        if self.model == "ou" and (self.kappa is None or self.long_run is None):
            raise ValueError(Message("an 'ou' model needs kappa and long_run"))
        if self.model == "schwartz_smith" and (self.kappa is None or self.sigma_chi is None):
            raise ValueError(Message("a 'schwartz_smith' model needs kappa and sigma_chi"))
        if self.fit is not None:
            if self.fit.model != self.model:
                raise ValueError(
                    Message(
                        "fit: a {fitted!r} fit cannot spread a {model!r} model "
                        "(a block that changes the model must restate or drop `fit`)",
                        fitted=self.fit.model,
                        model=self.model,
                    )
                )
            logged = [k for k in self.fit.se if k != "mu" and not (getattr(self, k) or 0.0) > 0]
            if logged:
                raise ValueError(
                    Message(
                        "fit: {names} must be positive to be drawn (on the log scale)",
                        names=", ".join(logged),
                    )
                )
        return self


class Correlation(Sourced):
    """Correlation of two commodities' primary (long-term) shocks."""

    a: str
    b: str
    rho: float = Field(ge=-1, le=1)


class Prices(Strict):
    """Price models per commodity and their cross-commodity correlations.

    `parameter_uncertainty: draw`: every commodity whose block carries a `fit` (and does not
    say `none` itself) draws its parameters per path; the others keep their point values."""

    commodities: dict[str, PriceModel]
    parameter_uncertainty: Uncertainty = "none"
    correlation: list[Correlation] = Field(default_factory=list)

    @field_validator("parameter_uncertainty")
    @classmethod
    def _some_fit(cls, value: str, info: ValidationInfo) -> str:
        found = info.data.get("commodities")
        if value == "draw" and found is not None and not any(p.fit for p in found.values()):
            raise ValueError(
                Message(
                    "'draw' needs at least one price block with the standard errors of a fit "
                    "(`fit:`); none has them: merge a calibrated block "
                    "(`jointfund forecast calibrate`)"
                )
            )
        return value

    def draws(self, name: str) -> bool:
        """Whether commodity `name` draws its parameters per path."""
        block = self.commodities[name]
        chosen = block.parameter_uncertainty or self.parameter_uncertainty
        return chosen == "draw" and block.fit is not None


class RoyaltyTier(Strict):
    """Applies when price <= max_price (None: no upper bound).

    Per unit: rate * min(price, marginal_above) + marginal_rate * max(price - marginal_above, 0).
    """

    max_price: float | None = Field(default=None, gt=0)
    rate: float = Field(ge=0, le=1)
    marginal_above: float | None = Field(default=None, gt=0)
    marginal_rate: float = Field(default=0.0, ge=0, le=1)


class RoyaltySchedule(Sourced):
    """Rent (royalty) rate as a function of price: tiers in increasing max_price, last unbounded."""

    tiers: list[RoyaltyTier] = Field(min_length=1)

    @model_validator(mode="after")
    def _tiers_cover_all_prices(self) -> RoyaltySchedule:
        bounds = [t.max_price for t in self.tiers]
        if bounds[-1] is not None:
            raise ValueError(Message("the last tier must have no max_price"))
        inner = [b for b in bounds[:-1] if b is not None]
        if len(inner) != len(bounds) - 1 or inner != sorted(inner):
            raise ValueError(
                Message("max_price must be given and increasing on every tier but the last")
            )
        return self


class Psa(Sourced):
    """Production-sharing terms: royalty under a PSA (per commodity where the law differs, e.g.
    oil and gas, else `royalty_rate`) and the state's share of profit output."""

    royalty_rate: float = Field(ge=0, le=1)
    royalty_rate_by_commodity: dict[str, float] = Field(default_factory=dict)
    state_share: float = Field(ge=0, le=1)
    profit_margin: float = Field(ge=0, le=1)


class Scalar(Sourced):
    """One sourced number."""

    value: float


class Fx(Sourced):
    """UAH per USD: log rate = log s0 + drift*t + an OU deviation (kappa, sigma)."""

    s0: float = Field(gt=0)
    drift: float = Field(ge=-1, le=1)
    kappa: float = Field(gt=0, le=50)
    sigma: float = Field(ge=0, le=3)


class Fiscal(Strict):
    """Royalty schedules (keyed by schedule id; a commodity's default is its own name), PSA, FX."""

    royalty: dict[str, RoyaltySchedule]
    psa: Psa
    net_cost_fraction: Scalar
    fx: Fx


InKindBasis = Literal["assessed_value", "replacement_cost", "depreciated_book_value", "fair_value"]
"""How an in-kind stream is valued in a forecast (analysis options, not booking rules)."""


class RandomContribution(Strict):
    """Each year in [start_year, end_year]: a contribution with `probability`, lognormal size."""

    start_year: int
    end_year: int
    probability: float = Field(ge=0, le=1)
    median_usd: float = Field(ge=0)
    log_sd: float = Field(ge=0, le=5)


class Contribution(Sourced):
    """A partner's contribution stream: a fixed schedule or a random one; in kind is valued.

    `valuation_basis` names what `valuation_factor` stands for. The bases are analysis options
    of the forecast only: the books credit in-kind aid at the one assessed value the board
    approves, whatever method the evaluation consultant used.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    partner: Literal["US", "UA"]
    kind: Literal["cash", "in_kind"]
    schedule: dict[int, float] | None = None
    random: RandomContribution | None = None
    valuation_factor: float = Field(default=1.0, ge=0, le=10)
    valuation_basis: InKindBasis | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Contribution:
        if (self.schedule is None) == (self.random is None):
            raise ValueError(Message("give exactly one of 'schedule' or 'random'"))
        if self.schedule and min(self.schedule.values()) < 0:
            raise ValueError(Message("scheduled amounts must be >= 0"))
        if self.valuation_basis is not None and self.kind != "in_kind":
            raise ValueError(Message("only an in-kind stream has a valuation basis"))
        return self


class FundReturn(Sourced):
    """Yearly log return ~ N(mu - sigma^2/2 - war_drag, sigma^2)."""

    mu: float = Field(ge=-1, le=1)
    sigma: float = Field(ge=0, le=2)
    war_drag: float = Field(ge=0, le=1)


class Fund(Strict):
    """Fund-level investment model."""

    investment_return: FundReturn


class TermsFields(Sourced):
    """ForecastTerms stated directly in a scenario (see fundrules.ForecastTerms for meanings)."""

    preset_id: str = "custom"
    fund_share: float = Field(default=0.5, ge=0, le=1)
    basis: Literal["gross", "net"] = "gross"
    new_only: bool = True
    covered_resources: list[str] | None = None
    streams: list[Literal["royalty", "permit_fee", "psa_state_share", "bonus"]] | None = None
    liberated_share: float | None = Field(default=None, ge=0, le=1)
    inflow_credits_capital: bool = True
    ownership: Literal["contributions", "us_all"] = "contributions"
    threshold_total_usd: float | None = Field(default=None, gt=0)
    threshold_raised_by_us_aid: bool = False
    ua_multiple: float = Field(default=1.0, ge=0)
    priority_senior: Literal["US", "UA"] | None = None
    priority_rate: float = Field(default=0.0, ge=0, le=1)
    priority_initial_usd: float = Field(default=0.0, ge=0)
    lock_years: int = Field(default=10, ge=0, le=200)
    distribution: Literal["pro_rata_capital", "none"] = "pro_rata_capital"
    payout_fraction: float = Field(default=1.0, ge=0, le=1)
    payout_rule: Literal["positive_income", "net_of_losses"] = "positive_income"


class TermsSpec(Strict):
    """Fund rules: a jointfund.terms preset (or file), and/or fields stated directly (they win)."""

    preset: str | None = None
    fields: TermsFields | None = None

    @model_validator(mode="after")
    def _something(self) -> TermsSpec:
        if self.preset is None and self.fields is None:
            raise ValueError(Message("give 'preset' or 'fields'"))
        return self


class SensitivityInput(Sourced):
    """One tornado input: a dotted path into the scenario and its 10th/90th percentile values."""

    name: str
    path: str
    p10: float
    p90: float


class Sensitivity(Strict):
    """Tornado set-up: which output to measure and which inputs to swing."""

    output: str = "cum_inflow_p50"
    inputs: list[SensitivityInput] = Field(default_factory=list)


class Outputs(Labelled):
    """Comparison lines (USD) for P(U.S. recoupment >= line by year) and, as a separate output,
    P(cumulative Ukrainian inflow >= line by year): $500 bn (the rejected Feb 2025 draft) and
    $66.9 bn (past U.S. military aid). Neither is a debt the Agreement creates."""

    targets_usd: list[float] = Field(default_factory=lambda: [500e9, 66.9e9])


class ScenarioModel(Labelled):
    """A whole scenario (its own numbers, e.g. start_year, labelled like any block)."""

    name: str
    description: str = ""
    start_year: int = Field(ge=2000, le=2100)
    deposits: str = "bundled"
    terms: TermsSpec
    pipeline: Pipeline
    prices: Prices
    fiscal: Fiscal
    territory: Territory
    contributions: list[Contribution] = Field(default_factory=list)
    fund: Fund
    outputs: Outputs = Field(default_factory=Outputs)
    sensitivity: Sensitivity = Field(default_factory=Sensitivity)
