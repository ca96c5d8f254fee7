"""The rules no caller gets around (findings of the December 2026 attack review, each reproduced
first): 64-bit overflow, corrections of someone else's filing, future-dated distributions,
manual entries to governed accounts, and closes of days not yet ended."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jointfund.errors import GovernanceError, InputError, PermissionDeniedError
from jointfund.fund import books, contributions, filings, licences, proposals, users
from jointfund.fund.demo import build_demo
from jointfund.fund.manual_entries import close_payload, entries_payload
from jointfund.fund.setup import set_up_fund
from jointfund.governance import User
from jointfund.ledger import Entry, Posting
from jointfund.store import Database
from tests.fund.booking.booking_fixtures import (
    HEADER,
    LICENCES,
    direct_agreement,
    snapshot,
    write,
)
from tests.operator import operator

MAX = "92233720368547758.07"  # 2**63 - 1 minor units of USD
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db)
    return db


def _user(db: Database, name: str) -> User:
    return next(u for u in users.list_users(db, operator(db)) if u.name == name)


def test_two_filings_that_would_overflow_the_books_are_refused_at_their_row(
    db: Database, tmp_path: Path
) -> None:
    # Receipts credited on their own day (the agreement's cycle taken out), so filings post.
    set_up_fund(db, direct_agreement(tmp_path))
    demo = db
    filer = operator(db)
    licences.import_licences(db, filer, write(tmp_path, "licences.csv", LICENCES))
    first = write(
        tmp_path,
        "max-1.csv",
        HEADER + f"L-NEW-TI,2026-10,royalty,{MAX},USD,REP-MAX-1,1,0.00,2026-11-11\n",
    )
    filings.import_filings(demo, filer, first)
    before = snapshot(demo)
    second = write(
        tmp_path,
        "max-2.csv",
        HEADER
        + "L-NEW-TI,2026-10,royalty,1.00,USD,REP-SMALL,1,0.00,2026-11-12\n"
        + f"L-NEW-TI,2026-10,royalty,{MAX},USD,REP-MAX-2,1,0.00,2026-11-12\n",
    )
    with pytest.raises(InputError) as refused:
        filings.import_filings(demo, filer, second)
    [problem] = refused.value.problems
    assert (problem.file, problem.row, problem.field) == (str(second), 3, "gross_amount")
    assert "9,223,372,036,854,775,807" in problem.message
    assert snapshot(demo) == before
    assert books.verify(demo, operator(demo)).ok


def test_a_cash_contribution_that_would_overflow_is_refused_naming_the_amount(
    demo: Database,
) -> None:
    admin = operator(demo)
    big = 2**63 - 1
    contributions.record_cash(
        demo,
        admin,
        partner="US",
        amount_minor=big - 10**16,
        currency="USD",
        value_date=date(2026, 11, 1),
        reference="huge-1",
    )
    with pytest.raises(InputError) as refused:
        contributions.record_cash(
            demo,
            admin,
            partner="US",
            amount_minor=big - 10**16,
            currency="USD",
            value_date=date(2026, 11, 2),
            reference="huge-2",
        )
    assert refused.value.problems[0].field == "amount"
    assert books.verify(demo, admin).ok


def test_a_correction_cannot_reverse_another_licence_holders_filing(
    demo: Database, tmp_path: Path
) -> None:
    filer = _user(demo, "velta-filings")
    before = snapshot(demo)
    # SYNTH-UA-SP-2025-0822-2026-10-R is a filing of UA-SP-2025-0822, not Velta's.
    attack = write(
        tmp_path,
        "v2.csv",
        HEADER + "UA-SP-2025-0711,2026-10,royalty,0.00,UAH,SYNTH-UA-SP-2025-0822-2026-10-R,2,0.00,"
        "2026-11-15\n",
    )
    with pytest.raises(InputError) as refused:
        filings.import_filings(demo, filer, attack)
    [problem] = refused.value.problems
    assert problem.field == "licence_id" and "UA-SP-2025-0822" in problem.message
    assert snapshot(demo) == before


def test_an_administrator_correcting_a_filing_keeps_its_licence_period_and_stream(
    demo: Database, tmp_path: Path
) -> None:
    admin = operator(demo)
    moved = write(
        tmp_path,
        "moved.csv",
        HEADER + "UA-SP-2025-0822,2026-09,royalty,1.00,UAH,SYNTH-UA-SP-2025-0822-2026-10-R,2,0.00,"
        "2026-11-15\n",
    )
    with pytest.raises(InputError) as refused:
        filings.import_filings(demo, admin, moved)
    assert refused.value.problems[0].field == "period"


def test_a_distribution_dated_after_the_lock_cannot_execute_today(demo: Database) -> None:
    admin = operator(demo)
    with pytest.raises(InputError) as refused:
        proposals.propose(
            demo,
            admin,
            "distribution",
            {"amount": "100000000.00", "currency": "USD", "on": "2035-05-23"},
            now=NOW,
        )
    assert refused.value.problems[0].field == "payload.on"
    with pytest.raises(GovernanceError, match="2035-05-23"):
        proposals.propose(
            demo,
            admin,
            "distribution",
            {"amount": "1000000.00", "currency": "USD", "on": "2026-12-01"},
            now=NOW,
        )


def test_manual_entries_are_proposals_and_governed_accounts_refuse_them(demo: Database) -> None:
    admin = operator(demo)
    payout = Entry(
        "manual-dist-1",
        date(2026, 12, 1),
        "payout",
        (
            Posting("Equity:Capital:US:Distributions", 50_000_000_00, "USD"),
            Posting("Assets:Cash:USD", -50_000_000_00, "USD"),
        ),
    )
    before = snapshot(demo)
    with pytest.raises(InputError) as refused:
        proposals.propose(demo, admin, "journal_entry", entries_payload([payout]))
    assert refused.value.problems[0].field == "postings.account"
    assert snapshot(demo) == before
    manager = _user(demo, "us-manager-1")
    fee = Entry(
        "fee",
        date(2026, 11, 30),
        "fee",
        (Posting("Expenses:Operating", 100, "USD"), Posting("Assets:Cash:USD", -100, "USD")),
    )
    with pytest.raises(PermissionDeniedError, match=r"ledger\.post"):
        proposals.propose(demo, manager, "journal_entry", entries_payload([fee]))
    with pytest.raises(PermissionDeniedError, match=r"ledger\.close"):
        proposals.propose(demo, manager, "period_close", close_payload(date(2025, 12, 31)))


def test_a_close_of_a_day_not_yet_ended_is_refused(demo: Database) -> None:
    admin = operator(demo)
    for day in (date(9999, 12, 30), datetime.now(UTC).date()):
        with pytest.raises(InputError, match=r"has not ended yet|outside 1991–2100"):
            proposals.propose(demo, admin, "period_close", close_payload(day))
