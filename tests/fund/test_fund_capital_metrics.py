"""Capital accounts, shares and performance on a worked example computed by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jointfund.fund import capital, investments, metrics, statements
from jointfund.fund.capital import compute_capital
from jointfund.store import Database
from jointfund.store.journal import JournalLine

from .fund_board import FRAMEWORK, NOW, Board, cash, make_board

D = 100  # minor units per dollar
MARK_ON, INCOME_ON, PAY_ON, END = (
    date(2026, 6, 30),
    date(2026, 9, 30),
    date(2026, 12, 31),
    date(2026, 12, 31),
)


def _worked_example(db: Database) -> Board:
    """US pays $1,000,000 (1 Jun 2025), UA $500,000 (1 Dec 2025); $1,200,000 goes into one
    investment, marked at $1,500,000 on 30 Jun 2026; a $30,000 dividend on 30 Sep 2026; and
    $30,000 distributed on 31 Dec 2026 (the framework has no lock)."""
    board = make_board(db, FRAMEWORK)
    cash(board, "US", 1_000_000, date(2025, 6, 1), "us-1")
    cash(board, "UA", 500_000, date(2025, 12, 1), "ua-1")
    board.decide(
        "investment",
        {"investment_id": "alpha", "name": "Alpha", "amount": "1200000.00", "on": "2025-12-15"},
    )
    investments.disburse(
        db,
        board.admin,
        "alpha",
        amount_minor=1_200_000 * D,
        on=date(2025, 12, 15),
        reference="w1",
        now=NOW,
    )
    board.decide(
        "valuation_mark",
        {"investment_id": "alpha", "fair_value": "1500000.00", "method": "DCF", "on": "2026-06-30"},
    )
    investments.record_proceeds(
        db, board.admin, "alpha", amount_minor=30_000 * D, on=INCOME_ON, reference="div1", now=NOW
    )
    board.decide("distribution", {"amount": "30000.00", "on": "2026-12-31"})
    return board


def _xirr_by_hand(flows: list[tuple[date, float]]) -> float:
    """Bisection on NPV with actual/365 years."""
    start = flows[0][0]

    def npv(rate: float) -> float:
        return float(sum(a / (1 + rate) ** ((d - start).days / 365) for d, a in flows))

    low, high = -0.99, 10.0
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if npv(mid) > 0 else (low, mid)
    return (low + high) / 2


def test_capital_accounts_and_shares(db: Database) -> None:
    board = _worked_example(db)
    table = capital.capital_accounts(db, board.admin, as_of=END)
    us, ua = table.accounts["US"], table.accounts["UA"]
    # Mark: +$300,000 split 2:1; dividend $30,000 split 2:1; distribution pro rata to capital
    # (US 1,220,000 : UA 610,000), i.e. 20,000 : 10,000.
    assert (us.contributions, us.unrealised, us.income, us.distributions) == (
        1_000_000 * D,
        200_000 * D,
        20_000 * D,
        20_000 * D,
    )
    assert (ua.contributions, ua.unrealised, ua.income, ua.distributions) == (
        500_000 * D,
        100_000 * D,
        10_000 * D,
        10_000 * D,
    )
    assert (us.closing, ua.closing) == (1_200_000 * D, 600_000 * D)
    assert (us.share, ua.share) == (Fraction(2, 3), Fraction(1, 3))
    # Before Ukraine paid in, the United States owned everything.
    early = capital.capital_accounts(db, board.admin, as_of=date(2025, 11, 30))
    assert early.accounts["US"].share == 1 and early.accounts["UA"].share == 0


def test_nav_irr_and_multiples(db: Database) -> None:
    board = _worked_example(db)
    found = metrics.fund_metrics(db, board.admin, as_of=END)
    # Cash 1,500,000 − 1,200,000 + 30,000 − 30,000; the investment carried at 1,500,000.
    assert (found.nav.cash, found.nav.investments, found.nav.total) == (
        300_000 * D,
        1_500_000 * D,
        1_800_000 * D,
    )
    fund = found.fund
    assert (fund.paid_in, fund.distributed, fund.nav) == (1_500_000 * D, 30_000 * D, 1_800_000 * D)
    assert (fund.tvpi, fund.dpi, fund.rvpi) == (
        Fraction(122, 100),
        Fraction(2, 100),
        Fraction(12, 10),
    )
    us = found.partners["US"]
    assert found.partner_nav == {"US": 1_200_000 * D, "UA": 600_000 * D}
    assert (us.tvpi, us.dpi, us.rvpi) == (Fraction(122, 100), Fraction(2, 100), Fraction(12, 10))
    # US: −1,000,000 on 1 Jun 2025, +1,220,000 on 31 Dec 2026, 578 days later.
    assert us.irr == pytest.approx(1.22 ** (365 / 578) - 1, abs=1e-9)
    expected_fund = _xirr_by_hand(
        [(date(2025, 6, 1), -1_000_000.0), (date(2025, 12, 1), -500_000.0), (END, 1_830_000.0)]
    )
    assert fund.irr == pytest.approx(expected_fund, abs=1e-7)
    goal = {r.target.id: r for r in found.recoupment}
    assert goal["us-military-aid-since-2022"].target.amount_minor == 66_900_000_000 * D
    assert goal["us-military-aid-since-2022"].received_share == Fraction(20_000, 66_900_000_000)
    assert goal["demanded-500bn"].value_share == Fraction(1_220_000, 500_000_000_000)


def test_quarterly_statements_reconcile(db: Database) -> None:
    board = _worked_example(db)
    q2 = statements.capital_statement(db, board.admin, "US", "2026Q2")
    assert [v for _, v in q2.rows()] == [
        1_000_000 * D,
        0,
        0,
        0,
        0,
        0,
        200_000 * D,
        0,
        1_200_000 * D,
    ]
    q4 = statements.capital_statement(db, board.admin, "US", "2026Q4")
    assert [v for _, v in q4.rows()] == [
        1_220_000 * D,
        0,
        0,
        0,
        0,
        0,
        0,
        -20_000 * D,
        1_200_000 * D,
    ]
    assert q4.opening + q4.movements() == q4.closing
    assert q4.ownership == Fraction(2, 3) and q4.performance.dpi == Fraction(2, 100)
    ua = statements.capital_statement(db, board.admin, "UA", "2025-Q4")
    assert (ua.opening, ua.contributions, ua.closing) == (0, 500_000 * D, 500_000 * D)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),
            st.sampled_from(
                [
                    "Equity:Capital:US:Contributions",
                    "Equity:Capital:UA:Contributions",
                    "Income:Investment:unrealised",
                    "Income:Investment:income",
                    "Expenses:Operating",
                ]
            ),
            st.integers(-(10**9), 10**9),
        ),
        max_size=40,
    )
)
def test_every_unit_of_fund_result_is_allocated(
    events: list[tuple[int, str, int]],
) -> None:
    lines = sorted(
        (
            JournalLine(date(2026, 1, 1 + d), i, "x", acct, amount, "USD")
            for i, (d, acct, amount) in enumerate(events)
        ),
        key=lambda line: (line.effective_date, line.seq),
    )
    table = compute_capital(lines, ("US", "UA"))
    result = -sum(line.amount for line in lines if line.account.startswith(("Income", "Expenses")))
    allocated = sum(a.income + a.unrealised for a in table.accounts.values())
    assert allocated + table.unallocated == result
