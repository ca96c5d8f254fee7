"""Vectorised fund rules over paths, year by year: threshold, NAV, priority, lock, distributions,
capital accounts, ownership shares and each partner's recoupment year."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import ChunkDraws
from jointfund.forecast.model import CompiledModel
from jointfund.forecast.streams import FloatArray

NEVER = -1


@dataclass(frozen=True, slots=True)
class ChunkOutput:
    """Per-path results for one chunk; yearly arrays are (years, n), recoupment arrays (2, n).

    inflow: Ukrainian deal inflow credited to the fund (after any threshold); raw_inflow: before.
    capital_*: contributed capital (cash, valued in kind, deal inflows, a priority's initial sum).
    share_us: U.S. ownership share; dist_*: cumulative distributions (priority payments included).
    recoup_cash / recoup_value: the year index (0 = start year) from which cumulative
    distributions (cash), or distributions plus the partner's NAV share (value), cover its
    contributed capital through the end of the horizon; -1 = not recouped within the horizon.
    Row 0 is the U.S., row 1 Ukraine.
    """

    raw_inflow: FloatArray
    inflow: FloatArray
    cum_inflow: FloatArray
    nav: FloatArray
    capital_us: FloatArray
    capital_ua: FloatArray
    share_us: FloatArray
    dist_us: FloatArray
    dist_ua: FloatArray
    recoup_cash: NDArray[np.int64]
    recoup_value: NDArray[np.int64]


def contribution_arrays(
    model: CompiledModel, draws: ChunkDraws
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(U.S. cash, U.S. in-kind at assessed value, Ukrainian cash), each (years, n)."""
    years, n = model.years, draws.n
    us_cash, us_kind, ua_cash = (np.zeros((years, n)) for _ in range(3))
    for item in model.contributions:
        if item.fixed is not None:
            amount: FloatArray = np.broadcast_to(np.asarray(item.fixed)[:, None], (years, n))
        else:
            u, z = draws.contrib[item.id]
            first, stop = model.window(item)
            amount = np.zeros((years, n))
            hit = u < item.probability
            amount[first:stop] = np.where(hit, item.median * np.exp(item.log_sd * z), 0.0)
        amount = amount * item.valuation
        target = us_kind if item.in_kind and item.partner == 0 else None
        if target is None:
            target = us_cash if item.partner == 0 else ua_cash
        target += amount
    return us_cash, us_kind, ua_cash


def run_fund(model: CompiledModel, raw: FloatArray, draws: ChunkDraws) -> ChunkOutput:
    """Apply the fund rules to receipts `raw` (years, n) for every path at once."""
    terms = model.terms
    years, n = raw.shape
    us_cash, us_kind, ua_cash = contribution_arrays(model, draws)
    mu, sigma, drag = model.fund_return
    growth = np.exp((mu - 0.5 * sigma * sigma - drag) + sigma * draws.fund)
    out = {
        k: np.empty((years, n)) for k in ("inflow", "cum", "nav", "cus", "cua", "sus", "dus", "dua")
    }
    nav, cum, aid = np.zeros(n), np.zeros(n), np.zeros(n)
    cap = [np.zeros(n), np.zeros(n)]
    dist = [np.zeros(n), np.zeros(n)]
    senior = None if terms.priority_senior is None else (0 if terms.priority_senior == "US" else 1)
    balance = np.zeros(n)
    if senior is not None:
        balance += terms.priority_initial_usd
        cap[senior] += terms.priority_initial_usd
    under_cash = np.full((2, n), -1, dtype=np.int64)
    under_value = np.full((2, n), -1, dtype=np.int64)
    distribute = terms.distribution == "pro_rata_capital"
    for t in range(years):
        income = nav * (growth[t] - 1.0)
        aid += us_kind[t]
        if terms.threshold_total_usd is not None:
            limit = terms.threshold_total_usd + (
                terms.ua_multiple * aid if terms.threshold_raised_by_us_aid else 0.0
            )
            inflow = np.minimum(raw[t], np.maximum(limit - cum, 0.0))
        else:
            inflow = raw[t]
        cum = cum + inflow
        pool = nav + income + inflow + us_cash[t] + ua_cash[t]
        cap[0] = cap[0] + us_cash[t] + us_kind[t]
        cap[1] = cap[1] + ua_cash[t] + (inflow if terms.inflow_credits_capital else 0.0)
        paid = np.zeros(n)
        if senior is not None:
            balance = balance * (1.0 + terms.priority_rate)
            paid = np.minimum(np.minimum(balance, np.maximum(income + inflow, 0.0)), pool)
            balance = balance - paid
            pool = pool - paid
            dist[senior] = dist[senior] + paid
        total_cap = cap[0] + cap[1]
        if terms.ownership == "us_all":
            share = np.ones(n)
        else:
            share = np.divide(cap[0], total_cap, out=np.full(n, 0.5), where=total_cap > 0)
        if distribute and t >= terms.lock_years:
            amount = terms.payout_fraction * np.maximum(np.maximum(income, 0.0) - paid, 0.0)
            pool = pool - amount
            dist[0] = dist[0] + amount * share
            dist[1] = dist[1] + amount * (1.0 - share)
        nav = pool
        for i, own in ((0, share), (1, 1.0 - share)):
            under_cash[i][dist[i] < cap[i]] = t
            under_value[i][dist[i] + own * nav < cap[i]] = t
        for key, value in (
            ("inflow", inflow),
            ("cum", cum),
            ("nav", nav),
            ("cus", cap[0]),
            ("cua", cap[1]),
            ("sus", share),
            ("dus", dist[0]),
            ("dua", dist[1]),
        ):
            out[key][t] = value
    recoup_cash = np.where(under_cash == years - 1, NEVER, under_cash + 1)
    recoup_value = np.where(under_value == years - 1, NEVER, under_value + 1)
    return ChunkOutput(
        raw,
        out["inflow"],
        out["cum"],
        out["nav"],
        out["cus"],
        out["cua"],
        out["sus"],
        out["dus"],
        out["dua"],
        recoup_cash,
        recoup_value,
    )


def growth_factor(model: CompiledModel, z: float) -> float:
    """One year's gross fund return for a standard-normal draw (shared with the reference)."""
    mu, sigma, drag = model.fund_return
    return math.exp((mu - 0.5 * sigma * sigma - drag) + sigma * z)
