"""Approval rules: which actions need unanimity, one manager of each partner, or a majority.

Only approvals by a manager who sits on the board for the partner they approve for count,
and each (manager, partner) pair counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from jointfund.terms.schema import Action, ApprovalKind, TermSheet


@dataclass(frozen=True, slots=True)
class RequiredApproval:
    """The approval an action needs under a term sheet, with the partners it spans."""

    action: Action
    kind: ApprovalKind
    partners: tuple[str, ...]
    veto_partner: str | None = None


def required_approval(terms: TermSheet, action: Action | str) -> RequiredApproval:
    """The approval rule for `action`, falling back to the term sheet's rule for `other`."""
    action = Action(action)
    approvals = terms.governance.approvals
    spec = approvals.get(action) or approvals[Action.OTHER]
    return RequiredApproval(action, spec.rule, terms.partner_ids, spec.veto_partner)


def counted_approvals(
    rule: RequiredApproval,
    board: Mapping[str, Set[str]],
    approvals: Iterable[tuple[str, str]],
) -> dict[str, frozenset[str]]:
    """The approvals that count, per partner: by board members of that partner, once each."""
    counted: dict[str, set[str]] = {pid: set() for pid in rule.partners}
    for manager, partner in approvals:
        if partner in counted and manager in board.get(partner, ()):
            counted[partner].add(manager)
    return {pid: frozenset(managers) for pid, managers in counted.items()}


def approvals_satisfied(
    rule: RequiredApproval,
    board: Mapping[str, Set[str]],
    approvals: Iterable[tuple[str, str]],
) -> bool:
    """Tell whether the approvals given meet `rule` for this board."""
    counted = counted_approvals(rule, board, approvals)
    seats = {pid: board.get(pid, frozenset()) for pid in rule.partners}
    if rule.kind is ApprovalKind.UNANIMOUS:
        return all(seats[pid] and seats[pid] <= counted[pid] for pid in rule.partners)
    if rule.kind is ApprovalKind.EACH_PARTNER:
        return all(counted[pid] for pid in rule.partners)
    board_size = sum(len(members) for members in seats.values())
    votes = sum(len(managers) for managers in counted.values())
    if 2 * votes <= board_size:
        return False
    if rule.veto_partner is None:
        return True
    veto_seats = board.get(rule.veto_partner, frozenset())
    veto_votes = len(counted.get(rule.veto_partner, frozenset()))
    return bool(veto_seats) and 2 * veto_votes > len(veto_seats)
