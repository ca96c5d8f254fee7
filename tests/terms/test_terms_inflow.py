"""Hand-worked "licence + filing in, decision out" cases under each preset, and the split invariant.

Amounts are USD minor units (cents). Every preset is dated to the actual entry into force,
23 May 2025, so the same filing can be compared across the four texts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.errors import InputError
from jointfund.terms import (
    CreditTo,
    InflowDecision,
    Instrument,
    LicenceFacts,
    TermSheet,
    Territory,
    assess_inflow,
    load_terms,
)

FEB21 = load_terms("ua-us-2025-02-21-draft")
FEB26 = load_terms("ua-us-2025-02-26-framework")
MARCH = load_terms("ua-us-2025-03-us-draft")
FINAL = load_terms("ua-us-2025-04-30-agreement")
PRESETS = (FEB21, FEB26, MARCH, FINAL)
Q3 = date(2025, 9, 30)
GROSS = 100_000_000  # $1,000,000.00 royalty
COSTS = 30_000_000  # $300,000.00 operating costs reported with it


def _royalty(licence: LicenceFacts, gross: int = GROSS, costs: int = COSTS) -> list[InflowDecision]:
    return [
        assess_inflow(
            t,
            stream="royalty",
            licence=licence,
            gross_minor=gross,
            costs_minor=costs,
            period_end=Q3,
        )
        for t in PRESETS
    ]


def _summary(d: InflowDecision) -> tuple[int, int, str | None, CreditTo | None]:
    return d.fund_minor, d.budget_minor, d.credit_partner, d.credit_to


def test_same_filing_four_texts_four_results() -> None:
    # New iron-ore permit (issued after entry into force), royalty $1,000,000, costs $300,000.
    licence = LicenceFacts(issued_on=date(2025, 7, 1), resources=("iron ore",))
    feb21, feb26, march, final = _royalty(licence)
    # 21 Feb: 50% of net: (100,000,000 - 30,000,000) x 0.5 = 35,000,000 to Ukraine's account.
    assert _summary(feb21) == (35_000_000, 65_000_000, "UA", CreditTo.CAPITAL)
    # 26 Feb: 50% of gross, new licences: 100,000,000 x 0.5 = 50,000,000 to Ukraine's capital.
    assert _summary(feb26) == (50_000_000, 50_000_000, "UA", CreditTo.CAPITAL)
    # March U.S. draft: same 50,000,000, but as fund income (it pays the U.S. senior balance).
    assert _summary(march) == (50_000_000, 50_000_000, "UA", CreditTo.FUND_INCOME)
    # 30 Apr agreement: iron ore is not an Annex A resource, so nothing flows in.
    assert _summary(final) == (0, 100_000_000, None, None)
    assert final.reason is not None and "covered (Annex A)" in final.reason


def test_old_licence_counts_only_in_the_21_february_draft() -> None:
    # Lithium permit issued 2019, before entry into force, register silent on "new".
    licence = LicenceFacts(issued_on=date(2019, 3, 1), resources=("lithium (spodumene)",))
    feb21, feb26, march, final = _royalty(licence)
    assert feb21.fund_minor == 35_000_000  # (100,000,000 - 30,000,000) x 0.5, all licences count
    for decision in (feb26, march, final):
        assert not decision.eligible and decision.fund_minor == 0
        assert decision.budget_minor == GROSS
        assert decision.reason is not None and "new licences only" in decision.reason


def test_old_permit_marked_new_exploitation_counts_under_the_agreement() -> None:
    licence = LicenceFacts(issued_on=date(2019, 3, 1), resources=("lithium",), is_new=True)
    decision = _royalty(licence)[3]
    assert (decision.fund_minor, decision.rule_id) == (50_000_000, "new-licence-receipts")


def test_reissued_permit_marked_not_new_does_not_count_under_the_agreement() -> None:
    licence = LicenceFacts(issued_on=date(2025, 8, 1), resources=("lithium",), is_new=False)
    decision = _royalty(licence)[3]
    assert not decision.eligible
    assert decision.reason is not None and "marks this one not new" in decision.reason


def test_21_february_raises_the_share_for_liberated_assets_only() -> None:
    liberated = LicenceFacts(
        issued_on=date(2010, 1, 1), resources=("lithium",), occupied_at_signing=True
    )
    still_occupied = LicenceFacts(
        issued_on=date(2010, 1, 1),
        resources=("lithium",),
        occupied_at_signing=True,
        territory=Territory.OCCUPIED,
    )
    # Liberated: (100,000,000 - 30,000,000) x 0.6 = 42,000,000.
    assert _royalty(liberated)[0].fund_minor == 42_000_000
    assert _royalty(liberated)[0].share == Decimal("0.6")
    # Still occupied: the ordinary 50% share, 35,000,000.
    assert _royalty(still_occupied)[0].fund_minor == 35_000_000


def test_psa_signature_bonus_under_the_agreement_and_framework() -> None:
    psa = LicenceFacts(
        issued_on=date(2025, 12, 15), resources=("lithium",), instrument=Instrument.PSA
    )
    permit = LicenceFacts(issued_on=date(2025, 12, 15), resources=("lithium",))
    bonus = 1_200_000_001  # $12,000,000.01

    def run(terms: TermSheet, licence: LicenceFacts) -> InflowDecision:
        return assess_inflow(
            terms,
            stream="signature_bonus",
            licence=licence,
            gross_minor=bonus,
            period_end=date(2025, 12, 31),
        )

    # 1,200,000,001 x 0.5 = 600,000,000.5 -> half-even 600,000,000; budget keeps 600,000,001.
    on_psa = run(FINAL, psa)
    assert (on_psa.fund_minor, on_psa.budget_minor, on_psa.rule_id) == (
        600_000_000,
        600_000_001,
        "psa-signature-bonus",
    )
    on_permit = run(FINAL, permit)
    assert not on_permit.eligible and "psa" in (on_permit.reason or "")
    assert run(FEB26, permit).fund_minor == 600_000_000


def test_rare_earth_element_licence_counts_through_its_group() -> None:
    licence = LicenceFacts(issued_on=date(2026, 1, 1), resources=("neodymium",))
    assert _royalty(licence)[3].fund_minor == 50_000_000


def test_receipts_before_entry_into_force_never_count() -> None:
    licence = LicenceFacts(issued_on=date(2025, 1, 1), resources=("oil",), is_new=True)
    for terms in PRESETS:
        decision = assess_inflow(
            terms,
            stream="royalty",
            licence=licence,
            gross_minor=GROSS,
            period_end=date(2025, 3, 31),
        )
        assert not decision.eligible and "precede entry into force" in (decision.reason or "")


def test_costs_above_gross_give_a_zero_net_base() -> None:
    licence = LicenceFacts(issued_on=date(2025, 7, 1), resources=("oil",))
    decision = _royalty(licence, gross=1_000, costs=5_000)[0]
    assert (decision.base_minor, decision.fund_minor, decision.budget_minor) == (0, 0, 1_000)


def test_psa_state_share_from_a_special_permit_is_an_input_error() -> None:
    licence = LicenceFacts(issued_on=date(2025, 7, 1), resources=("oil",))
    with pytest.raises(InputError) as caught:
        assess_inflow(
            FINAL, stream="psa_state_share", licence=licence, gross_minor=1, period_end=Q3
        )
    assert caught.value.problems[0].field == "stream"


def test_unknown_resource_on_a_licence_is_an_input_error() -> None:
    licence = LicenceFacts(issued_on=date(2025, 7, 1), resources=("unobtainium",))
    with pytest.raises(InputError):
        _royalty(licence)


def test_territory_condition_excludes_listed_territories() -> None:
    frontline_excluded = FINAL.model_copy(
        update={
            "inflow": (FINAL.inflow[0].model_copy(update={"territories": (Territory.CONTROLLED,)}),)
        }
    )
    licence = LicenceFacts(
        issued_on=date(2025, 7, 1), resources=("graphite",), territory=Territory.FRONTLINE
    )
    decision = assess_inflow(
        frontline_excluded, stream="royalty", licence=licence, gross_minor=GROSS, period_end=Q3
    )
    assert not decision.eligible and "frontline" in (decision.reason or "")


@settings(max_examples=200, deadline=None)
@given(
    gross=st.integers(min_value=0, max_value=10**15),
    costs=st.integers(min_value=0, max_value=10**15),
    numerator=st.integers(min_value=0, max_value=10_000),
    preset=st.sampled_from(PRESETS),
    old=st.booleans(),
)
def test_fund_plus_budget_is_gross_for_any_amount_and_share(
    gross: int, costs: int, numerator: int, preset: TermSheet, old: bool
) -> None:
    terms = preset.model_copy(
        update={
            "inflow": tuple(
                rule.model_copy(update={"share": Decimal(numerator) / 10_000})
                for rule in preset.inflow
            )
        }
    )
    licence = LicenceFacts(
        issued_on=date(2019, 1, 1) if old else date(2025, 6, 1), resources=("uranium",)
    )
    decision = assess_inflow(
        terms,
        stream="royalty",
        licence=licence,
        gross_minor=gross,
        costs_minor=costs,
        period_end=Q3,
    )
    assert decision.fund_minor + decision.budget_minor == gross
    assert 0 <= decision.fund_minor <= decision.base_minor <= gross
