"""21 Feb 2025 threshold: contributions run until $500 bn plus later U.S. aid; UA matches 2x U.S."""

from __future__ import annotations

from datetime import date

from jointfund.terms import (
    LicenceFacts,
    apply_threshold,
    assess_inflow,
    headroom_minor,
    load_terms,
    matching_shortfall_minor,
    threshold_total_minor,
)

FEB21 = load_terms("ua-us-2025-02-21-draft")
FINAL = load_terms("ua-us-2025-04-30-agreement")
BASE_TOTAL = 50_000_000_000_000  # $500 bn in cents


def test_later_aid_raises_the_total_one_for_one() -> None:
    assert threshold_total_minor(FEB21, later_aid_minor=0) == BASE_TOTAL
    # $10 bn of later non-loan U.S. aid -> $510 bn.
    assert threshold_total_minor(FEB21, later_aid_minor=1_000_000_000_000) == 51_000_000_000_000


def test_headroom_never_goes_negative() -> None:
    assert headroom_minor(FEB21, contributed_minor=BASE_TOTAL - 1, later_aid_minor=0) == 1
    assert headroom_minor(FEB21, contributed_minor=BASE_TOTAL + 5, later_aid_minor=0) == 0


def test_inflow_is_capped_at_the_remaining_headroom() -> None:
    licence = LicenceFacts(issued_on=date(2015, 1, 1), resources=("oil",))
    decision = assess_inflow(
        FEB21,
        stream="royalty",
        licence=licence,
        gross_minor=100_000_000,
        costs_minor=30_000_000,
        period_end=date(2026, 3, 31),
    )
    assert decision.fund_minor == 35_000_000
    # Only 100 cents of the $500 bn remain: the fund gets 100, the budget keeps 99,999,900.
    capped = apply_threshold(FEB21, decision, contributed_minor=BASE_TOTAL - 100, later_aid_minor=0)
    assert (capped.fund_minor, capped.budget_minor) == (100, 99_999_900)
    assert capped.fund_minor + capped.budget_minor == capped.gross_minor
    # Plenty of headroom: unchanged.
    assert apply_threshold(FEB21, decision, contributed_minor=0, later_aid_minor=0) == decision


def test_ukraine_owes_twice_the_us_contributions() -> None:
    # U.S. has put in 1,000 cents: Ukraine must reach 2,000; with 1,500 it still owes 500.
    assert (
        matching_shortfall_minor(FEB21, contributor_minor=1_500, match_partner_minor=1_000) == 500
    )
    assert matching_shortfall_minor(FEB21, contributor_minor=2_500, match_partner_minor=1_000) == 0


def test_no_threshold_in_the_final_agreement() -> None:
    assert threshold_total_minor(FINAL, later_aid_minor=10) is None
    assert headroom_minor(FINAL, contributed_minor=10, later_aid_minor=10) is None
    assert matching_shortfall_minor(FINAL, contributor_minor=0, match_partner_minor=10) is None
