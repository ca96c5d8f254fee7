"""Governance: users and roles, permissions, API tokens, proposals and the both-partners rule."""

from jointfund.governance.parity import (
    ApprovalState,
    approval_state,
    board_of,
    check_approver,
    check_seat_free,
)
from jointfund.governance.payload_words import in_words
from jointfund.governance.permissions import LICENCE_SCOPED, PERMISSIONS, allowed, require
from jointfund.governance.proposals import (
    Approval,
    Proposal,
    ProposalKind,
    ProposalStatus,
    action_for,
    canonical_payload,
    check_open,
    effective_status,
    parse_kind,
)
from jointfund.governance.roles import Interface, Role, User
from jointfund.governance.tokens import ApiToken, IssuedToken, check_usable, new_secret, token_hash

__all__ = [
    "LICENCE_SCOPED",
    "PERMISSIONS",
    "ApiToken",
    "Approval",
    "ApprovalState",
    "Interface",
    "IssuedToken",
    "Proposal",
    "ProposalKind",
    "ProposalStatus",
    "Role",
    "User",
    "action_for",
    "allowed",
    "approval_state",
    "board_of",
    "canonical_payload",
    "check_approver",
    "check_open",
    "check_seat_free",
    "check_usable",
    "effective_status",
    "in_words",
    "new_secret",
    "parse_kind",
    "require",
    "token_hash",
]
