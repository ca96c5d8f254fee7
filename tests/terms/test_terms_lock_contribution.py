"""Reinvestment lock and contribution rules under the presets."""

from __future__ import annotations

from datetime import date

import pytest

from jointfund.errors import GovernanceError, InputError
from jointfund.terms import (
    Action,
    assess_contribution,
    check_distribution_allowed,
    is_locked,
    load_terms,
    lock_end,
    parse_terms_yaml,
    past_aid_counts,
    past_aid_minor,
    preset_ids,
    terms_to_yaml,
)
from jointfund.terms.anniversaries import add_years

FINAL = load_terms("ua-us-2025-04-30-agreement")
MARCH = load_terms("ua-us-2025-03-us-draft")


def test_ten_year_lock_from_entry_into_force() -> None:
    assert lock_end(FINAL) == date(2035, 5, 23)
    assert is_locked(FINAL, date(2035, 5, 22)) and not is_locked(FINAL, date(2035, 5, 23))
    check_distribution_allowed(FINAL, date(2035, 5, 23))


def test_distribution_inside_the_lock_names_the_term_and_its_end() -> None:
    with pytest.raises(GovernanceError) as caught:
        check_distribution_allowed(FINAL, date(2030, 1, 1))
    message = str(caught.value)
    assert "lock.years = 10 in ua-us-2025-04-30-agreement" in message
    assert "2035-05-23" in message


@pytest.mark.parametrize("preset_id", [p for p in preset_ids() if p != FINAL.id])
def test_drafts_have_no_lock(preset_id: str) -> None:
    terms = load_terms(preset_id)
    assert lock_end(terms) is None
    check_distribution_allowed(terms, date(2025, 6, 1))


def test_leap_day_anniversary_falls_on_28_february() -> None:
    assert add_years(date(2028, 2, 29), 10) == date(2038, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_us_military_aid_after_entry_into_force_counts_once_the_board_approves_it() -> None:
    decision = assess_contribution(
        FINAL, partner="US", form="in_kind", provided_on=date(2025, 9, 1), kind="military_aid"
    )
    assert decision.accepted and decision.approval is Action.IN_KIND_VALUATION


@pytest.mark.parametrize(
    ("partner", "provided_on", "kind", "fragment"),
    [
        ("US", date(2024, 6, 1), "military_aid", "before entry into force"),
        ("UA", date(2025, 9, 1), "military_aid", "no in-kind"),
        ("US", date(2025, 9, 1), "grain", "not one of"),
    ],
)
def test_in_kind_contributions_the_agreement_refuses(
    partner: str, provided_on: date, kind: str, fragment: str
) -> None:
    decision = assess_contribution(
        FINAL, partner=partner, form="in_kind", provided_on=provided_on, kind=kind
    )
    assert not decision.accepted and fragment in (decision.reason or "")


def test_cash_from_either_partner_counts() -> None:
    for partner in ("US", "UA"):
        decision = assess_contribution(
            FINAL, partner=partner, form="cash", provided_on=date(2025, 9, 17)
        )
        assert decision.accepted and decision.approval is None


def test_unknown_partner_is_an_input_error() -> None:
    with pytest.raises(InputError):
        assess_contribution(FINAL, partner="EU", form="cash", provided_on=date(2025, 9, 17))


def test_past_aid_counts_only_in_the_march_draft() -> None:
    assert not past_aid_counts(FINAL) and past_aid_minor(FINAL) == 0
    assert past_aid_counts(MARCH) and past_aid_minor(MARCH) == 10_000_000_000_000
    assert MARCH.contribution.in_kind is None


def test_a_term_sheet_adopted_with_valuation_bases_still_reads() -> None:
    """Books set up before the bases left the books keep them in their stored sheet."""
    text = terms_to_yaml(FINAL).replace(
        "    kinds:\n", "    valuation_bases: [replacement_cost, fair_value]\n    kinds:\n"
    )
    assert "valuation_bases" in text
    old = parse_terms_yaml(text)
    assert old.contribution.in_kind == FINAL.contribution.in_kind
