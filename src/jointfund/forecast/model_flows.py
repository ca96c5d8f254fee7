"""The compiled model's money flows besides receipts: contribution streams (scheduled or
random, net of what the books already received in year 0) and the FX path's starting rate."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from jointfund.forecast.scenario_schema import ScenarioModel
from jointfund.forecast.start import StartPoint

__all__ = ["ContributionItem", "contributions_of", "fx_start"]


@dataclass(frozen=True, slots=True)
class ContributionItem:
    """A contribution stream; partner 0 = US, 1 = UA; fixed amounts per year or random."""

    id: str
    partner: int
    in_kind: bool
    fixed: tuple[float, ...] | None
    first: int
    last: int
    probability: float
    median: float
    log_sd: float
    valuation: float


def fx_start(s0: float, drift: float, shift: int, begin: StartPoint | None) -> float:
    """UAH per USD in year 0: the books' rate on the as-of day when they have one, else the
    scenario's rate carried forward by its drift to the first simulated year."""
    if begin is not None and begin.uah_per_usd is not None:
        return begin.uah_per_usd
    return s0 * math.exp(drift * shift) if shift else s0


def contributions_of(
    m: ScenarioModel, start: int, years: int, begin: StartPoint | None
) -> tuple[ContributionItem, ...]:
    """Every contribution stream; from the books, year 0's scheduled amounts count only beyond
    what the books already received that year from the same partner in the same kind."""
    booked = dict(begin.year_contributed) if begin is not None else {}
    out = []
    for c in m.contributions:
        item = _contribution(c, start, years)
        key = f"{c.partner}:{c.kind}"
        if item.fixed is not None and item.fixed[0] and booked.get(key):
            taken = min(item.fixed[0], booked[key])
            booked[key] -= taken
            item = replace(item, fixed=(item.fixed[0] - taken, *item.fixed[1:]))
        out.append(item)
    return tuple(out)


def _contribution(c: object, start: int, years: int) -> ContributionItem:
    from jointfund.forecast.scenario_schema import Contribution

    assert isinstance(c, Contribution)
    fixed = None
    first = last = 0
    prob = median = log_sd = 0.0
    if c.schedule is not None:
        row = [0.0] * years
        for year, amount in c.schedule.items():
            if 0 <= year - start < years:
                row[year - start] += amount
        fixed = tuple(row)
    elif c.random is not None:
        r = c.random
        first, last = r.start_year - start, r.end_year - start
        prob, median, log_sd = r.probability, r.median_usd, r.log_sd
    return ContributionItem(
        id=c.id,
        partner=0 if c.partner == "US" else 1,
        in_kind=c.kind == "in_kind",
        fixed=fixed,
        first=first,
        last=last,
        probability=prob,
        median=median,
        log_sd=log_sd,
        valuation=c.valuation_factor if c.kind == "in_kind" else 1.0,
    )
