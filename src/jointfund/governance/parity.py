"""The both-partners rule applied to stored approvals: who counts, and is it enough."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from jointfund.errors import GovernanceError, PermissionDeniedError
from jointfund.governance.proposals import Approval, Proposal, action_for
from jointfund.governance.roles import Role, User
from jointfund.i18n.message import Message
from jointfund.terms import (
    RequiredApproval,
    TermSheet,
    approvals_satisfied,
    counted_approvals,
    required_approval,
)

Board = Mapping[str, Set[str]]


@dataclass(frozen=True, slots=True)
class ApprovalState:
    """What a proposal's current payload has: the rule, the approvals that count, and whether
    they are enough to execute."""

    rule: RequiredApproval
    counted: Mapping[str, frozenset[str]]
    satisfied: bool


def board_of(users: Iterable[User]) -> dict[str, frozenset[str]]:
    """The sitting board: active managers' ids per partner."""
    seats: dict[str, set[str]] = {}
    for user in users:
        if user.active and user.role is Role.BOARD_MANAGER and user.partner:
            seats.setdefault(user.partner, set()).add(str(user.id))
    return {partner: frozenset(ids) for partner, ids in seats.items()}


def approval_state(
    terms: TermSheet, proposal: Proposal, board: Board, approvals: Iterable[Approval]
) -> ApprovalState:
    """Count only approvals of the proposal's current payload hash against the terms' rule."""
    rule = required_approval(terms, action_for(proposal.kind))
    current = [
        (str(a.user_id), a.partner)
        for a in approvals
        if a.proposal_id == proposal.id and a.payload_hash == proposal.payload_hash
    ]
    return ApprovalState(
        rule,
        counted_approvals(rule, board, current),
        approvals_satisfied(rule, board, current),
    )


def check_approver(
    user: User,
    proposal: Proposal,
    approvals: Iterable[Approval],
    *,
    partner: str | None = None,
    payload_hash: str | None = None,
) -> str:
    """The partner `user` approves for; refuse a forged partner, a stale payload, a second vote."""
    if user.role is not Role.BOARD_MANAGER or not user.partner:
        raise PermissionDeniedError(Message("{user} does not sit on the board", user=user.label))
    if partner is not None and partner != user.partner:
        raise PermissionDeniedError(
            Message(
                "{user} sits for {partner} and cannot approve for {other}",
                user=user.label,
                partner=user.partner,
                other=partner,
            )
        )
    if payload_hash is not None and payload_hash != proposal.payload_hash:
        raise GovernanceError(
            Message(
                "proposal {proposal} was amended: the payload approved ({approved}…) is not the "
                "current one ({current}…); review it again",
                proposal=proposal.id,
                approved=payload_hash[:12],
                current=proposal.payload_hash[:12],
            )
        )
    for approval in approvals:
        if approval.user_id == user.id and approval.payload_hash == proposal.payload_hash:
            raise GovernanceError(
                Message(
                    "{user} has already approved proposal {proposal}",
                    user=user.label,
                    proposal=proposal.id,
                )
            )
    return user.partner


def check_seat_free(terms: TermSheet, board: Board, partner: str) -> None:
    """Refuse a new manager for a partner that is unknown or whose seats are all taken."""
    if partner not in terms.partner_ids:
        raise GovernanceError(
            Message("{partner!r} is not a partner under {terms}", partner=partner, terms=terms.id)
        )
    seats = terms.governance.seats.get(partner, 0)
    if len(board.get(partner, ())) >= seats:
        raise GovernanceError(
            Message(
                "{partner} already has {seats} managers, all the seats {terms} gives it",
                partner=partner,
                seats=seats,
                terms=terms.id,
            )
        )
