"""Approval rules truth table: unanimity, each partner, majority with a U.S. veto."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.terms import Action, ApprovalKind, approvals_satisfied, load_terms, required_approval

FINAL = load_terms("ua-us-2025-04-30-agreement")
MARCH = load_terms("ua-us-2025-03-us-draft")
BOARD = {"US": {"u1", "u2", "u3"}, "UA": {"a1", "a2", "a3"}}
MARCH_BOARD = {"US": {"u1", "u2", "u3"}, "UA": {"a1", "a2"}}
ALL_SIX = [(m, "US") for m in ("u1", "u2", "u3")] + [(m, "UA") for m in ("a1", "a2", "a3")]


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        (Action.INVESTMENT, ApprovalKind.UNANIMOUS),
        (Action.DISTRIBUTION, ApprovalKind.UNANIMOUS),
        (Action.IN_KIND_VALUATION, ApprovalKind.UNANIMOUS),
        (Action.TERM_CHANGE, ApprovalKind.UNANIMOUS),
        (Action.ADMIT_PARTNER, ApprovalKind.UNANIMOUS),
        (Action.WRITE_DOWN, ApprovalKind.EACH_PARTNER),
        (Action.OTHER, ApprovalKind.EACH_PARTNER),
    ],
)
def test_final_agreement_rules(action: Action, kind: ApprovalKind) -> None:
    assert required_approval(FINAL, action).kind is kind


def test_actions_without_their_own_rule_fall_back_to_other() -> None:
    rule = required_approval(MARCH, "investment")
    assert (rule.kind, rule.veto_partner) == (ApprovalKind.MAJORITY, "US")


UNANIMOUS = required_approval(FINAL, Action.INVESTMENT)
EACH = required_approval(FINAL, Action.OTHER)
MAJORITY_VETO = required_approval(MARCH, Action.INVESTMENT)


@pytest.mark.parametrize(
    ("rule", "board", "approvals", "expected"),
    [
        (UNANIMOUS, BOARD, ALL_SIX, True),
        (UNANIMOUS, BOARD, ALL_SIX[:-1], False),
        (UNANIMOUS, BOARD, ALL_SIX[:3], False),  # the U.S. alone
        (UNANIMOUS, BOARD, ALL_SIX[:-1] + [("a1", "UA")] * 3, False),  # duplicates don't fill
        (UNANIMOUS, BOARD, [*ALL_SIX[:-1], ("u1", "UA")], False),  # u1 is not a UA manager
        (UNANIMOUS, {"US": {"u1"}, "UA": set()}, [("u1", "US")], False),  # empty UA seats
        (EACH, BOARD, [("u2", "US"), ("a3", "UA")], True),
        (EACH, BOARD, [("u1", "US"), ("u2", "US"), ("u3", "US")], False),
        (EACH, BOARD, [("u1", "US"), ("u1", "UA")], False),
        (EACH, BOARD, [("u1", "US"), ("stranger", "UA")], False),
        (EACH, BOARD, [("u1", "US"), ("a1", "EU")], False),
        (MAJORITY_VETO, MARCH_BOARD, [("u1", "US"), ("u2", "US"), ("u3", "US")], True),
        (MAJORITY_VETO, MARCH_BOARD, [("u1", "US"), ("u2", "US"), ("a1", "UA")], True),
        (MAJORITY_VETO, MARCH_BOARD, [("u1", "US"), ("a1", "UA"), ("a2", "UA")], False),  # veto
        (MAJORITY_VETO, MARCH_BOARD, [("u1", "US"), ("u2", "US")], False),  # 2 of 5
        (MAJORITY_VETO, MARCH_BOARD, [("u1", "US")] * 3, False),
    ],
)
def test_approvals_truth_table(
    rule: object, board: dict[str, set[str]], approvals: list[tuple[str, str]], expected: bool
) -> None:
    assert approvals_satisfied(rule, board, approvals) is expected  # type: ignore[arg-type]


managers = st.sampled_from(["u1", "u2", "u3", "a1", "a2", "a3", "x9"])
partners = st.sampled_from(["US", "UA"])


@settings(max_examples=200, deadline=None)
@given(
    approvals=st.lists(st.tuples(managers, partners), max_size=12),
    alone=partners,
)
def test_one_partner_alone_never_satisfies_unanimous_or_each_partner(
    approvals: list[tuple[str, str]], alone: str
) -> None:
    one_sided = [(m, p) for m, p in approvals if p == alone]
    for rule in (UNANIMOUS, EACH):
        assert not approvals_satisfied(rule, BOARD, one_sided)


@settings(max_examples=200, deadline=None)
@given(approvals=st.lists(st.tuples(managers, partners), max_size=12))
def test_duplicates_never_change_the_outcome(approvals: list[tuple[str, str]]) -> None:
    for rule, board in ((UNANIMOUS, BOARD), (EACH, BOARD), (MAJORITY_VETO, MARCH_BOARD)):
        assert approvals_satisfied(rule, board, approvals) == approvals_satisfied(
            rule, board, approvals * 3
        )
