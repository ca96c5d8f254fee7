"""The forecast's fund rules, fed the example fund's actual filings, book what the ledger booked."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from jointfund.forecast.fundrules import engine_stream, forecast_terms_from_preset
from jointfund.forecast.replay import Receipt, yearly_fund_inflows
from jointfund.fund.booking import licence_facts
from jointfund.fund.demo import build_demo
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.filings import FilingRow, filing_rows
from jointfund.store.licences import licences_by_id
from jointfund.terms import DEFAULT_PRESET, is_new_licence, load_terms


def _ledger_yearly(books: Books, rows: list[FilingRow]) -> dict[int, int]:
    """What the books credited to capital or fund income for inflows, or hold as accrued for a
    later transfer (valued at the receipt day's rate), per receipt year, in USD cents."""
    found: dict[int, int] = defaultdict(int)
    newest: dict[str, FilingRow] = {}
    for row in rows:
        if row.version >= newest.get(row.payer_reference, row).version:
            newest[row.payer_reference] = row
    for row in newest.values():
        if row.credit_account and row.entry_key is None:
            found[row.received_on.year] += row.reporting_minor
    for stored in books.journal(limit=100_000):
        entry = stored.entry
        if entry.kind not in ("inflow", "inflow-correction"):
            continue
        for p in entry.postings:
            if p.currency == "USD" and p.account.startswith(("Equity:Capital:", "Income:Inflow:")):
                found[entry.effective_date.year] -= p.amount
    return {y: v for y, v in found.items() if v}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("replay") / "fund.db"
    build_demo(open_database(str(path)))
    return path


def test_replayed_filings_give_the_booked_yearly_inflows_to_the_cent(example: Path) -> None:
    db = open_database(str(example))
    terms = load_terms(DEFAULT_PRESET)
    with db.read() as conn:
        licences = licences_by_id(conn)
        rows = filing_rows(conn)
    latest = {}
    for row in rows:
        if row.version >= latest.get(row.payer_reference, row).version:
            latest[row.payer_reference] = row
    receipts = []
    for row in latest.values():
        # The forecast starts when the fund does: receipts for earlier periods never reach it.
        if row.period_end < terms.entry_into_force:
            continue
        licence = licences[row.licence_id]
        facts_new = is_new_licence(licence_facts(licence), terms.entry_into_force)
        per_unit = 1.0
        if row.currency != "USD" and row.fx_rate:
            per_unit = float(1 / Decimal(row.fx_rate.split()[1]))
        receipts.append(
            Receipt(
                year=row.received_on.year,
                stream=engine_stream(row.stream),
                resources=licence.resources,
                new_licence=facts_new,
                gross_minor=int(row.gross_minor),
                costs_minor=int(row.costs_minor),
                reporting_per_unit=per_unit,
            )
        )
    replayed = yearly_fund_inflows(forecast_terms_from_preset(DEFAULT_PRESET), receipts)
    booked = _ledger_yearly(Books(db), rows)
    assert sum(booked.values()) > 5_000_000_00, "the example fund books millions of inflows"
    assert replayed == booked
    # The same receipts under a draft that also counts old licences must differ: the check bites.
    other = yearly_fund_inflows(forecast_terms_from_preset("ua-us-2025-02-21-draft"), receipts)
    assert other != booked
