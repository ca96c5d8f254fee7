"""Vectorised fund rules over paths, year by year: threshold, NAV, priority, lock, distributions,
capital accounts, ownership shares and each partner's recoupment year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jointfund.forecast.draws import Draws
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

    def paths(self, start: int, stop: int) -> ChunkOutput:
        """The results of paths [start, stop) of this chunk (views, not copies)."""
        return ChunkOutput(*(getattr(self, f)[..., start:stop] for f in self.__dataclass_fields__))


Year = float | FloatArray  # one year's amount: a plain number when no path differs


def fund_inputs(model: CompiledModel) -> tuple[object, ...]:
    """Everything of the model the fund rules read (run_fund): models equal in these give the
    same results on the same receipts and draws, so their paths can run through it together."""
    return (
        model.terms,
        model.fund_return,
        model.contributions,
        model.start,
        model.lock_index,
        model.years,
    )


def contribution_rows(
    model: CompiledModel, draws: Draws
) -> tuple[list[Year], list[Year], list[Year]]:
    """Per year: U.S. cash, U.S. in kind at assessed value, Ukrainian cash; a float where every
    path has the same amount (fixed schedules), an (n,) array where a random item can occur."""
    rows: tuple[list[Year], list[Year], list[Year]] = tuple(  # type: ignore[assignment]
        [0.0] * model.years for _ in range(3)
    )
    for item in model.contributions:
        row = rows[1] if item.in_kind and item.partner == 0 else rows[0 if item.partner == 0 else 2]
        if item.fixed is not None:
            for t, value in enumerate(item.fixed):
                if value != 0.0:
                    row[t] = row[t] + value * item.valuation
            continue
        u, z = draws.contrib[item.id]
        first, stop = model.window(item)
        hit = u.astype(np.float64) < item.probability
        amount = np.where(hit, item.median * np.exp(item.log_sd * z.astype(np.float64)), 0.0)
        amount *= item.valuation
        for k, t in enumerate(range(first, stop)):
            row[t] = row[t] + amount[k]
    return rows


def _plus(a: Year, b: Year) -> Year:
    """a + b, skipping an exact-zero plain number (x + 0.0 == x)."""
    if isinstance(b, float) and b == 0.0:
        return a
    if isinstance(a, float) and a == 0.0:
        return b
    return a + b


def last_true(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per column of a (years, n) mask: 1 + the last year that is True (0 if none)."""
    years = mask.shape[0]
    ranks = np.arange(1, years + 1, dtype=np.uint8 if years < 256 else np.uint16)[:, None]
    out: NDArray[np.int64] = (mask * ranks).max(axis=0).astype(np.int64)
    return out


def _recoup(under: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Recoupment year per partner from its (years, n) "still below capital" masks."""
    years = under.shape[1]
    after = np.stack([last_true(m) for m in under])
    out: NDArray[np.int64] = np.where(after == years, NEVER, after)
    return out


def _below(
    out: NDArray[np.bool_],
    dist: tuple[FloatArray, FloatArray],
    cap: tuple[FloatArray, FloatArray],
    share: FloatArray,
    nav: FloatArray,
    tmp: FloatArray,
) -> None:
    """One year's masks: U.S., UA below capital in cash; U.S., UA below it in value."""
    np.less(dist[0], cap[0], out=out[0])
    np.less(dist[1], cap[1], out=out[1])
    np.multiply(share, nav, out=tmp)
    tmp += dist[0]
    np.less(tmp, cap[0], out=out[2])
    np.subtract(1.0, share, out=tmp)
    tmp *= nav
    tmp += dist[1]
    np.less(tmp, cap[1], out=out[3])


def run_fund(
    model: CompiledModel, raw: FloatArray, draws: Draws, credited: FloatArray | None = None
) -> ChunkOutput:
    """Apply the fund rules to receipts `raw` (years, n) for every path at once; `credited`:
    what the contribution cycle's transfers bring in each year (None: the receipts themselves).
    With a start point the paths begin from the books' NAV, capital and distributions.

    Each year writes straight into the output rows; the previous row is the running state. The
    operations and their order are the reference's, minus additions of an exact 0.0.
    """
    terms = model.terms
    years, n = raw.shape
    us_cash, us_kind, ua_cash = contribution_rows(model, draws)
    mu, sigma, drag = model.fund_return
    gain = np.multiply(draws.fund, sigma, dtype=np.float64)  # growth - 1, as the reference
    gain += mu - 0.5 * sigma * sigma - drag
    np.exp(gain, out=gain)
    gain -= 1.0
    threshold = terms.threshold_total_usd
    arrived = raw if credited is None else credited
    inflow_out = arrived if threshold is None else np.empty((years, n))
    cum, nav, cus, cua = (np.empty((years, n)) for _ in range(4))
    sus = np.ones((years, n)) if terms.ownership == "us_all" else np.empty((years, n))
    dus, dua = np.zeros((years, n)), np.zeros((years, n))  # rows stay zero until a payment
    zero = np.zeros(n)
    nav_p, cum_p, cap_p, dist_p = zero, zero, [zero, zero], [zero, zero]
    if model.start is not None:
        begin = model.start
        nav_p = np.full(n, begin.nav)
        cap_p = [np.full(n, begin.capital[0]), np.full(n, begin.capital[1])]
        dist_p = [np.full(n, v) if v else zero for v in begin.distributed]
    senior = None if terms.priority_senior is None else (0 if terms.priority_senior == "US" else 1)
    balance = np.zeros(n)
    if senior is not None:
        balance += terms.priority_initial_usd
        cap_p[senior] = cap_p[senior] + terms.priority_initial_usd
    payout = terms.payout_fraction if terms.distribution == "pro_rata_capital" else 0.0
    carried = np.zeros(n) if terms.payout_rule == "net_of_losses" else None
    aid: Year = 0.0
    lock = model.lock_index
    income, total = np.empty(n), np.empty(n)
    under = np.empty((4, years, n), dtype=np.bool_)  # below capital: cash US, UA; value US, UA
    for t in range(years):
        np.multiply(nav_p, gain[t], out=income)
        inflow = inflow_out[t]
        if threshold is not None:
            aid = _plus(aid, us_kind[t])
            limit = threshold + (
                terms.ua_multiple * aid if terms.threshold_raised_by_us_aid else 0.0
            )
            np.minimum(arrived[t], np.maximum(limit - cum_p, 0.0), out=inflow)
        np.add(cum_p, inflow, out=cum[t])
        pool = nav[t]
        np.add(nav_p, income, out=pool)
        pool += inflow
        for extra in (us_cash[t], ua_cash[t]):
            if not (isinstance(extra, float) and extra == 0.0):
                pool += extra
        np.add(cap_p[0], _plus(us_cash[t], us_kind[t]), out=cus[t])
        credit = _plus(ua_cash[t], inflow) if terms.inflow_credits_capital else ua_cash[t]
        np.add(cap_p[1], credit, out=cua[t])
        dist: list[FloatArray] = list(dist_p)
        written = [False, False]  # row t of dus / dua already holds this year's value
        paid: Year = 0.0
        if senior is not None:
            balance *= 1.0 + terms.priority_rate
            paid = np.minimum(np.minimum(balance, np.maximum(income + inflow, 0.0)), pool)
            balance -= paid
            pool -= paid
            dist[senior] = np.add(dist[senior], paid, out=(dus, dua)[senior][t])
            written[senior] = True
        share = sus[t]
        if terms.ownership != "us_all":
            np.add(cus[t], cua[t], out=total)
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(cus[t], total, out=share)
            if total.min() <= 0.0:
                share[total <= 0.0] = 0.5
        if payout != 0.0 and t >= lock:
            if carried is None:
                amount = np.maximum(income, 0.0)
            else:  # net of the losses carried forward since the lock
                amount = income - carried
                np.subtract(carried, income, out=carried)
                np.maximum(carried, 0.0, out=carried)
                np.maximum(amount, 0.0, out=amount)
            if senior is not None:
                amount = np.maximum(amount - paid, 0.0)
            if payout != 1.0:
                amount *= payout
            pool -= amount
            np.multiply(amount, share, out=total)
            dist[0] = np.add(dist[0], total, out=dus[t])
            np.subtract(1.0, share, out=total)
            total *= amount
            dist[1] = np.add(dist[1], total, out=dua[t])
            written = [True, True]
        for k, rows in enumerate((dus, dua)):
            if not written[k] and dist[k] is not zero:
                rows[t] = dist[k]  # unchanged this year, but not zero: carry it
        _below(under[:, t], (dus[t], dua[t]), (cus[t], cua[t]), share, pool, total)
        nav_p, cum_p, cap_p, dist_p = pool, cum[t], [cus[t], cua[t]], [dus[t], dua[t]]
        if dist[0] is zero:
            dist_p[0] = zero
        if dist[1] is zero:
            dist_p[1] = zero
    return ChunkOutput(
        raw,
        inflow_out,
        cum,
        nav,
        cus,
        cua,
        sus,
        dus,
        dua,
        _recoup(under[:2]),
        _recoup(under[2:]),
    )
