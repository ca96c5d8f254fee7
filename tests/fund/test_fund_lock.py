"""The reinvestment lock, proceeds, and contribution idempotency (in kind: test_fund_in_kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from jointfund.errors import ConflictError, GovernanceError
from jointfund.fund import contributions, investments, proposals
from jointfund.ledger import chart
from jointfund.store import Database
from jointfund.store.books import Books
from jointfund.terms import load_terms

from .fund_board import AGREEMENT, FRAMEWORK, NOW, cash, make_board

M = 1_000_000 * 100  # a million dollars in cents


def test_distribution_is_refused_inside_the_lock(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    cash(board, "US", 75_000_000, date(2025, 9, 17), "dfc-1")
    with pytest.raises(GovernanceError) as refused:
        proposals.propose(
            db,
            board.admin,
            "distribution",
            {"amount": "1000.00", "on": "2030-01-01"},
            terms=AGREEMENT,
            now=datetime(2030, 1, 1, 12, tzinfo=UTC),
        )
    message = str(refused.value)
    assert "lock.years = 10" in message and "2035-05-23" in message
    assert AGREEMENT.id in message
    # Proceeds received meanwhile stay in the fund.
    board.decide(
        "investment",
        {"investment_id": "velta", "name": "Velta", "amount": "100.00", "on": "2025-10-01"},
    )
    investments.disburse(
        db, board.admin, "velta", amount_minor=100_00, on=date(2025, 10, 1), reference="w", now=NOW
    )
    investments.record_proceeds(
        db,
        board.admin,
        "velta",
        amount_minor=150_00,
        on=date(2026, 3, 1),
        reference="exit",
        exit=True,
        now=NOW,
    )
    books = Books(db)
    assert books.balance(chart.cash("USD")) == 75_000_000_00 - 100_00 + 150_00
    assert books.balance(chart.investment_cost("velta")) == 0
    assert books.balance(chart.investment_income("realised")) == -50_00
    assert books.journal(kind="distribution") == []


def test_distribution_after_the_lock_and_without_a_lock(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    cash(board, "US", 3, date(2025, 6, 1), "us")
    cash(board, "UA", 1, date(2025, 6, 1), "ua")
    outcome = board.decide("distribution", {"amount": "1.01", "on": "2026-01-05"})
    assert outcome.executed and outcome.entry_keys == (f"proposal:{outcome.proposal.id}",)
    entry = Books(db).entry(key=outcome.entry_keys[0]).entry
    paid = {p.account: p.amount for p in entry.postings}
    # 101 cents pro rata 3:1 is 75.75 : 25.25; the spare cent goes to the larger remainder.
    assert paid[chart.capital_distributions("US")] == 76
    assert paid[chart.capital_distributions("UA")] == 25
    with pytest.raises(GovernanceError, match="cannot distribute"):
        proposals.propose(
            db,
            board.admin,
            "distribution",
            {"amount": "100.00", "on": "2026-01-05"},
            terms=FRAMEWORK,
            now=NOW,
        )


def test_cash_contributions_are_idempotent_and_translated(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    cash(board, "US", 10, date(2025, 9, 17), "ref-1")
    cash(board, "US", 10, date(2025, 9, 17), "ref-1")  # a retry changes nothing
    with pytest.raises(ConflictError, match="other details"):
        cash(board, "US", 11, date(2025, 9, 17), "ref-1")
    row, _ = contributions.record_cash(
        db,
        board.admin,
        partner="UA",
        amount_minor=4_150_00,
        currency="UAH",
        value_date=date(2025, 12, 15),
        reference="nbu-1",
        usd_rate=Decimal("0.024096"),
        terms=AGREEMENT,
        now=NOW,
    )
    assert row.usd_amount == 100_00  # 4,150 UAH × 0.024096 = 99.9984 → 100.00 USD
    books = Books(db)
    assert books.balance(chart.cash("UAH")) == 4_150_00
    assert books.balance(chart.capital_contributions("UA")) == -100_00
    assert books.balance(chart.conversion("UAH")) == -4_150_00
    with db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM contributions")).scalar_one() == 2
    with pytest.raises(GovernanceError, match="before entry into force"):
        cash(board, "US", 10, date(2025, 1, 1), "early")


def test_senior_first_distribution_under_the_march_draft(db: Database) -> None:
    march = load_terms("ua-us-2025-03-us-draft")
    board = make_board(db, march)
    cash(board, "US", 1_000, date(2025, 6, 1), "us")
    cash(board, "UA", 1_000, date(2025, 6, 1), "ua")
    outcome = board.decide("distribution", {"amount": "500.00", "on": "2026-01-05"})
    entry = Books(db).entry(key=outcome.entry_keys[0]).entry
    paid = {p.account: p.amount for p in entry.postings}
    # The $100 bn of past aid plus 4% a year is owed to the United States first.
    assert paid == {chart.capital_distributions("US"): 500_00, chart.cash("USD"): -500_00}
    assert entry.metadata["senior_minor"] == 500_00
