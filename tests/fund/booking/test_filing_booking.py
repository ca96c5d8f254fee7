"""Licences + filings + terms in, postings out: the same receipts under the four term sheets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import ConflictError, InputError
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.store import Database
from jointfund.store.books import Books
from jointfund.store.filing_reads import filing_rows
from tests.operator import operator

from .booking_fixtures import (
    DIRECT,
    FILINGS,
    FX,
    HEADER,
    LICENCES,
    direct_agreement,
    snapshot,
    write,
)

# Three UAH royalty filings at 40.00 UAH/USD (new titanium, old titanium, new iron ore):
#   21 Feb draft: 50% of gross-minus-costs, every licence and resource:
#     (1,000,000-300,000)/2 + (200,000-50,000)/2 + (400,000-100,000)/2 = 575,000 UAH = 14,375.00 USD
#   26 Feb framework: 50% of gross, new licences only, any resource:
#     1,000,000/2 + 400,000/2 = 700,000 UAH = 17,500.00 USD, to Ukraine's capital
#   March U.S. draft: same 700,000 UAH, but credited to the fund's income, not a partner
#   30 Apr agreement: 50% of gross, new licences, Annex A only (iron ore is not): 500,000 UAH,
#     accrued in the state budget's special fund (Res. 1616), so the books take nothing yet;
#     the same rules credited on the receipt day (its cycle taken out) book 12,500.00 USD
CASES = [
    ("ua-us-2025-02-21-draft", 575_000_00, 14_375_00, "Equity:Capital:UA:Contributions"),
    ("ua-us-2025-02-26-framework", 700_000_00, 17_500_00, "Equity:Capital:UA:Contributions"),
    ("ua-us-2025-03-us-draft", 700_000_00, 17_500_00, "Income:Inflow:royalty"),
    (DIRECT, 500_000_00, 12_500_00, "Equity:Capital:UA:Contributions"),
]


def fund(db: Database, tmp_path: Path, preset: str) -> Books:
    set_up_fund(db, direct_agreement(tmp_path) if preset == DIRECT else preset)
    import_licences(db, operator(db), write(tmp_path, "licences.csv", LICENCES))
    import_fx_rates(db, operator(db), write(tmp_path, "fx.csv", FX))
    return Books(db)


@pytest.mark.parametrize(("preset", "uah", "usd", "credited"), CASES)
def test_same_filings_book_as_each_term_sheet_says(
    db: Database, tmp_path: Path, preset: str, uah: int, usd: int, credited: str
) -> None:
    books = fund(db, tmp_path, preset)
    done = import_filings(db, operator(db), write(tmp_path, "filings.csv", FILINGS))
    assert done.fund_minor_by_currency == {"UAH": uah}
    balances = {r.account: r.amount for r in books.balances()}
    assert balances == {
        "Assets:Cash:UAH": uah,
        "Equity:Conversion:UAH": -uah,
        "Equity:Conversion:USD": usd,
        credited: -usd,
    }
    with db.read() as conn:
        rows = {r.payer_reference: r for r in filing_rows(conn)}
    for row in rows.values():
        assert row.fund_minor + row.budget_minor == row.gross_minor
        assert row.terms_id == preset
        assert (row.entry_key is not None) == (row.fund_minor > 0)
    assert books.verify().ok


def test_the_agreement_accrues_receipts_and_books_nothing_until_a_transfer(
    db: Database, tmp_path: Path
) -> None:
    books = fund(db, tmp_path, "ua-us-2025-04-30-agreement")
    done = import_filings(db, operator(db), write(tmp_path, "filings.csv", FILINGS))
    assert done.fund_minor_by_currency == {"UAH": 500_000_00}
    assert done.entries == 0
    assert books.balances() == []
    with db.read() as conn:
        rows = {r.payer_reference: r for r in filing_rows(conn)}
    due = rows["R-1"]
    assert (due.fund_minor, due.entry_key) == (500_000_00, None)
    assert due.credit_account == "Equity:Capital:UA:Contributions"
    assert due.reason is not None and "special fund" in due.reason
    # The receipt day's value is kept as an indication only.
    assert due.reporting_minor == 12_500_00
    # A correction of an accrued filing undoes nothing in the books: there was nothing.
    fix = HEADER + "L-NEW-TI,2025-08,royalty,1100000.00,UAH,R-1,2,300000.00,2025-10-15\n"
    again = import_filings(db, operator(db), write(tmp_path, "fix.csv", fix))
    assert (again.corrected, again.entries) == (1, 0)
    assert books.balances() == []
    assert books.verify().ok


def test_reimport_changes_nothing_and_a_correction_books_undo_and_redo(
    db: Database, tmp_path: Path
) -> None:
    books = fund(db, tmp_path, DIRECT)
    path = write(tmp_path, "filings.csv", FILINGS)
    import_filings(db, operator(db), path)
    before = snapshot(db)
    again = import_filings(db, operator(db), path)
    assert (again.booked, again.unchanged, again.entries) == (0, 3, 0)
    assert snapshot(db) == before
    fix = write(
        tmp_path,
        "fix.csv",
        HEADER + "L-NEW-TI,2025-08,royalty,1100000.00,UAH,R-1,2,300000.00,2025-10-15\n",
    )
    done = import_filings(db, operator(db), fix)
    assert (done.corrected, done.entries) == (1, 2)
    assert books.balance("Assets:Cash:UAH") == 550_000_00
    assert books.balance("Equity:Capital:UA:Contributions") == -13_750_00
    undo = books.entry(key="filing:R-1:v2:undo-earlier").entry
    assert {p.account: p.amount for p in undo.postings}["Assets:Cash:UAH"] == -500_000_00
    assert books.verify().ok
    after = snapshot(db)
    replay = import_filings(db, operator(db), path)
    assert (replay.unchanged, replay.entries) == (3, 0)
    assert snapshot(db) == after


def test_registry_problems_are_all_reported_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    books = fund(db, tmp_path, "ua-us-2025-04-30-agreement")
    import_filings(db, operator(db), write(tmp_path, "ok.csv", FILINGS))
    books.close(date(2025, 9, 30))
    before = snapshot(db)
    bad = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "L-NOPE,2025-09,royalty,10.00,UAH,R-9,1,0.00,2025-10-15\n"  # line 2: unknown licence
        + "L-NEW-TI,2025-08,royalty,999.00,UAH,R-1,1,0.00,2025-09-15\n"  # 3: same ref, other content
        + "L-NEW-TI,2025-09,royalty,10.00,UAH,R-10,1,0.00,2025-09-20\n"  # 4: closed period
        + "L-NEW-TI,2025-10,royalty,10.00,UAH,R-11,1,0.00,2026-01-20\n",  # 5: no FX rate
    )
    with pytest.raises(InputError) as caught:
        import_filings(db, operator(db), bad)
    located = {(p.row, p.field) for p in caught.value.problems}
    assert located == {
        (2, "licence_id"),
        (3, "payer_reference"),
        (4, "received_on"),
        (5, "received_on"),
    }
    assert all(p.file == str(bad) for p in caught.value.problems)
    assert snapshot(db) == before


def test_a_conflicting_fx_rate_is_refused(db: Database, tmp_path: Path) -> None:
    fund(db, tmp_path, "ua-us-2025-04-30-agreement")
    with pytest.raises(ConflictError, match=r"already 40\.00"):
        import_fx_rates(
            db,
            operator(db),
            write(tmp_path, "fx2.csv", "date,base,quote,rate\n2025-09-15,USD,UAH,41.00\n"),
        )


def test_a_correction_in_the_same_file_as_its_original_undoes_it(
    db: Database, tmp_path: Path
) -> None:
    books = fund(db, tmp_path, DIRECT)
    both = write(
        tmp_path,
        "both.csv",
        HEADER
        + "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-1,1,300000.00,2025-09-15\n"
        + "L-NEW-TI,2025-08,royalty,1100000.00,UAH,R-1,2,300000.00,2025-10-15\n",
    )
    done = import_filings(db, operator(db), both)
    assert (done.booked, done.corrected) == (1, 1)
    # Only version 2's half of 1,100,000 UAH remains: 550,000 UAH = 13,750.00 USD at 40.
    assert books.balance("Assets:Cash:UAH") == 550_000_00
    assert books.balance("Equity:Capital:UA:Contributions") == -13_750_00
    assert books.verify().ok
    stale = write(
        tmp_path,
        "stale.csv",
        HEADER + "L-NEW-TI,2025-08,royalty,900000.00,UAH,R-1,1,0.00,2025-09-15\n",
    )
    with pytest.raises(InputError, match="already imported with other content"):
        import_filings(db, operator(db), stale)
