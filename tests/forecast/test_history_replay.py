"""The example fund's recorded filings replayed through the forecast: its eligibility rules give
the books' yearly receipts to the cent, and the engine's own contribution cycle and fund rules
turn them into the transfers and capital the books recorded."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.forecast import load_scenario
from jointfund.forecast.fundrules import (
    engine_stream,
    forecast_terms_from_preset,
)
from jointfund.forecast.model import CompiledModel, compile_model
from jointfund.forecast.model_flows import ContributionItem
from jointfund.forecast.replay import (
    Receipt,
    replay_through_engine,
    yearly_fund_inflows,
    yearly_fund_shares,
)
from jointfund.fund.booking import licence_facts
from jointfund.fund.capital import capital_accounts
from jointfund.fund.demo import build_demo
from jointfund.store import Database, open_database
from jointfund.store.contributions import list_contributions
from jointfund.store.filing_reads import FilingRow, filing_rows
from jointfund.store.licences import licences_by_id
from jointfund.store.transfers import accruals, transfers
from jointfund.terms import DEFAULT_PRESET, is_new_licence, load_terms
from tests.operator import operator

YEARS = (2025, 2026)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("replay") / "fund.db"
    build_demo(open_database(str(path)))
    return path


def _latest(rows: list[FilingRow]) -> list[FilingRow]:
    found: dict[str, FilingRow] = {}
    for row in rows:
        if row.version >= found.get(row.payer_reference, row).version:
            found[row.payer_reference] = row
    return list(found.values())


def _receipts(db: Database) -> list[tuple[str, Receipt]]:
    """(currency, receipt) for every filing of a period after entry into force."""
    terms = load_terms(DEFAULT_PRESET)
    with db.read() as conn:
        licences = licences_by_id(conn)
        rows = _latest(filing_rows(conn))
    out = []
    for row in rows:
        if row.period_end < terms.entry_into_force:  # earlier periods never reach the fund
            continue
        licence = licences[row.licence_id]
        per_unit = 1.0
        if row.currency != "USD" and row.fx_rate:
            per_unit = float(1 / Decimal(row.fx_rate.split()[1]))
        out.append(
            (
                row.currency,
                Receipt(
                    year=row.received_on.year,
                    stream=engine_stream(row.stream),
                    resources=licence.resources,
                    new_licence=is_new_licence(licence_facts(licence), terms.entry_into_force),
                    gross_minor=int(row.gross_minor),
                    costs_minor=int(row.costs_minor),
                    reporting_per_unit=per_unit,
                ),
            )
        )
    return out


def _books_model(db: Database, preset: str) -> CompiledModel:
    """The base scenario's engine over 2025-2026 with the books' cash contributions, no
    investment return (the example books none) and the given term sheet's rules."""
    with db.read() as conn:
        cash = [c for c in list_contributions(conn) if c.form == "cash"]
    items = tuple(
        ContributionItem(
            id=f"books-{c.id}",
            partner=0 if c.partner == "US" else 1,
            in_kind=False,
            fixed=tuple(
                (c.usd_amount or 0) / 100.0 if c.value_date.year == y else 0.0 for y in YEARS
            ),
            first=0,
            last=0,
            probability=0.0,
            median=0.0,
            log_sd=0.0,
            valuation=1.0,
        )
        for c in cash
    )
    scenario = dataclasses.replace(load_scenario("base"), terms=forecast_terms_from_preset(preset))
    model = compile_model(scenario, len(YEARS))
    return dataclasses.replace(model, contributions=items, fund_return=(0.0, 0.0, 0.0))


def _replay(db: Database, preset: str) -> tuple[list[int], list[int], list[int]]:
    """Per year, in cents: inflow credited, U.S. and Ukrainian contributed capital."""
    terms = forecast_terms_from_preset(preset)
    found = _receipts(db)
    uah = yearly_fund_shares(terms, [r for c, r in found if c == "UAH"])
    usd = yearly_fund_shares(terms, [r for c, r in found if c == "USD"])
    with db.read() as conn:
        moved = transfers(conn)
    rates = {t.transfer_date.year: float(t.rate.split()[1]) for t in moved if t.rate}
    out = replay_through_engine(
        _books_model(db, preset),
        [uah.get(y, 0) / 100.0 for y in YEARS],
        [usd.get(y, 0) / 100.0 for y in YEARS],
        [rates.get(y, 43.0) for y in YEARS],  # 43.0: a year with no transfer (any rate)
    )
    cents = [
        [round(float(v) * 100) for v in series[:, 0]]
        for series in (out.inflow, out.capital_us, out.capital_ua)
    ]
    return cents[0], cents[1], cents[2]


def test_replayed_filings_give_the_booked_yearly_receipts_to_the_cent(example: Path) -> None:
    db = open_database(str(example))
    found = [r for _, r in _receipts(db)]
    replayed = yearly_fund_inflows(forecast_terms_from_preset(DEFAULT_PRESET), found)
    booked: dict[int, int] = defaultdict(int)
    with db.read() as conn:
        for row in accruals(conn, "Equity:Capital:UA:Contributions"):
            booked[row.received_on.year] += row.reporting_minor
    assert sum(booked.values()) > 5_000_000_00, "the example fund accrues millions"
    assert replayed == dict(booked)
    other = yearly_fund_inflows(forecast_terms_from_preset("ua-us-2025-02-21-draft"), found)
    assert other != dict(booked)  # a draft that also counts old licences differs: the check bites


def test_the_engines_cycle_credits_what_the_books_credited(example: Path) -> None:
    db = open_database(str(example))
    inflow, capital_us, capital_ua = _replay(db, DEFAULT_PRESET)
    actor = operator(db)
    with db.read() as conn:
        moved = transfers(conn)
    booked_inflow = [sum(t.usd_minor for t in moved if t.transfer_date.year == y) for y in YEARS]
    assert booked_inflow == [0, 1_732_886_02]  # 2025's receipts arrive on 1 April 2026
    assert inflow == booked_inflow
    for k, year in enumerate(YEARS):
        table = capital_accounts(db, actor, as_of=date(year, 12, 31))
        assert capital_us[k] == table.accounts["US"].contributions
        assert capital_ua[k] == table.accounts["UA"].contributions
    # a February draft credits receipts as they are paid: 2025's would be in 2025's capital
    draft, _, _ = _replay(db, "ua-us-2025-02-26-framework")
    assert draft[0] > 0 and draft != booked_inflow
