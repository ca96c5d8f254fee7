"""Ukraine's contribution cycle (Res. 1616) on the example fund: receipts accrue in the special
fund, the 1 April transfer credits capital at its day's rate and settles the 2025 accruals."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction

import pytest

from jointfund.errors import ConflictError, GovernanceError, InputError
from jointfund.fund import capital, cycle_report, transfers
from jointfund.fund.demo import build_demo, example_dir
from jointfund.fund.setup import set_up_fund
from jointfund.money import RateTable, convert
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from jointfund.store.fx_rates import rate_table
from jointfund.store.transfers import accruals
from jointfund.terms import load_terms
from tests.fund.booking.booking_fixtures import snapshot
from tests.operator import operator

UAH_2025 = 75_000_000_00  # half of the Poltava gas block's UAH 150 m auction (synthetic)
TRANSFER_DAY = date(2026, 4, 1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(str(tmp_path_factory.mktemp("cycle") / "fund.db"))
    build_demo(db)
    return db


@pytest.fixture(scope="module")
def untransferred(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The example without the PPP Agency's transfer: the 2025 accruals stay due."""
    folder = tmp_path_factory.mktemp("no-transfer")
    for name in ("licences.csv", "filings.csv", "fx.csv", "contributions.csv"):
        shutil.copy(example_dir() / name, folder / name)
    db = open_database(str(folder / "fund.db"))
    build_demo(db, folder=folder)
    return db


def _rates(db: Database) -> RateTable:
    with db.read() as conn:
        return rate_table(conn)


def test_a_year_of_receipts_accrues_outside_the_books_by_code_licence_and_stream(
    example: Database,
) -> None:
    report = cycle_report.cycle_report(example, operator(example), as_of=date(2025, 12, 31))
    [year] = report.periods
    assert (year.period_year, year.status) == (2025, "accruing")
    assert year.accrued == {"UAH": UAH_2025}
    [line] = year.lines
    assert (line.licence_id, line.stream, line.currency) == (
        "UA-SP-2025-0822",
        "auction_proceeds",
        "UAH",
    )
    # Not one hryvnia of it is in the fund's books in 2025: only the two partners' cash.
    books = Books(example)
    assert books.balance("Assets:Cash:UAH", date(2025, 12, 31)) == 0
    assert books.balance("Equity:Capital:UA:Contributions", date(2025, 12, 31)) == -37_500_000_00
    # Royalties of 2026 are listed under their budget-code group.
    later = cycle_report.cycle_report(example, operator(example), as_of=date(2026, 12, 6))
    codes = {(x.budget_code, x.stream) for p in later.periods for x in p.lines}
    assert ("1303", "royalty") in codes


def test_the_transfer_credits_capital_at_its_days_rate_and_moves_ownership(
    example: Database,
) -> None:
    admin = operator(example)
    before = capital.capital_accounts(example, admin, as_of=date(2026, 3, 31))
    after = capital.capital_accounts(example, admin, as_of=TRANSFER_DAY)
    assert before.accounts["UA"].share == before.accounts["US"].share == Fraction(1, 2)
    credited = convert(UAH_2025, "UAH", "USD", TRANSFER_DAY, _rates(example))
    gained = after.accounts["UA"].contributions - before.accounts["UA"].contributions
    assert gained == credited
    assert after.accounts["UA"].share > Fraction(1, 2) > after.accounts["US"].share
    books = Books(example)
    entry = books.entry(key="contribution:transfer:UA:PPP-URIF-TRANSFER-2025").entry
    assert entry.effective_date == TRANSFER_DAY
    assert {p.account: p.amount for p in entry.postings} == {
        "Assets:Cash:UAH": UAH_2025,
        "Equity:Conversion:UAH": -UAH_2025,
        "Equity:Conversion:USD": credited,
        "Equity:Capital:UA:Contributions": -credited,
    }
    assert books.verify().ok


def test_the_periods_status_through_the_year(example: Database, untransferred: Database) -> None:
    def status(db: Database, on: date) -> str:
        report = cycle_report.cycle_report(db, operator(db), as_of=on)
        return next(p.status for p in report.periods if p.period_year == 2025)

    assert status(example, date(2025, 10, 1)) == "accruing"
    assert status(example, date(2026, 3, 31)) == "due"
    assert status(example, TRANSFER_DAY) == "settled"
    assert status(untransferred, date(2026, 4, 1)) == "due"
    assert status(untransferred, date(2026, 4, 2)) == "overdue"
    settled = cycle_report.cycle_report(example, operator(example), as_of=TRANSFER_DAY).periods[0]
    assert settled.remaining == {"UAH": 0}
    [moved] = settled.transfers
    assert moved.accrued_minor == UAH_2025
    # Credited at the transfer day's rate, not the receipt day's: the difference is shown.
    assert settled.fx_difference_usd_minor == (
        settled.credited_usd_minor - settled.indicative_usd_minor
    )
    assert settled.fx_difference_usd_minor != 0


def test_a_transfer_is_idempotent_and_refused_when_it_cannot_be_right(
    untransferred: Database,
) -> None:
    db, admin = untransferred, operator(untransferred)
    with pytest.raises(InputError) as early:
        transfers.record_transfer(
            db,
            admin,
            amount_minor=1_00,
            transfer_date=date(2025, 12, 30),
            reference="EARLY",
            period_year=2025,
        )
    assert [p.field for p in early.value.problems] == ["transfer_date"]
    with pytest.raises(InputError) as no_rate:
        transfers.record_transfer(
            db,
            admin,
            amount_minor=1_00,
            transfer_date=date(2027, 6, 1),
            reference="NO-RATE",
            period_year=2025,
        )
    assert [p.field for p in no_rate.value.problems] == ["transfer_date"]
    before = snapshot(db)
    row, created = transfers.record_transfer(
        db,
        admin,
        amount_minor=70_000_000_00,
        transfer_date=date(2026, 4, 20),
        reference="PART-1",
        period_year=2025,
    )
    assert created and row.form == "transfer"
    written = snapshot(db)
    assert written != before
    again, created_again = transfers.record_transfer(
        db,
        admin,
        amount_minor=70_000_000_00,
        transfer_date=date(2026, 4, 20),
        reference="PART-1",
        period_year=2025,
    )
    assert (again.id, created_again) == (row.id, False)
    assert snapshot(db) == written
    with pytest.raises(ConflictError):
        transfers.record_transfer(
            db,
            admin,
            amount_minor=1_00,
            transfer_date=date(2026, 4, 20),
            reference="PART-1",
            period_year=2025,
        )
    # A partial, late transfer: the rest is still due and the lateness is said.
    [year] = [
        p
        for p in cycle_report.cycle_report(db, admin, as_of=date(2026, 5, 1)).periods
        if p.period_year == 2025
    ]
    assert year.status == "overdue"
    assert year.remaining == {"UAH": UAH_2025 - 70_000_000_00}
    assert any("after the 2026-04-01 deadline" in n for n in year.notes)
    assert Books(db).verify().ok


def test_the_drafts_have_no_cycle_and_book_each_receipt_on_its_day(db: Database) -> None:
    set_up_fund(db, "ua-us-2025-02-26-framework")
    with pytest.raises(GovernanceError, match="no contribution cycle"):
        transfers.record_transfer(
            db,
            operator(db),
            amount_minor=1_00,
            transfer_date=date(2026, 4, 1),
            reference="X",
            period_year=2025,
        )
    for draft in ("ua-us-2025-02-21-draft", "ua-us-2025-02-26-framework", "ua-us-2025-03-us-draft"):
        assert load_terms(draft).cycle is None
    cycle = load_terms("ua-us-2025-04-30-agreement").cycle
    assert cycle is not None
    assert cycle.transfer_due(2025) == date(2026, 4, 1)
    assert cycle.fx_date.value == "transfer_date"


def test_the_register_keeps_only_the_newest_version_of_a_filing(example: Database) -> None:
    with example.read() as conn:
        rows = accruals(conn, "Equity:Capital:UA:Contributions")
    refs = [r.payer_reference for r in rows]
    assert len(refs) == len(set(refs))
    assert all(r.fund_minor for r in rows)
