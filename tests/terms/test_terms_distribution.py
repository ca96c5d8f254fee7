"""Distributions split to the minor unit: pro rata, fixed shares, or U.S. senior first."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.errors import InputError
from jointfund.terms import SeniorBalance, distribute, load_terms

FEB21 = load_terms("ua-us-2025-02-21-draft")
FEB26 = load_terms("ua-us-2025-02-26-framework")
MARCH = load_terms("ua-us-2025-03-us-draft")
FINAL = load_terms("ua-us-2025-04-30-agreement")


def test_pro_rata_to_capital_gives_out_every_cent() -> None:
    # 100 cents by capital 1:2 -> 33.33 / 66.67 -> 33 and 67 (the larger remainder gets the cent).
    result = distribute(FINAL, 100, capital={"US": 1, "UA": 2})
    assert dict(result.by_partner) == {"US": 33, "UA": 67}


def test_100_percent_us_financial_interest_in_the_21_february_draft() -> None:
    result = distribute(FEB21, 12_345, capital={"US": 0, "UA": 999})
    assert dict(result.by_partner) == {"US": 12_345, "UA": 0}


def test_march_draft_pays_the_us_senior_balance_first() -> None:
    senior = SeniorBalance(1_000, 40, date(2026, 6, 1))
    # 1,500: 1,040 repays the U.S. (40 interest + 1,000 principal); 460 pro rata by capital,
    # where the U.S. capital is 0 and Ukraine's 100 -> Ukraine 460.
    result = distribute(MARCH, 1_500, capital={"US": 0, "UA": 100}, senior=senior)
    assert dict(result.by_partner) == {"US": 1_040, "UA": 460}
    assert result.senior_minor == 1_040
    assert result.senior_balance is not None and result.senior_balance.outstanding_minor == 0


def test_march_draft_with_income_below_the_senior_balance_pays_only_the_us() -> None:
    senior = SeniorBalance(10_000, 0, date(2026, 6, 1))
    result = distribute(MARCH, 1_500, capital={}, senior=senior)
    assert dict(result.by_partner) == {"US": 1_500, "UA": 0}


def test_senior_first_needs_the_balance() -> None:
    with pytest.raises(InputError):
        distribute(MARCH, 100, capital={"US": 1, "UA": 1})


def test_pro_rata_needs_capital() -> None:
    with pytest.raises(InputError):
        distribute(FEB26, 100, capital={"US": 0, "UA": 0})
    with pytest.raises(InputError):
        distribute(FEB26, 100, capital={"EU": 5})


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**15),
    us=st.integers(min_value=0, max_value=10**15),
    ua=st.integers(min_value=1, max_value=10**15),
    owed=st.integers(min_value=0, max_value=10**15),
)
def test_distribution_sums_exactly(amount: int, us: int, ua: int, owed: int) -> None:
    capital = {"US": us, "UA": ua}
    senior = SeniorBalance(owed, 0, date(2030, 1, 1))
    for terms in (FEB21, FEB26, MARCH, FINAL):
        result = distribute(terms, amount, capital=capital, senior=senior)
        assert sum(result.by_partner.values()) == amount
        assert all(part >= 0 for part in result.by_partner.values())
