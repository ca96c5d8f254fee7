"""What the forecast reads from the books: the state on an as-of day, and what was recorded
year by year after it (for a backtest). Reads only; insiders with `metrics.read`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jointfund.forecast.backtest import Backtest, run_backtest
from jointfund.forecast.scenario import Scenario
from jointfund.forecast.start import BooksState, StartPoint, start_point
from jointfund.fund.booking import licence_facts
from jointfund.fund.position import position_in
from jointfund.fund.setup import terms_in_force
from jointfund.governance import User, require
from jointfund.ledger import chart
from jointfund.money import MissingRateError
from jointfund.store import Database, Tx
from jointfund.store.contributions import list_contributions
from jointfund.store.fx_rates import rates_in_force
from jointfund.store.licences import licences_by_id
from jointfund.store.transfers import AccrualRow, accrual_sums, accruals, transfers
from jointfund.terms import TermSheet, is_new_licence


@dataclass(frozen=True, slots=True)
class BookedYear:
    """One calendar year as the books recorded it, in U.S.-dollar cents.

    receipts: the fund's share of eligible receipts paid in the year (accrued or credited at
    once), at each receipt day's rate; inflow: Ukrainian inflows credited to capital in the year
    (transfers, at the transfer day's rate); nav and capital_ua (contributed): at the year end.
    """

    year: int
    receipts_minor: int
    inflow_minor: int
    nav_minor: int
    capital_ua_minor: int


def _register(terms: TermSheet) -> str:
    """The account whose share accrues under the terms' cycle (Ukraine's when none)."""
    return chart.capital_contributions(terms.cycle.partner if terms.cycle is not None else "UA")


def _accrual_rows(tx: Tx, as_of: date) -> list[AccrualRow]:
    """The register's rows (newest versions) received up to `as_of`."""
    terms = terms_in_force(tx, None if as_of == date.max else as_of)
    return [r for r in accruals(tx, _register(terms)) if r.received_on <= as_of]


def _state_in(tx: Tx, as_of: date) -> BooksState:
    terms = terms_in_force(tx, as_of)
    position = position_in(tx, as_of)
    pending: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in accrual_sums(tx, _register(terms), as_of=as_of):  # summed where they are kept
        pending[s.year][s.currency] += s.fund_minor
    credited = 0  # transfers are contributions; receipts credited at once are inflow entries
    for moved in transfers(tx, as_of=as_of):
        if moved.transfer_date <= as_of:
            pending[moved.period_year][moved.currency] -= moved.amount_minor
            credited += moved.usd_minor
    issued = {
        lic.deposit: lic.issued_on
        for lic in licences_by_id(tx).values()
        if lic.issued_on <= as_of and is_new_licence(licence_facts(lic), terms.entry_into_force)
    }
    accounts = position.capital.accounts
    direct = position.partners["UA"].inflows if "UA" in position.partners else 0
    this_year: dict[str, int] = defaultdict(int)
    for c in list_contributions(tx):
        if c.value_date.year == as_of.year and c.value_date <= as_of and c.form != "transfer":
            kind = "cash" if c.form == "cash" else "in_kind"
            value = c.usd_amount if kind == "cash" else c.approved_value
            this_year[f"{c.partner}:{kind}"] += value or 0
    try:
        rate: Decimal | None = rates_in_force(tx, as_of).rate("USD", "UAH", as_of).rate
    except MissingRateError:
        rate = None
    return BooksState(
        as_of=as_of,
        nav_minor=position.nav.total,
        capital_minor={p: a.contributions for p, a in accounts.items()},
        distributed_minor={p: abs(a.distributions) for p, a in accounts.items()},
        pending={
            y: {c: v for c, v in by.items() if v > 0}
            for y, by in sorted(pending.items())
            if any(v > 0 for v in by.values())
        },
        issued=issued,
        uah_per_usd=rate,
        year_contributed_minor=dict(this_year),
        inflows_minor=credited + direct,
        direct_inflows_minor=direct,
    )


def books_state(db: Database, actor: User, *, as_of: date) -> BooksState:
    """The books on `as_of`: NAV, contributed capital and distributions per partner,
    accruals not yet transferred (by accrual year and currency) and new licences issued."""
    require(actor, "metrics.read")
    with db.read() as tx:
        return _state_in(tx, as_of)


def _last_day(tx: Tx) -> date | None:
    """The latest day the books record a receipt or a transfer."""
    days = [r.received_on for r in accruals_all(tx)]
    days += [t.transfer_date for t in transfers(tx)]
    return max(days, default=None)


def accruals_all(tx: Tx) -> list[AccrualRow]:
    """Every accrual of the partner the terms in force credit through a cycle."""
    return _accrual_rows(tx, date.max)


def booked_years(
    db: Database, actor: User, *, after: date, to_year: int | None = None
) -> list[BookedYear]:
    """What the books recorded in each year from the one `after` falls in (counting only what
    came after that day) through `to_year` (default: the year of the books' latest receipt or
    transfer): receipts, inflows credited, year-end NAV and Ukraine's contributed capital."""
    require(actor, "metrics.read")
    out: list[BookedYear] = []
    with db.read() as tx:
        last = _last_day(tx)
        end_year = to_year if to_year is not None else (last.year if last else after.year)
        first = after.year + 1 if (after.month, after.day) == (12, 31) else after.year
        receipts: dict[int, int] = defaultdict(int)
        for row in _accrual_rows(tx, date(end_year, 12, 31)):
            if row.received_on > after:
                receipts[row.received_on.year] += row.reporting_minor
        start = _state_in(tx, after)
        before, direct = start.inflows_minor, start.direct_inflows_minor
        for year in range(first, end_year + 1):
            end = _state_in(tx, date(year, 12, 31))
            out.append(
                BookedYear(
                    year=year,
                    # receipts credited at once (terms without a cycle) are receipts too
                    receipts_minor=receipts.get(year, 0) + end.direct_inflows_minor - direct,
                    inflow_minor=end.inflows_minor - before,
                    nav_minor=end.nav_minor,
                    capital_ua_minor=end.capital_minor.get("UA", 0),
                )
            )
            before, direct = end.inflows_minor, end.direct_inflows_minor
    return out


def forecast_start(db: Database, actor: User, scenario: Scenario, *, as_of: date) -> StartPoint:
    """The engine's start point for `scenario` from the books on `as_of`."""
    state = books_state(db, actor, as_of=as_of)
    register = [(d.id, d.name) for d in scenario.deposits]
    return start_point(state, scenario.terms.transfer_lag_years, register)


def forecast_backtest(
    db: Database,
    actor: User,
    scenario: Scenario,
    *,
    from_day: date,
    to_year: int | None = None,
    paths: int = 10_000,
    seed: int | None = None,
) -> Backtest:
    """Run `scenario` from the books on `from_day` and place what they recorded later in
    its fans (see forecast.backtest)."""
    start = forecast_start(db, actor, scenario, as_of=from_day)
    seen = booked_years(db, actor, after=from_day, to_year=to_year)
    observed = {
        "receipts": {y.year: y.receipts_minor / 100.0 for y in seen},
        "inflow": {y.year: y.inflow_minor / 100.0 for y in seen},
        "nav": {y.year: y.nav_minor / 100.0 for y in seen},
        "capital_ua": {y.year: y.capital_ua_minor / 100.0 for y in seen},
    }
    return run_backtest(scenario, start, observed, paths=paths, seed=seed)
