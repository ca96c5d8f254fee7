"""A plain per-path, pure-Python implementation of the whole forecast: the engine's oracle.

It consumes the very same draws as the vectorised engine but shares none of its array code,
so agreement to 1e-9 checks prices, timelines, territory, receipts and fund rules together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from jointfund.forecast.draws import ChunkDraws
from jointfund.forecast.model import GBM, OU, CompiledModel, Schedule


@dataclass(frozen=True, slots=True)
class PathOutput:
    """One path's yearly series (lists over years) and recoupment years (US, UA)."""

    raw_inflow: list[float]
    inflow: list[float]
    cum_inflow: list[float]
    nav: list[float]
    capital_us: list[float]
    capital_ua: list[float]
    share_us: list[float]
    dist_us: list[float]
    dist_ua: list[float]
    recoup_cash: tuple[int, int]
    recoup_value: tuple[int, int]


def _tri(u: float, a: float, c: float, b: float) -> float:
    if b == a:
        return a
    if u < (c - a) / (b - a):
        return a + math.sqrt(u * (b - a) * (c - a))
    return b - math.sqrt((1.0 - u) * (b - a) * (b - c))


def _royalty(s: Schedule, p: float) -> float:
    i = next(k for k, bound in enumerate(s.bounds) if p <= bound or k == len(s.bounds) - 1)
    above = s.marginal_above[i]
    if math.isinf(above):
        return s.rates[i] * p
    return s.rates[i] * min(p, above) + s.marginal_rates[i] * max(p - above, 0.0)


def _prices(model: CompiledModel, d: ChunkDraws, i: int) -> list[list[float]]:
    years = model.years
    out: list[list[float]] = []
    for c, p in enumerate(model.prices):
        if c not in model.priced:
            out.append([])
            continue
        s = model.uncertainty[c] if c in model.uncertain else None
        if s is not None:  # this path's own parameters
            v = s.sample_one([float(z) for z in d.params[c][:, i]])
            p = replace(
                p,
                mu=v.get("mu", p.mu),
                sigma=v.get("sigma", p.sigma),
                kappa=v.get("kappa", p.kappa),
                theta=v.get("theta", p.theta),
                sigma_chi=v.get("sigma_chi", p.sigma_chi),
            )
        weights = [(k, w) for k, w in enumerate(model.chol[c][: c + 1]) if w != 0.0]
        z0 = [sum(w * float(d.price[k][t, 0, i]) for k, w in weights) for t in range(years)]
        x = [math.log(p.s0)]
        if p.model == GBM:
            for t in range(1, years):
                x.append(x[-1] + (p.mu - 0.5 * p.sigma**2) + p.sigma * z0[t])
        elif p.model == OU:
            decay = math.exp(-p.kappa)
            sd = p.sigma * math.sqrt((1 - math.exp(-2 * p.kappa)) / (2 * p.kappa))
            for t in range(1, years):
                x.append(x[-1] * decay + p.theta * (1 - decay) + sd * z0[t])
        else:
            decay = math.exp(-p.kappa)
            sd_chi = p.sigma_chi * math.sqrt((1 - math.exp(-2 * p.kappa)) / (2 * p.kappa))
            cov = p.rho * p.sigma_chi * p.sigma * (1 - math.exp(-p.kappa)) / p.kappa
            r = 0.0 if sd_chi == 0 or p.sigma == 0 else cov / (sd_chi * p.sigma)
            chi, xi = p.chi0, math.log(p.s0) - p.chi0
            for t in range(1, years):
                z1 = float(d.price[c][t, 1, i])
                chi = chi * decay + sd_chi * (r * z0[t] + math.sqrt(1 - r * r) * z1)
                xi = xi + p.mu + p.sigma * z0[t]
                x.append(chi + xi)
        out.append([math.exp(v) for v in x])
    return out


def _fx(model: CompiledModel, d: ChunkDraws, i: int) -> list[float]:
    s0, drift, kappa, sigma = model.fx
    decay = math.exp(-kappa)
    sd = sigma * math.sqrt((1 - math.exp(-2 * kappa)) / (2 * kappa))
    dev, out = 0.0, []
    for t in range(model.years):
        if t > 0:
            dev = dev * decay + sd * float(d.fx[t, i])
        out.append(math.exp(math.log(s0) + drift * t + dev))
    return out


def _states(model: CompiledModel, d: ChunkDraws, i: int) -> list[list[int]]:
    if model.regions:
        return _region_states(model, d, i)
    out = []
    for unit, u in zip(model.units, d.territory, strict=True):
        states = [unit.initial]
        for t in range(1, model.years):
            c0, c1 = unit.cum[states[-1]]
            ut = float(u[t, i])
            states.append(int(ut >= c0) + int(ut >= c1))
        out.append(states)
    return out


def _region_states(model: CompiledModel, d: ChunkDraws, i: int) -> list[list[int]]:
    """Regions: each unit follows its region's correlated normal against normal-scale cuts."""
    shock = [
        [
            sum(
                (w * float(d.regions[k][t, i]) for k, w in enumerate(row) if w != 0.0),
                start=0.0,
            )
            for t in range(model.years)
        ]
        for row in model.region_chol
    ]
    out = []
    for unit in model.units:
        states = [unit.initial]
        for t in range(1, model.years):
            c0, c1 = unit.zcut[states[-1]]
            z = shock[unit.region][t]
            states.append(int(z >= c0) + int(z >= c1))
        out.append(states)
    return out


def _receipts(model: CompiledModel, d: ChunkDraws, i: int, bonus_row: list[float]) -> list[float]:
    """Receipts per year at the receipt year's rate; `bonus_row` gets the dollar bonuses."""
    years = model.years
    prices, fx, states = _prices(model, d, i), _fx(model, d, i), _states(model, d, i)

    def take(k: int, t: int) -> float:
        tk = model.takes[k]
        p = prices[tk.commodity][t]
        if tk.psa:
            return (model.psa_royalty[tk.commodity] + model.psa_profit_take) * p
        return _royalty(model.schedules[tk.schedule], p) if model.count_royalty else 0.0

    total = [0.0] * years
    for j, comp in enumerate(model.new):
        u = [float(d.new_u[j][k, i]) for k in range(4)]
        z = float(d.new_z[j][0, i])
        licensed = u[0] < comp.p_licence
        u_lic = comp.lic_u_floor + u[1] * (1.0 - comp.lic_u_floor)
        lic = math.floor(_tri(u_lic, *comp.licence_year) + 0.5)  # nearest year
        while licensed and 0 <= lic < years and states[comp.unit][lic] == 2:
            lic += 1  # no licence while occupied: the first year it is not
        dev = math.floor(_tri(u[3], *comp.dev_years) + 0.5)
        start = lic + dev if licensed and not u[2] < comp.p_fail else years
        start = min(max(start, -years), years)
        sd = comp.capacity_log_sd
        scale = comp.capacity * comp.share * math.exp(sd * z - 0.5 * sd * sd)
        inv = 1.0 / comp.ramp if comp.ramp > 0 else 1.0
        st = states[comp.unit]
        for t in range(years):
            k = t - start
            frac = min(max((k + 1) * inv, 0.0), 1.0) if k < comp.life else 0.0
            factor = model.output_factor[st[t]]
            total[t] += frac * take(comp.take, t) * factor * scale
        fee = comp.fee_uah if model.count_fee else 0.0
        bonus = comp.bonus_usd if model.count_bonus else 0.0
        if (fee or bonus) and licensed and 0 <= lic < years and st[lic] != 2 and not comp.issued:
            total[lic] += (fee / fx[lic] + bonus) * comp.share
            bonus_row[lic] += bonus * comp.share
    for ex in model.existing:
        for t in range(years):
            if 0 <= t - ex.first < ex.life:
                factor = model.output_factor[states[ex.unit][t]]
                total[t] += ex.output * ex.share * take(ex.take, t) * factor
    if model.start is not None:
        total[0] *= 1.0 - model.start.elapsed
    return total


def _credited(
    model: CompiledModel, raw: list[float], bonus: list[float], fx: list[float]
) -> list[float]:
    """The cycle: receipts of year t arrive in t + lag at that year's rate (bonuses in dollars),
    plus the books' untransferred accruals."""
    years, lag = model.years, model.terms.transfer_lag_years
    out = [0.0] * years
    for t in range(years - lag):
        amount = raw[t]
        if lag and model.terms.fx_at_transfer:
            amount = (raw[t] - bonus[t]) * fx[t] / fx[t + lag] + bonus[t]
        out[t + lag] += amount
    if model.start is not None:
        for k, v in enumerate(model.start.arrivals_uah[:years]):
            out[k] += v / fx[k] if v else 0.0
        for k, v in enumerate(model.start.arrivals_usd[:years]):
            out[k] += v
    return out


def _contributions(model: CompiledModel, d: ChunkDraws, i: int) -> list[list[float]]:
    rows = [[0.0] * model.years for _ in range(3)]  # US cash, US in kind, UA cash
    for item in model.contributions:
        for t in range(model.years):
            if item.fixed is not None:
                amount = item.fixed[t]
            else:
                u, z = d.contrib[item.id]
                first, stop = model.window(item)
                hit = first <= t < stop and float(u[t - first, i]) < item.probability
                amount = (
                    item.median * math.exp(item.log_sd * float(z[t - first, i])) if hit else 0.0
                )
            row = 1 if item.in_kind and item.partner == 0 else (0 if item.partner == 0 else 2)
            rows[row][t] += amount * item.valuation
    return rows


def reference_path(model: CompiledModel, d: ChunkDraws, i: int) -> PathOutput:
    """Simulate path i of the chunk one year at a time with plain floats."""
    terms, years = model.terms, model.years
    bonus = [0.0] * years
    raw = _receipts(model, d, i, bonus)
    arrived = _credited(model, raw, bonus, _fx(model, d, i))
    us_cash, us_kind, ua_cash = _contributions(model, d, i)
    mu, sigma, drag = model.fund_return
    nav = cum = aid = balance = 0.0
    cap, dist = [0.0, 0.0], [0.0, 0.0]
    if model.start is not None:
        nav = model.start.nav
        cap, dist = list(model.start.capital), list(model.start.distributed)
    senior = None if terms.priority_senior is None else (0 if terms.priority_senior == "US" else 1)
    if senior is not None:
        balance = terms.priority_initial_usd
        cap[senior] += balance
    series: dict[str, list[float]] = {
        k: [] for k in ("inf", "cum", "nav", "cus", "cua", "sus", "dus", "dua")
    }
    under_cash, under_value = [-1, -1], [-1, -1]
    carried = 0.0  # losses since the lock not yet made good (payout_rule net_of_losses)
    for t in range(years):
        growth = math.exp((mu - 0.5 * sigma * sigma - drag) + sigma * float(d.fund[t, i]))
        income = nav * (growth - 1.0)
        aid += us_kind[t]
        inflow = arrived[t]
        if terms.threshold_total_usd is not None:
            limit = terms.threshold_total_usd
            if terms.threshold_raised_by_us_aid:
                limit += terms.ua_multiple * aid
            inflow = min(arrived[t], max(limit - cum, 0.0))
        cum += inflow
        pool = nav + income + inflow + us_cash[t] + ua_cash[t]
        cap[0] += us_cash[t] + us_kind[t]
        cap[1] += ua_cash[t] + (inflow if terms.inflow_credits_capital else 0.0)
        paid = 0.0
        if senior is not None:
            balance *= 1.0 + terms.priority_rate
            paid = min(balance, max(income + inflow, 0.0), pool)
            balance -= paid
            pool -= paid
            dist[senior] += paid
        total = cap[0] + cap[1]
        share = 1.0 if terms.ownership == "us_all" else (cap[0] / total if total > 0 else 0.5)
        if terms.distribution == "pro_rata_capital" and t >= model.lock_index:
            base = income
            if terms.payout_rule == "net_of_losses":
                base = income - carried
                carried = max(carried - income, 0.0)
            amount = terms.payout_fraction * max(max(base, 0.0) - paid, 0.0)
            pool -= amount
            dist[0] += amount * share
            dist[1] += amount * (1.0 - share)
        nav = pool
        for k, own in ((0, share), (1, 1.0 - share)):
            if dist[k] < cap[k]:
                under_cash[k] = t
            if dist[k] + own * nav < cap[k]:
                under_value[k] = t
        for key, value in (
            ("inf", inflow),
            ("cum", cum),
            ("nav", nav),
            ("cus", cap[0]),
            ("cua", cap[1]),
            ("sus", share),
            ("dus", dist[0]),
            ("dua", dist[1]),
        ):
            series[key].append(value)

    def settle(last: int) -> int:
        return -1 if last == years - 1 else last + 1

    return PathOutput(
        raw,
        series["inf"],
        series["cum"],
        series["nav"],
        series["cus"],
        series["cua"],
        series["sus"],
        series["dus"],
        series["dua"],
        (settle(under_cash[0]), settle(under_cash[1])),
        (settle(under_value[0]), settle(under_value[1])),
    )
