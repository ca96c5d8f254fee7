"""Targets are comparison lines, not debts; covered hydrocarbons are Annex A's, no more."""

from __future__ import annotations

from datetime import date

from jointfund.fund.metrics import COMPARISON_LINE, TARGETS
from jointfund.terms import (
    LicenceFacts,
    RevenueStream,
    choose_inflow,
    covered_resources,
    load_terms,
    resource,
)


def test_every_target_is_labelled_a_comparison_line_and_never_owed() -> None:
    assert {t.id for t in TARGETS} == {"us-military-aid-since-2022", "demanded-500bn"}
    for target in TARGETS:
        assert target.nature == COMPARISON_LINE == "comparison line, not a debt"
        assert target.label.startswith("Comparison line:")
        assert "owed" not in target.label and "not a debt" in target.label
    rejected = next(t for t in TARGETS if t.id == "demanded-500bn")
    assert "rejected February 2025 draft" in rejected.label


def test_covered_hydrocarbons_are_oil_and_natural_gas_not_bitumen_or_oil_shale() -> None:
    covered = {r.slug for r in covered_resources() if r.kind.value == "hydrocarbon"}
    assert covered == {"oil", "natural_gas", "gas_condensate", "shale_gas"}
    assert resource("bitumen").slug == "other_hydrocarbons"
    assert not resource("oil shale").covered
    agreement = load_terms("ua-us-2025-04-30-agreement")

    def share_of(resources: tuple[str, ...]) -> str:
        licence = LicenceFacts(issued_on=date(2025, 9, 1), resources=resources)
        choice = choose_inflow(
            agreement, stream=RevenueStream.ROYALTY, licence=licence, period_end=date(2025, 12, 31)
        )
        return str(choice.share)

    assert share_of(("oil",)) == "0.5"
    assert share_of(("other_hydrocarbons",)) == "0"
