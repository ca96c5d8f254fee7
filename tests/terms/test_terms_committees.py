"""Committees, routes, the general partner and reserved matters are checked against the rest of
the sheet, each problem at its key path."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from jointfund.errors import InputError
from jointfund.governance import ProposalKind, action_for
from jointfund.terms import DECISION_ACTIONS, Decision, parse_terms

AGREEMENT = yaml.safe_load(
    resources.files("jointfund.terms")
    .joinpath("presets", "ua-us-2025-04-30-agreement.yaml")
    .read_text(encoding="utf-8")
)


def _fields(mutate: Any) -> set[str]:
    data = copy.deepcopy(AGREEMENT)
    mutate(data["governance"])
    with pytest.raises(InputError) as caught:
        parse_terms(data, file="sheet.yaml")
    return {str(p.field) for p in caught.value.problems}


def test_every_proposal_kind_is_a_decision_the_terms_can_route() -> None:
    assert {k.value for k in ProposalKind} == {d.value for d in Decision}
    for kind in ProposalKind:
        assert action_for(kind) is DECISION_ACTIONS[Decision(kind.value)]


def test_a_route_to_an_unknown_committee_and_a_second_route_are_refused() -> None:
    def mutate(g: dict[str, Any]) -> None:
        g["routes"][0]["committee"] = "treasury"
        g["routes"].append(dict(g["routes"][1]))

    second = f"governance.routes[{len(AGREEMENT['governance']['routes'])}].decision"
    assert {"governance.routes[0].committee", second} <= _fields(mutate)


def test_seats_for_an_unknown_partner_are_refused() -> None:
    assert "governance.committees[0].seats" in _fields(
        lambda g: g["committees"][0]["seats"].update({"EU": 1})
    )


def test_a_matter_reserved_to_both_partners_needs_a_rule_that_needs_both() -> None:
    # A majority of a 3+3 board cannot be one partner, but a 4+2 board's could: the rule
    # itself must name both partners.
    assert "governance.reserved[0].decisions" in _fields(
        lambda g: g["approvals"].update({"investment": {"rule": "majority"}})
    )


def test_the_general_partner_acts_for_a_partner_of_the_sheet() -> None:
    assert "governance.general_partner.acts_for" in _fields(
        lambda g: g["general_partner"].update({"acts_for": "EU"})
    )
