"""A scenario compiled into flat numbers and small records that the engine and reference share."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from jointfund.forecast.fundrules import ForecastTerms
from jointfund.forecast.model_flows import ContributionItem, contributions_of, fx_start
from jointfund.forecast.regions import region_correlation, region_of
from jointfund.forecast.scenario import Scenario, correlation_matrix
from jointfund.forecast.scenario_schema import PipelineClass, ScenarioModel
from jointfund.forecast.start import StartPoint, not_before_start
from jointfund.forecast.uncertainty import ParamSampler, sampler
from jointfund.forecast.validation import LABEL_FIELDS

STATES = ("controlled", "frontline", "occupied")
GBM, OU, SCHWARTZ_SMITH = 0, 1, 2
_MODEL_CODES = {"gbm": GBM, "ou": OU, "schwartz_smith": SCHWARTZ_SMITH}


@dataclass(frozen=True, slots=True)
class PriceParams:
    """One commodity's price model on log price (theta = log of the OU long-run median)."""

    name: str
    model: int
    s0: float
    mu: float
    sigma: float
    kappa: float
    theta: float
    sigma_chi: float
    rho: float
    chi0: float

    @property
    def factors(self) -> int:
        """Number of independent normal shocks per year."""
        return 2 if self.model == SCHWARTZ_SMITH else 1


@dataclass(frozen=True, slots=True)
class Schedule:
    """A royalty schedule: tier upper bounds (last is inf), rates and marginal parts."""

    bounds: tuple[float, ...]
    rates: tuple[float, ...]
    marginal_above: tuple[float, ...]
    marginal_rates: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Take:
    """The per-unit state receipt that counts for the fund: commodity, schedule, PSA or permit."""

    commodity: int
    schedule: int
    psa: bool


@dataclass(frozen=True, slots=True)
class NewComponent:
    """A new-licence component: pipeline parameters (years as offsets from start_year)."""

    deposit_id: str
    unit: int
    take: int
    psa: bool
    capacity: float
    life: int
    p_licence: float
    licence_year: tuple[float, float, float]
    dev_years: tuple[float, float, float]
    ramp: int
    p_fail: float
    capacity_log_sd: float
    fee_uah: float
    bonus_usd: float
    share: float
    issued: bool = False  # licensed in the books before the as-of day: its fee and bonus are paid
    lic_u_floor: float = 0.0  # the licence-year uniform starts here (years before the start cut)


@dataclass(frozen=True, slots=True)
class ExistingComponent:
    """Output under an old permit: deterministic volume from `first` (year offset) for `life`."""

    unit: int
    take: int
    output: float
    first: int
    life: int
    share: float


@dataclass(frozen=True, slots=True)
class TerritoryUnit:
    """A deposit's control path: initial state and cumulative transition thresholds per state;
    with regions, the region whose correlated normal shocks drive it (-1: its own uniforms)
    and the same thresholds on the normal scale (zcut = inverse normal CDF of cum)."""

    deposit_id: str
    initial: int
    cum: tuple[tuple[float, float], ...]
    region: int = -1
    zcut: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledModel:
    """Everything one simulation needs, independent of the number of paths."""

    start_year: int
    years: int
    prices: tuple[PriceParams, ...]
    chol: tuple[tuple[float, ...], ...]
    schedules: tuple[Schedule, ...]
    takes: tuple[Take, ...]
    new: tuple[NewComponent, ...]
    existing: tuple[ExistingComponent, ...]
    units: tuple[TerritoryUnit, ...]
    output_factor: tuple[float, float, float]
    psa_royalty: tuple[float, ...]  # per commodity (sorted order)
    psa_profit_take: float
    count_royalty: bool
    count_fee: bool
    count_bonus: bool
    fx: tuple[float, float, float, float]
    contributions: tuple[ContributionItem, ...]
    fund_return: tuple[float, float, float]
    terms: ForecastTerms
    regions: tuple[str, ...] = ()
    region_chol: tuple[tuple[float, ...], ...] = ()
    uncertainty: tuple[ParamSampler | None, ...] = ()  # per commodity: parameters drawn per path
    start: StartPoint | None = None  # the books' state on an as-of day (None: from zero)
    origin_year: int = 0  # the scenario's own start year, from which the lock is counted

    @property
    def lock_index(self) -> int:
        """The first year index in which the lock no longer holds."""
        return self.terms.lock_years - (self.start_year - (self.origin_year or self.start_year))

    @property
    def first_share(self) -> float:
        """The share of year 0 the engine simulates (the rest is already in the books)."""
        return 1.0 if self.start is None else 1.0 - self.start.elapsed

    @property
    def priced(self) -> frozenset[int]:
        """Commodities whose price paths some eligible component needs."""
        return frozenset(t.commodity for t in self.takes)

    @property
    def uncertain(self) -> frozenset[int]:
        """Priced commodities whose parameters each path draws (parameter uncertainty)."""
        return frozenset(c for c, s in enumerate(self.uncertainty) if s is not None) & self.priced

    @property
    def drawn(self) -> frozenset[int]:
        """Commodities whose shocks must be drawn: the priced ones and those they correlate with."""
        return frozenset(
            k for c in self.priced for k, w in enumerate(self.chol[c][: c + 1]) if w != 0.0
        )

    def unit_years(self, unit: int) -> int:
        """How many leading years of a unit's control path some component reads: all of them
        for a new licence, up to the end of its output for an old permit (at least 1)."""
        if any(c.unit == unit for c in self.new):
            return self.years
        ends = [min(e.first + e.life, self.years) for e in self.existing if e.unit == unit]
        return max([1, *ends])

    def window(self, item: ContributionItem) -> tuple[int, int]:
        """Year-index range [first, stop) in which a random contribution can occur."""
        first = min(max(item.first, 0), self.years)
        return first, max(first, min(item.last + 1, self.years))


def _pipeline(model: ScenarioModel, dep_id: str, stage: str) -> PipelineClass:
    base = model.pipeline.classes[stage]  # type: ignore[index]
    over = model.pipeline.overrides.get(dep_id)
    if over is None:
        return base
    stated = over.model_dump(exclude_unset=True, exclude=set(LABEL_FIELDS))
    return base.model_copy(update={k: getattr(over, k) for k in stated})


def _schedule(model: ScenarioModel, key: str) -> Schedule:
    tiers = model.fiscal.royalty[key].tiers
    inf = math.inf
    return Schedule(
        tuple(inf if t.max_price is None else t.max_price for t in tiers),
        tuple(t.rate for t in tiers),
        tuple(inf if t.marginal_above is None else t.marginal_above for t in tiers),
        tuple(t.marginal_rate for t in tiers),
    )


def _transition_thresholds(rows: list[list[float]]) -> tuple[tuple[float, float], ...]:
    return tuple((r[0], r[0] + r[1]) for r in rows)


@functools.lru_cache(maxsize=1024)  # the same few thresholds, for every deposit and variant
def _normal_cut(c: float) -> float:
    """u >= c exactly when z >= this, for u = Phi(z)."""
    if c <= 0.0:
        return -math.inf
    if c >= 1.0:
        return math.inf
    return NormalDist().inv_cdf(c)


def compile_model(scenario: Scenario, years: int, begin: StartPoint | None = None) -> CompiledModel:
    """Turn a validated scenario into the engine's flat inputs for a horizon of `years`; with
    `begin`, the paths start from the books' state in its first year (see forecast.start)."""
    m, terms = scenario.model, scenario.terms
    start = m.start_year if begin is None else begin.first_year
    names = sorted(m.prices.commodities)
    cindex = {n: i for i, n in enumerate(names)}
    prices = tuple(_price(n, m) for n in names)
    corr = correlation_matrix(m)
    assert corr is not None
    chol = tuple(tuple(float(v) for v in row) for row in np.linalg.cholesky(corr))
    net = 1.0 - m.fiscal.net_cost_fraction.value if terms.basis == "net" else 1.0
    schedules: list[Schedule] = []
    sched_index: dict[str, int] = {}
    takes: list[Take] = []
    take_index: dict[tuple[int, int, bool], int] = {}

    def take_for(commodity: str, schedule: str | None, psa: bool) -> int:
        key = schedule or commodity
        if key not in sched_index:
            sched_index[key] = len(schedules)
            schedules.append(_schedule(m, key))
        t = (cindex[commodity], sched_index[key], psa)
        if t not in take_index:
            take_index[t] = len(takes)
            takes.append(Take(*t))
        return take_index[t]

    units: list[TerritoryUnit] = []
    region_names = tuple(sorted(m.territory.regions))
    new: list[NewComponent] = []
    existing: list[ExistingComponent] = []
    delays = m.pipeline.capex_delay_years
    for dep in scenario.deposits:
        if not terms.covers(dep.commodity):
            continue
        keep_existing = dep.existing is not None and not terms.new_only
        if dep.new is None and not keep_existing:
            continue
        over = m.territory.overrides.get(dep.id)
        status = over.status if over and over.status else dep.control_status
        region = region_of(m, dep.oblast) if region_names else None
        trans = m.territory.transitions
        own = None if region is None else m.territory.regions[region].transitions
        if own is not None:
            trans = own
        if over and over.transitions:
            trans = over.transitions
        unit = len(units)
        rows = [trans.controlled, trans.frontline, trans.occupied]
        cum = _transition_thresholds(rows)
        units.append(
            TerritoryUnit(
                dep.id,
                STATES.index(status),
                cum,
                -1 if region is None else region_names.index(region),
                tuple((_normal_cut(a), _normal_cut(b)) for a, b in cum) if region else (),
            )
        )
        share = terms.fund_share
        if terms.liberated_share is not None and dep.control_status == "occupied":
            share = terms.liberated_share
        share *= net
        psa = dep.instrument == "psa"
        if dep.new is not None:
            p = _pipeline(m, dep.id, dep.new.stage)
            delay = float(getattr(delays, dep.capex_class))
            ly, dv = p.licence_year, p.dev_years
            lic_year = (ly.min - start, ly.mode - start, ly.max - start)
            p_licence, floor, issued = p.p_licence, 0.0, False
            if begin is not None and dep.id in begin.issued:
                k = float(begin.issued[dep.id])
                p_licence, lic_year, issued = 1.0, (k, k, k), True
            elif begin is not None:
                p_licence, floor = not_before_start(p_licence, lic_year)
            new.append(
                NewComponent(
                    deposit_id=dep.id,
                    unit=unit,
                    take=take_for(dep.commodity, dep.new.royalty_schedule, psa),
                    psa=psa,
                    capacity=dep.new.capacity,
                    life=dep.new.life_years,
                    p_licence=p_licence,
                    licence_year=lic_year,
                    dev_years=(dv.min + delay, dv.mode + delay, dv.max + delay),
                    ramp=p.ramp_years,
                    p_fail=p.p_fail,
                    capacity_log_sd=p.capacity_log_sd,
                    fee_uah=dep.new.permit_fee_uah,
                    bonus_usd=dep.new.bonus_usd if psa else 0.0,
                    share=share,
                    issued=issued,
                    lic_u_floor=floor,
                )
            )
        if keep_existing and dep.existing is not None:
            ex = dep.existing
            existing.append(
                ExistingComponent(
                    unit=unit,
                    take=take_for(dep.commodity, ex.royalty_schedule, psa),
                    output=ex.output,
                    first=ex.from_year - start,
                    life=ex.life_years,
                    share=share,
                )
            )
    streams = terms.streams
    psa_cfg = m.fiscal.psa
    of = m.territory.output_factor
    fx = m.fiscal.fx
    ret = m.fund.investment_return
    return CompiledModel(
        start_year=start,
        years=years,
        prices=prices,
        chol=chol,
        schedules=tuple(schedules),
        takes=tuple(takes),
        new=tuple(new),
        existing=tuple(existing),
        units=tuple(units),
        output_factor=(of.controlled, of.frontline, of.occupied),
        psa_royalty=tuple(
            psa_cfg.royalty_rate_by_commodity.get(n, psa_cfg.royalty_rate)
            if "royalty" in streams
            else 0.0
            for n in names
        ),
        psa_profit_take=(
            psa_cfg.state_share * psa_cfg.profit_margin if "psa_state_share" in streams else 0.0
        ),
        count_royalty="royalty" in streams,
        count_fee="permit_fee" in streams,
        count_bonus="bonus" in streams,
        fx=(fx_start(fx.s0, fx.drift, start - m.start_year, begin), fx.drift, fx.kappa, fx.sigma),
        contributions=contributions_of(m, start, years, begin),
        fund_return=(ret.mu, ret.sigma, ret.war_drag),
        terms=terms,
        regions=region_names,
        region_chol=tuple(
            tuple(float(v) for v in row) for row in np.linalg.cholesky(region_correlation(m))
        )
        if region_names
        else (),
        uncertainty=tuple(sampler(m, n) for n in names),
        start=begin,
        origin_year=m.start_year,
    )


def _price(name: str, m: ScenarioModel) -> PriceParams:
    p = m.prices.commodities[name]
    return PriceParams(
        name=name,
        model=_MODEL_CODES[p.model],
        s0=p.s0,
        mu=p.mu,
        sigma=p.sigma,
        kappa=p.kappa or 0.0,
        theta=math.log(p.long_run) if p.long_run else 0.0,
        sigma_chi=p.sigma_chi or 0.0,
        rho=p.rho,
        chi0=p.chi0,
    )
