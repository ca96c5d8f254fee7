"""March 2025 U.S. draft: the U.S. takes income first until its past aid is repaid + 4% a year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.errors import InputError
from jointfund.terms import (
    SeniorBalance,
    accrue,
    accrue_senior,
    load_terms,
    opening_balance,
    split_income,
)

MARCH = load_terms("ua-us-2025-03-us-draft")
PRINCIPAL = 10_000_000_000_000  # $100 bn in cents


def test_opening_balance_is_the_past_aid_at_entry_into_force() -> None:
    assert opening_balance(MARCH) == SeniorBalance(PRINCIPAL, 0, date(2025, 5, 23))


def test_a_full_year_earns_exactly_four_percent_and_compounds() -> None:
    one_year = accrue_senior(MARCH, opening_balance(MARCH), date(2026, 5, 23))
    # 10,000,000,000,000 x 0.04 = 400,000,000,000, capitalised on the anniversary.
    assert one_year == SeniorBalance(10_400_000_000_000, 0, date(2026, 5, 23))
    half = accrue_senior(MARCH, one_year, date(2026, 11, 22))
    # 10,400,000,000,000 x 0.04 x 183/365 = 208,569,863,013.70 -> 208,569,863,014 (half-even).
    assert half == SeniorBalance(10_400_000_000_000, 208_569_863_014, date(2026, 11, 22))


def test_leap_anniversary_year_still_earns_exactly_the_rate() -> None:
    # 2027-05-23 -> 2028-05-23 has 366 days; a whole year is still exactly 4%.
    start = SeniorBalance(1_000_000, 0, date(2027, 5, 23))
    after = accrue(start, date(2028, 5, 23), rate=Decimal("0.04"), anchor=date(2025, 5, 23))
    assert after == SeniorBalance(1_040_000, 0, date(2028, 5, 23))


def test_no_interest_before_the_accrual_start() -> None:
    early = SeniorBalance(1_000_000, 0, date(2024, 1, 1))
    assert accrue(early, date(2025, 1, 1), rate=Decimal("0.04"), anchor=date(2025, 5, 23)) == (
        SeniorBalance(1_000_000, 0, date(2025, 1, 1))
    )


def test_accruing_backwards_is_refused() -> None:
    with pytest.raises(InputError):
        accrue_senior(MARCH, opening_balance(MARCH), date(2025, 1, 1))


def test_income_pays_interest_then_principal_then_the_rest_is_left() -> None:
    split = split_income(SeniorBalance(1_000, 40, date(2026, 1, 1)), 1_500)
    assert (split.senior_minor, split.rest_minor) == (1_040, 460)
    assert (split.interest_paid_minor, split.principal_paid_minor) == (40, 1_000)
    assert split.balance.outstanding_minor == 0
    partial = split_income(SeniorBalance(1_000, 40, date(2026, 1, 1)), 100)
    assert (partial.senior_minor, partial.rest_minor, partial.balance.principal_minor) == (
        100,
        0,
        940,
    )


balances = st.builds(
    SeniorBalance,
    st.integers(min_value=0, max_value=10**16),
    st.integers(min_value=0, max_value=10**14),
    st.just(date(2026, 1, 1)),
)


@settings(max_examples=200, deadline=None)
@given(balance=balances, income=st.integers(min_value=0, max_value=10**17))
def test_priority_split_is_exact(balance: SeniorBalance, income: int) -> None:
    split = split_income(balance, income)
    assert split.senior_minor + split.rest_minor == income
    assert split.interest_paid_minor + split.principal_paid_minor == split.senior_minor
    assert split.balance.outstanding_minor == balance.outstanding_minor - split.senior_minor
    assert split.balance.principal_minor >= 0 and split.balance.accrued_minor >= 0


@settings(max_examples=100, deadline=None)
@given(
    principal=st.integers(min_value=0, max_value=10**15),
    first=st.integers(min_value=0, max_value=800),
    second=st.integers(min_value=0, max_value=800),
)
def test_splitting_an_accrual_in_two_moves_at_most_a_unit_per_call(
    principal: int, first: int, second: int
) -> None:
    start = SeniorBalance(principal, 0, date(2025, 5, 23))
    middle = date(2025, 5, 23) + timedelta(days=first)
    end = middle + timedelta(days=second)
    whole = accrue_senior(MARCH, start, end)
    pieces = accrue_senior(MARCH, accrue_senior(MARCH, start, middle), end)
    # Compounding may carry a rounding unit into the next year's principal, which itself earns
    # at most a fraction of a unit a year.
    assert abs(whole.outstanding_minor - pieces.outstanding_minor) <= 3
